import { DRIVERS } from "../run/bind.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { PushRunResult } from "../run/push-run.ts";
import { sectionRuns, type BenchResult, type Section, type SectionOf } from "../model/results.ts";
import { formatMetric } from "../model/figures.ts";
import { DISTANCE_TOLERANCE, agrees, distanceRows, expectedText, p50At, type Expected } from "../model/distance-rows.ts";
import { lossShare } from "../scenarios/udp.ts";
import { bytes, count, cpuPerOp, latency, megabytes, percent, rate, table } from "../model/format.ts";
import { headline, pushRun, runFor, sectionOf, shortLabel } from "./headline.ts";
import { problems } from "./problems.ts";

const TITLES: Record<Section["kind"], string> = {
  hello: "The lab's hello exercises, run for real",
  rtt: "Round trip: one client, one message in flight",
  push: "Server push: events to subscribers",
  throughput: "Throughput: a window of messages in flight",
  load: "Open-loop load: a constant rate, corrected for coordinated omission",
  connect: "Connection set-up",
  udp: "UDP: loss, reordering and jitter against send rate",
  fanout: "Fan-out: one event to many subscribers",
  distance: "As the round trip grows: handshakes, requests and push at a distance",
};

function wire(r: LoadResult): string {
  return r.wirePerOp ? `${Math.round(r.wirePerOp.in)} / ${Math.round(r.wirePerOp.out)} B` : "—";
}

/** A server-side figure, or "—" when the server is remote and nothing of it was measured here. */
function serverSide(r: LoadResult, shown: string): string {
  return r.remote ? "—" : shown;
}

function cost(r: LoadResult): string {
  return `${cpuPerOp(r.cost.clientCpuPerOpUs)} / ${serverSide(r, cpuPerOp(r.cost.serverCpuPerOpUs))}`;
}

function rttTable(runs: LoadResult[]): string {
  return table(
    ["transport", "size", "p50", "p90", "p99", "p99.9", "max", "mean ± stdev", "round trips/s", "wire up / down per msg", "CPU per msg client / server"],
    runs.map((r) => [
      DRIVERS[r.spec.driver].label,
      bytes(r.spec.size),
      latency(r.latency.p50),
      latency(r.latency.p90),
      latency(r.latency.p99),
      latency(r.latency.p999),
      latency(r.latency.max),
      `${latency(r.latency.mean)} ± ${latency(r.latency.stdev)}`,
      rate(r.opsPerSec),
      wire(r),
      cost(r),
    ]),
  );
}

function throughputTable(runs: LoadResult[]): string {
  return table(
    ["transport", "size", "window", "messages/s", "payload MB/s each way", "p50", "p99", "timeouts", "CPU per msg client / server", "peak RSS client / server"],
    runs.map((r) => [
      DRIVERS[r.spec.driver].label,
      bytes(r.spec.size),
      `${r.spec.clients} × ${r.spec.window}`,
      rate(r.opsPerSec),
      megabytes(r.payloadBytesPerSec),
      latency(r.latency.p50),
      latency(r.latency.p99),
      count(r.counts.timeouts),
      cost(r),
      `${bytes(r.cost.client.peakRssBytes)} / ${serverSide(r, bytes(r.cost.server.peakRssBytes))}`,
    ]),
  );
}

function loadTable(runs: LoadResult[]): string {
  return table(
    ["transport", "offered", "achieved", "p50", "p99", "p99.9", "max", "uncorrected p50 / p99 / max", "sends >1 ms late", "never sent", "send lag p99"],
    runs.map((r) => [
      DRIVERS[r.spec.driver].label,
      rate(r.spec.ratePerSec),
      rate(r.opsPerSec),
      latency(r.latency.p50),
      latency(r.latency.p99),
      latency(r.latency.p999),
      latency(r.latency.max),
      `${latency(r.uncorrected.p50)} / ${latency(r.uncorrected.p99)} / ${latency(r.uncorrected.max)}`,
      count(r.counts.behind),
      count(r.counts.unsent),
      latency(r.lag.p99),
    ]),
  );
}

function connectTable(runs: LoadResult[], timeWait: (number | undefined)[]): string {
  return table(
    ["operation", "concurrency", "per second", "p50", "p99", "max", "failed", "CPU per op client / server", "TIME_WAIT sockets at start"],
    runs.map((r, i) => [
      DRIVERS[r.spec.driver].label,
      count(r.spec.clients * r.spec.window),
      rate(r.opsPerSec),
      latency(r.latency.p50),
      latency(r.latency.p99),
      latency(r.latency.max),
      count(Object.values(r.counts.errors).reduce((a, b) => a + b, 0) + r.counts.timeouts),
      cost(r),
      timeWait[i] === undefined ? "?" : count(timeWait[i]!),
    ]),
  );
}

function udpTable(runs: LoadResult[]): string {
  return table(
    ["offered", "echoed", "sent", "lost", "loss", "reordered", "duplicated", "late", "jitter (RFC 3550)", "RTT p50", "RTT p99"],
    runs.map((r) => [
      rate(r.spec.ratePerSec),
      rate(r.opsPerSec),
      count(r.sequence.sent),
      count(r.sequence.lost),
      percent(lossShare(r)),
      count(r.sequence.reordered),
      count(r.sequence.duplicated),
      count(r.sequence.late),
      latency(r.sequence.jitterNs),
      latency(r.latency.p50),
      latency(r.latency.p99),
    ]),
  );
}

function oneWayTable(runs: LoadResult[]): string {
  return table(
    ["offered", "sent", "sent in all", "counted by the server", "lost", "loss", "not sent (buffer full)", "send lag p99"],
    runs.map((r) => [
      rate(r.spec.ratePerSec),
      rate(r.opsPerSec),
      count(r.oneWay?.sent ?? 0),
      count(r.oneWay?.received ?? 0),
      count(r.oneWay?.lost ?? 0),
      percent(lossShare(r)),
      count(Object.values(r.counts.errors).reduce((a, b) => a + b, 0)),
      latency(r.lag.p99),
    ]),
  );
}

function pushTable(runs: PushRunResult[], fanout: boolean): string {
  const head = fanout ? ["pattern", "subscribers"] : ["pattern"];
  return table(
    [...head, "p50", "p90", "p99", "max", fanout ? "last subscriber p50 / max" : "delivered", "requests per event", "empty polls", "wire up / down per event"],
    runs.map((r) => [
      r.label,
      ...(fanout ? [count(r.spec.subscribers)] : []),
      latency(r.latency.p50),
      latency(r.latency.p90),
      latency(r.latency.p99),
      latency(r.latency.max),
      fanout ? `${latency(r.slowestDelivery.p50)} / ${latency(r.slowestDelivery.max)}` : `${count(r.delivered)} of ${count(r.expected)}`,
      r.requestsPerEvent.toFixed(2),
      count(r.emptyPolls),
      r.bytesPerEvent ? `${Math.round(r.bytesPerEvent.up)} / ${Math.round(r.bytesPerEvent.down)} B` : "—",
    ]),
  );
}

function distanceTable(s: SectionOf<"distance">): string {
  return table(
    ["", "should cost (round trips)", ...s.rttsMs.map((ms) => `p50 at ${ms} ms`), "measured (round trips)"],
    distanceRows(s).map((row) => {
      const cells = s.rttsMs.map((ms) => p50At(row, ms));
      return [row.label, `${expectedText(row.expected)} (${row.expected.why})`, ...cells, row.roundTrips === undefined ? "—" : agreement(row.roundTrips, row.expected)];
    }),
  );
}

/** The measured cost, marked by whether the reasoning explains it. */
function agreement(measured: number, e: Expected): string {
  return `${measured.toFixed(2)} ${agrees(measured, e) ? "✓" : "✗"}`;
}

/** "10 subscribers", or "10 subscribers (HTTP short polling, every 250 ms: 100)" where rows differ. */
function pushAudience(runs: PushRunResult[]): string {
  const first = runs[0]!.spec.subscribers;
  const others = [...new Map(runs.filter((r) => r.spec.subscribers !== first).map((r) => [r.label, r.spec.subscribers])).entries()];
  return `${count(first)} subscribers${others.length ? ` (${others.map(([label, n]) => `${label}: ${count(n)}, as its median depends on where each poller's polls fall`).join("; ")})` : ""}`;
}

function distanceBody(s: SectionOf<"distance">): string {
  const push = s.push[0]?.spec;
  const request = s.runs[0]?.spec;
  return [
    distanceTable(s),
    "",
    `Every row runs through the network relay with half the round trip added each way (at 0 ms, the relay alone). ${request ? `Requests: ${count(request.clients)} connections, one message of ${bytes(request.size)} in flight each. ` : ""}${push ? `Push: ${count(push.eventsPerSec)} events/s to ${pushAudience(s.push)}. ` : ""}"Measured" is the slope of p50 against the round-trip time (least squares), so what a row costs on this host alone cancels out; ✓ marks agreement with the reasoning within ${DISTANCE_TOLERANCE} round trips. The relay emulates a new connection's TCP handshake by holding its first bytes for the round trip SYN and SYN-ACK would take (netem/README.md).`,
  ].join("\n");
}

function sectionBody(s: Section): string {
  switch (s.kind) {
    case "hello":
      return s.exchanges
        .map((e) => [`**${e.title}.** Server and client in two terminals:`, "", "```console", `$ ${e.serverCommand} --port 0`, ...e.server, "```", "", "```console", `$ ${e.clientCommand} --port <port>`, ...e.client, "```"].join("\n"))
        .join("\n\n");
    case "rtt":
      return `${rttTable(s.runs)}${s.skipped.length ? `\n\nNot run: ${s.skipped.join("; ")}.` : ""}\n\nClosed loop, window 1: each client sends its next message when the previous reply arrives. "Wire" is the TCP payload the kernel counted on the server's sockets per message (UDP and per-request connections: not measured this way).`;
    case "throughput":
      return `${throughputTable(s.runs)}${s.skipped.length ? `\n\nNot run: ${s.skipped.join("; ")}.` : ""}\n\nClosed loop: each connection keeps a window of messages in flight (HTTP: pipelined on one keep-alive connection). MB/s counts payload in one direction; the same bytes come back.`;
    case "load": {
      const knees = s.knees.map((k) => `${shortLabel(k.driver)}: ${k.rate === undefined ? "kept up at every rate tried" : `knee at ${rate(k.rate)} (${k.reason})`}`);
      return `${loadTable(s.runs)}\n\n${knees.join(". ")}.\n\nLatency is timed from when each message was due to be sent (corrected), so time spent waiting to send counts; the uncorrected figures time from the actual send, as a closed-loop tool would, and hide that wait.`;
    }
    case "connect":
      return `${connectTable(s.runs, s.timeWait)}${s.skipped.length ? `\n\nNot run: ${s.skipped.join("; ")}.` : ""}\n\nEach operation opens a connection (TCP: ${s.runs.some((r) => r.spec.driver === "tcp-new") ? "until the reply to one message, as through the relay connect() returns at loopback speed and the emulated handshake shows in the first bytes" : "until connected"}; WebSocket: through the upgrade handshake; HTTP: one request and its response on a fresh connection) and closes it. TCP and WebSocket close from the client, which then holds the port in TIME_WAIT for a minute; the HTTP server closes first (Connection: close). Thousands of TIME_WAIT sockets, from this run or earlier ones, slow every new connect: compare runs only at similar counts.`;
    case "udp":
      return [
        "Echoed:",
        "",
        udpTable(s.runs),
        "",
        `${s.lossBeginsAt === undefined ? "No loss at any rate tried." : `Loss began at ${rate(s.lossBeginsAt)}.`} Datagrams are echoed, so loss, reordering and jitter cover both directions; jitter is computed as RFC 3550 (and iperf3) do, from round-trip transit times.`,
        "",
        "One way, to a server that only counts (as iperf3 -u):",
        "",
        oneWayTable(s.oneWay),
        "",
        `${s.oneWayLossBeginsAt === undefined ? "No loss at any rate tried." : `Loss began at ${rate(s.oneWayLossBeginsAt)}.`} Loss here is datagrams sent (warm-up included) minus datagrams the server counted.`,
      ].join("\n");
    case "push":
      return `${pushTable(s.runs, false)}\n\n${clockNote(s.runs)}${count(s.eventsPerSec)} events/s of ${s.runs[0]?.spec.eventSize ?? 0} B data to ${count(s.subscribers)} subscribers. Latency runs from publication on the server to receipt by a subscriber, on the clock both processes share; only events published inside the measured window count. "Wire" is what the kernel counted on the server's sockets per delivered event.`;
    case "fanout":
      return `${pushTable(s.runs, true)}\n\n${count(s.eventsPerSec)} events/s. "Last subscriber" is, per event, the time until every subscriber had it.`;
    case "distance":
      return distanceBody(s);
  }
}

/** Across hosts, latencies rest on an estimated clock offset: say how far off it may be. */
function clockNote(runs: PushRunResult[]): string {
  const clock = runs.find((r) => r.clock)?.clock;
  if (!clock) return "";
  return `The server is on another host: its clock was estimated ${clock.offsetMs >= 0 ? "+" : ""}${clock.offsetMs.toFixed(3)} ms from ours (NTP-style, the fastest of ${clock.samples} round trips), so every latency here is uncertain by ±${clock.uncertaintyMs.toFixed(3)} ms. `;
}

/** " The relay itself adds 21.3 µs per round trip at p50 (TCP) ...", or "" when none was measured. */
function relayOverheadNote(result: BenchResult): string {
  const o = result.relayOverhead ?? [];
  if (!o.length) return "";
  // A difference below zero is noise: the relay cannot make a round trip faster.
  const added = o.map((x) => `${x.addedP50Ns > 0 ? latency(x.addedP50Ns) : "nothing measurable"} (${x.transport.toUpperCase()})`).join(" and ");
  return ` The relay itself adds ${added} per round trip at p50, measured before the run: ${o[0]!.roundTrips} round trips of 64 B to an echo server, direct and through a relay with no conditions, in turn.`;
}

/** The lab's WebSocket-vs-HTTP table, redone with this run's measurements. */
function labTable(result: BenchResult): string | undefined {
  const rtt = sectionOf(result, "rtt");
  const push = sectionOf(result, "push");
  const distance = sectionOf(result, "distance");
  if (!rtt && !push && !distance) return undefined;
  const ws = rtt && runFor(rtt.runs, "ws");
  const http = rtt && runFor(rtt.runs, "http");
  const close = rtt && runFor(rtt.runs, "http-close");
  const wsPush = push && pushRun(push.runs, "ws");
  const long = push && pushRun(push.runs, "long");
  const shorts = push?.runs.filter((r) => r.spec.pattern === "short") ?? [];
  const p = (r: LoadResult | undefined) => (r ? `${latency(r.latency.p50)} / ${latency(r.latency.p99)}` : "—");
  const pp = (r: PushRunResult | undefined) => (r ? `${latency(r.latency.p50)} / ${latency(r.latency.p99)}` : "—");
  const wb = (r: PushRunResult | undefined) => (r?.bytesPerEvent ? `${Math.round(r.bytesPerEvent.up)} / ${Math.round(r.bytesPerEvent.down)} B` : "—");
  const rows: string[][] = [
    ["Communication model", "full duplex: either side sends at any time", "request/response: the client asks, the server answers", "request/response, after a TCP handshake each time"],
    ["Round trip p50 / p99 (measured)", p(ws), p(http), p(close)],
    ["Bytes on the wire per message, up / down (measured)", ws ? wire(ws) : "—", http ? wire(http) : "—", "—"],
    ["Server push delivery p50 / p99 (measured)", pp(wsPush), `long polling ${pp(long)}${shorts.map((s) => `; ${s.spec.intervalMs} ms polling ${pp(s)}`).join("")}`, "—"],
    ["Bytes per pushed event, up / down (measured)", wb(wsPush), `long polling ${wb(long)}${shorts.map((s) => `; ${s.spec.intervalMs} ms polling ${wb(s)}`).join("")}`, "—"],
    ["Requests per delivered event (measured)", wsPush ? "0 (one upgrade for the session)" : "—", `long polling ${long ? long.requestsPerEvent.toFixed(2) : "—"}${shorts.map((s) => `; ${s.spec.intervalMs} ms polling ${s.requestsPerEvent.toFixed(2)}`).join("")}`, "1 request and 1 connection"],
    ["Connection persistence", "one connection for the whole session", "connection kept alive between requests", "a new connection for every request"],
    ...(distance ? distanceLabRows(distance) : []),
  ];
  return table(["", "WebSocket", "HTTP, keep-alive", "HTTP, new connection each"], rows);
}

/** The lab table's rows from the distance section: what each side costs in round trips, and push far away. */
function distanceLabRows(s: SectionOf<"distance">): string[][] {
  const rows = new Map(distanceRows(s).map((row) => [row.subject, row]));
  const far = Math.max(...s.rttsMs);
  const trips = (subject: string) => rows.get(subject)?.roundTrips?.toFixed(2) ?? "—";
  const farP50 = (subject: string) => p50At(rows.get(subject), far);
  const polling = [...rows.values()].filter((row) => row.subject.startsWith("short"));
  /** "long polling X; 250 ms polling Y": the HTTP patterns' cells. */
  const httpPush = (cell: (subject: string) => string) =>
    [`long polling ${cell("long")}`, ...polling.map((row) => `${row.label.replace(/^HTTP short polling, every /, "")} polling ${cell(row.subject)}`)].join("; ");
  return [
    ["Round trips per message as distance grows (measured)", `${trips("ws")}; ${trips("ws-new")} on a new connection`, trips("http"), trips("http-close")],
    ["Round trips per pushed event as distance grows (measured)", trips("ws-push"), httpPush(trips), "—"],
    [`Push delivery at a ${far} ms round trip, p50 (measured)`, farP50("ws-push"), httpPush(farP50), "—"],
  ];
}

function methodology(result: BenchResult): string {
  const c = result.config;
  return [
    "- The server runs in its own process, started on port 0; the load generator (the swarm) runs in one or more other processes. They never share an event loop.",
    "- Each run warms up before it measures (samples from the warm-up are discarded), then measures for a fixed time or message count, then waits for replies still in flight (up to the timeout).",
    `- Closed loop (rtt, throughput, connect): a fixed number of operations in flight per connection. Open loop (load, udp): a constant total rate; latency is timed from the intended send time, the uncorrected figures from the actual send, and late or unsent sends are counted (coordinated-omission correction, as in wrk2).`,
    "- Latency distributions are HdrHistograms (1 ns resolution, 3 significant digits) recorded per process and merged exactly; percentiles are never averaged. Percentiles are the highest value equivalent to the bucket they fall in.",
    "- Push latency is publication-to-receipt on a clock both processes share (performance.timeOrigin + performance.now()); both run on this host.",
    "- CPU time is user + system time of the server and of the swarm over the measured phase, from /proc; it has 10 ms resolution. The open loop waits for each send time by spinning (Bun's timers tick in whole milliseconds), so its generator CPU is not a cost figure; its send lag is reported instead.",
    "- Bytes on the wire are the kernel's per-socket counters on the server's side (ss -ti): TCP payload, headers of the protocols above TCP included; divided as rates (bytes per second over operations per second).",
    `- Message timeout: ${c.timeoutMs} ms. CPU placement: ${result.environment.pinning}. This machine is noisy: repeat a run before trusting a difference of a few percent.`,
  ].join("\n");
}

function environmentTable(result: BenchResult): string {
  const e = result.environment;
  return table(
    ["", ""],
    [
      ["socketlab", `${result.tool.version}${e.gitCommit ? ` (commit ${e.gitCommit})` : ""}`],
      ["Bun", e.bun],
      ["OS, kernel", `${e.os}, Linux ${e.kernel} (${e.arch})`],
      ["CPU", `${e.cpuModel}, ${e.cpus} CPUs`],
      ["Memory", `${e.memoryGiB} GiB`],
      ["CPU layout", e.placement],
      ["Date", `${result.startedAt} (took ${result.elapsedSec.toFixed(1)} s)`],
    ],
  );
}

/** Key figures of repeated runs: each one's median and range over the repetitions. */
function repetitions(s: Section): string | undefined {
  const runs = sectionRuns(s);
  const repeated = runs.filter((r) => r.repeat);
  if (repeated.length === 0) return undefined;
  const keys = ["p50", "p99", "rate", "loss"];
  const rows = repeated.map((r) => {
    const name = "label" in r ? `${r.label}, ${r.spec.subscribers} subscribers` : `${DRIVERS[r.spec.driver].label}, ${bytes(r.spec.size)}${r.spec.model === "open" ? `, ${rate(r.spec.ratePerSec)}` : ""}`;
    const cells = keys.map((k) => {
      const f = r.repeat!.figures[k];
      if (!f) return "—";
      const show = (v: number) => (k === "rate" ? rate(v) : k === "loss" ? percent(v) : latency(v));
      return `${show(f.median)} (${show(f.min)}–${show(f.max)})`;
    });
    return [name, String(r.repeat!.count), ...cells];
  });
  return `Repeated runs, median (range) of each figure; the table above shows the median run:\n\n${table(["run", "times", "p50", "p99", "rate", "loss"], rows)}`;
}

function thresholds(result: BenchResult): string | undefined {
  if (!result.assertions?.length) return undefined;
  const rows = result.assertions.map((a) => [a.text, a.measured === undefined || a.unit === undefined ? "not measured" : formatMetric(a.measured, a.unit), a.pass ? "pass" : "**FAIL**"]);
  const failed = result.assertions.filter((a) => !a.pass).length;
  return `${failed ? `**${failed} of ${result.assertions.length} thresholds failed.**` : `All ${result.assertions.length} thresholds held.`}\n\n${table(["threshold", "measured", "result"], rows)}`;
}

/** A chart written beside the report, for embedding by relative link. */
export interface ChartLink {
  name: string;
  title: string;
  file: string;
}

/** Charts belong to the section their name starts with ("rtt-spectrum" under rtt). */
function chartsFor(kind: string, charts: ChartLink[]): string[] {
  return charts.filter((c) => c.name.split("-")[0] === kind).map((c) => `![${c.title}](${encodeURI(c.file)})`);
}

export function renderMarkdown(result: BenchResult, charts: ChartLink[] = []): string {
  const out: string[] = [];
  out.push(`# socketlab report: ${result.scenario}`, "");
  out.push(`${result.startedAt.slice(0, 19).replace("T", " ")} UTC · Bun ${result.environment.bun} · ${result.environment.cpus} CPUs · \`${result.command}\``, "");
  if (result.parts && result.parts > 1) out.push(`Merged from ${result.parts} parts: histograms added exactly, counts summed.`, "");
  const remote = result.sections.flatMap(sectionRuns).find((r) => "remote" in r && r.remote);
  // The distance section sets its own conditions per run, and says so itself.
  const relayed = result.sections.filter((s) => s.kind !== "distance").flatMap(sectionRuns).find((r) => r.relay)?.relay;
  const overhead = relayOverheadNote(result);
  if (relayed) out.push(`Network conditions: ${relayed.profile}, applied in user space by a relay between the swarm and the server (every latency here includes them; the relay's own byte counts are in the JSON).${overhead}`, "");
  else if (overhead) out.push(`The distance section runs through a relay in user space.${overhead}`, "");
  if (remote && "remote" in remote) out.push(`Server: remote, at ${remote.remote}. Its CPU, memory and socket byte counts are not measured from here; "—" marks them.`, "");
  const limits = thresholds(result);
  if (limits) out.push("## Thresholds", "", limits, "");
  out.push("## Findings", "", ...headline(result).map((l) => `- ${l}`), "");
  const lab = labTable(result);
  if (lab) out.push("## WebSocket vs HTTP, measured", "", "The comparison table of the lab write-up, with this run's numbers in place of adjectives.", "", lab, "");
  for (const s of result.sections) {
    out.push(`## ${TITLES[s.kind]}`, "", sectionBody(s), "");
    for (const image of chartsFor(s.kind, charts)) out.push(image, "");
    const reps = repetitions(s);
    if (reps) out.push(reps, "");
  }
  const found = problems(result.sections);
  out.push("## What went wrong", "", found.length ? found.map((p) => `- ${p}`).join("\n") : "Nothing: every message was answered, no errors, no timeouts, no loss, nothing rejected by a server.", "");
  out.push("## Method", "", methodology(result), "");
  out.push("## Environment", "", environmentTable(result), "");
  out.push("## Reproduce", "", "```sh", result.command, "```", "");
  out.push("The JSON file beside this report holds the configuration, the environment, every run's summary and its encoded histograms.", "");
  return out.join("\n");
}

