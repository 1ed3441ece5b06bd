// The report's closing parts: how it was measured, on what machine, what the relay added,
// repeated runs' ranges, and the thresholds' outcome.
import { DRIVERS } from "../catalog.ts";
import { formatMetric } from "../model/figures.ts";
import { bytes, latency, percent, rate, table } from "../model/format.ts";
import { sectionRuns, type BenchResult, type Section } from "../model/results.ts";
import type { UrlExchange } from "../model/exchange.ts";

/** " The relay itself adds 21.3 µs per round trip at p50 (TCP) ...", or "" when none was measured. */
export function relayOverheadNote(result: BenchResult): string {
  const o = result.relayOverhead ?? [];
  if (!o.length) return "";
  // A difference below zero is noise: the relay cannot make a round trip faster.
  const added = o.map((x) => `${x.addedP50Ns > 0 ? latency(x.addedP50Ns) : "nothing measurable"} (${x.transport.toUpperCase()})`).join(" and ");
  return ` The relay itself adds ${added} per round trip at p50, measured before the run: ${o[0]!.roundTrips} round trips of 64 B to an echo server, direct and through a relay with no conditions, in turn.`;
}

/**
 * " The relay took 110-130 µs per round trip off the delay ... released bytes p50 3 µs ...", or
 * "" when no run recorded it: what the relay's timing contributed, over every relayed run.
 */
export function relayTimingNote(result: BenchResult): string {
  const runs = result.sections.flatMap(sectionRuns).filter((r) => r.relay?.released);
  const relays = runs.map((r) => r.relay!);
  if (!relays.length) return "";
  // Without delay there is nothing to take a tare from: those runs' zero says nothing.
  const delayed = runs.filter((r) => (r.spec.net?.delayMs ?? 0) > 0).map((r) => r.relay!.tareUs ?? 0);
  const tares = delayed.length ? delayed : [0];
  const [lo, hi] = [Math.min(...tares), Math.max(...tares)];
  const tare =
    hi === 0
      ? ""
      : ` It took ${lo === hi ? latency(lo * 1000) : `${latency(lo * 1000)} to ${latency(hi * 1000)}`} per round trip off the delay: its own cost on this machine (two more hops and a wake-up each way), measured when it started.`;
  const released = relays.map((r) => r.released!);
  const p50 = Math.max(...released.map((x) => x.p50LateUs));
  const p99 = Math.max(...released.map((x) => x.p99LateUs));
  const over = released.reduce((a, x) => a + x.lateOver1ms, 0);
  const count = released.reduce((a, x) => a + x.count, 0);
  return `${tare} It released bytes at most ${latency(p50 * 1000)} (p50) and ${latency(p99 * 1000)} (p99) after they were due, ${over} of ${count.toLocaleString("en-US")} releases over 1 ms late.`;
}

/**
 * For a URL target: what was asked of it (method, URL, headers with credentials redacted, what
 * counted as an answer) and how its answers came back by kind; "" otherwise.
 */
export function targetNote(result: BenchResult): string {
  const runs = result.sections.flatMap(sectionRuns).filter((r) => "spec" in r && "exchange" in r.spec && r.spec.exchange);
  const x = result.config.exchange ?? runs.map((r) => (r.spec as { exchange?: UrlExchange }).exchange).find(Boolean);
  if (!x) return "";
  const http = x.scheme === "http" || x.scheme === "https";
  const asked = http
    ? `${x.method} ${x.url}${x.newConnection ? ", a new connection per request" : x.pipeline > 1 ? `, ${x.pipeline} requests pipelined per connection` : ", keep-alive"}`
    : `${x.url}, ${x.scheme === "tcp" ? `${x.frame === "length" ? "our length prefix" : x.frame === "line" ? "one line per message" : "no framing"}, ` : ""}${x.match === "any" ? "any answer, in order" : "the message echoed back"}${x.subprotocol ? `, subprotocol ${x.subprotocol}` : ""}`;
  const headers = x.headers.length ? ` Headers: ${x.headers.map(([n, v]) => `\`${n}: ${v}\``).join(", ")}.` : "";
  // Answers by kind over every run: the expected ones, and each unexpected status or failure.
  let ok = 0;
  const other: Record<string, number> = {};
  for (const r of runs) {
    const counts = (r as { counts?: { completed: number; errors: Record<string, number> } }).counts;
    if (!counts) continue;
    ok += counts.completed;
    for (const [kind, n] of Object.entries(counts.errors)) other[kind] = (other[kind] ?? 0) + n;
  }
  const expected = http ? ` (${x.expectStatus.length ? `HTTP ${x.expectStatus.join(", ")}` : "HTTP 2xx"})` : "";
  const answers = [`${ok.toLocaleString("en-US")} as expected${expected}`, ...Object.entries(other).map(([k, n]) => `${k}: ${n.toLocaleString("en-US")}`)].join(
    ", ",
  );
  return `Target: ${asked}, a server socketlab did not start: its CPU, memory and socket byte counts are not measured.${headers} Answers in the measured windows: ${answers}.`;
}

export function methodology(result: BenchResult): string {
  const c = result.config;
  return [
    "- The server runs in its own process, started on port 0; the load generator (the swarm) runs in one or more other processes. They never share an event loop.",
    "- Each run warms up before it measures (samples from the warm-up are discarded), then measures for a fixed time or message count, then waits for replies still in flight (up to the timeout).",
    `- Closed loop (rtt, throughput, connect): a fixed number of operations in flight per connection. Open loop (load, udp): a constant total rate; latency is timed from the intended send time, the uncorrected figures from the actual send, and late or unsent sends are counted (coordinated-omission correction, as in wrk2).`,
    "- Latency distributions are HdrHistograms (1 ns resolution, 3 significant digits) recorded per process and merged exactly; percentiles are never averaged. Percentiles are the highest value equivalent to the bucket they fall in.",
    result.sections.flatMap(sectionRuns).some((r) => r.remote)
      ? "- Push latency is publication-to-receipt: the server is on another host, so its clock is read through an offset estimated NTP-style before each run, whose uncertainty the push section states."
      : "- Push latency is publication-to-receipt on a clock both processes share (performance.timeOrigin + performance.now()); both run on this host.",
    "- CPU time is user + system time of the server and of the swarm over the measured phase, from /proc; it has 10 ms resolution. The open loop waits for each send time by spinning (Bun's timers tick in whole milliseconds), so its generator CPU is not a cost figure; its send lag is reported instead.",
    "- Bytes on the wire are the kernel's per-socket counters on the server's side (ss -ti): TCP payload, headers of the protocols above TCP included; divided as rates (bytes per second over operations per second). Over TLS they are the encrypted bytes: each TLS record adds its header and tag (about 22 bytes with TLS 1.3).",
    `- Message timeout: ${c.timeoutMs} ms. CPU placement: ${placementWhy(result.environment.pinning)}`,
    c.repeat > 1
      ? `- Measured in ${c.repeat} interleaved rounds (each section whole, then again); tables show the median round, with each figure's range. A machine's slow stretch moves every figure of a round together, so a range is how far this machine wandered meanwhile, not a property of the transport.`
      : "- Measured once: a figure here has no range. Run with --rounds 3 to see how far it moves on this machine.",
  ].join("\n");
}

/**
 * Which placement applied, and why the default is to leave it to the kernel: in five-run trials
 * of bun run bench:repro on a two-CPU VM, pinning the server and the swarm apart was no steadier
 * than not pinning (p50 max/min 1.33–1.85 against 1.28–1.75), pinning them together made round
 * trips bimodal, and pinning needs taskset and two CPUs.
 */
function placementWhy(pin: BenchResult["environment"]["pinning"]): string {
  if (pin === "none")
    return "not pinned, the default: pinning server and swarm apart measured no steadier on a two-CPU machine, and pinning them together made round trips bimodal (bun run bench:repro compares them). Consecutive runs on a shared or virtual machine still differ by 10–40%: bench:repro shows how much of that the machine itself does.";
  return `${pin} (--pin ${pin}).`;
}

export function environmentTable(result: BenchResult): string {
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
export function repetitions(s: Section): string | undefined {
  const runs = sectionRuns(s);
  const repeated = runs.filter((r) => r.repeat);
  if (repeated.length === 0) return undefined;
  const keys = ["p50", "p99", "rate", "loss"];
  const rows = repeated.map((r) => {
    const name =
      "label" in r
        ? `${r.label}, ${r.spec.subscribers} subscribers`
        : `${DRIVERS[r.spec.driver].label}, ${bytes(r.spec.size)}${r.spec.model === "open" ? `, ${rate(r.spec.ratePerSec)}` : ""}`;
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

export function thresholds(result: BenchResult): string | undefined {
  if (!result.assertions?.length) return undefined;
  const rows = result.assertions.map((a) => [
    a.text,
    a.measured === undefined || a.unit === undefined ? "not measured" : formatMetric(a.measured, a.unit),
    a.pass ? "pass" : "**FAIL**",
  ]);
  const failed = result.assertions.filter((a) => !a.pass).length;
  return `${failed ? `**${failed} of ${result.assertions.length} thresholds failed.**` : `All ${result.assertions.length} thresholds held.`}\n\n${table(["threshold", "measured", "result"], rows)}`;
}
