import { killAllChildren } from "../../lib/children.ts";
import { RunError, UsageError, codeOf, messageOf } from "../../lib/errors.ts";
import { onShutdown } from "../../lib/main.ts";
import { parseBenchArgs } from "./options.ts";
import { describeOutcome, evaluateAssertions } from "../model/assertions.ts";
import { checkWritable, writeReport } from "../report/index.ts";
import { renderHlog } from "../report/timeline-files.ts";
import { renderSummary } from "../report/terminal.ts";
import { checkPdfPrinter } from "../report/pdf.ts";
import { check as checkBrowser } from "../scenarios/browser.ts";
import { setLiveSink } from "../run/live.ts";
import { LiveMetrics, installLiveMetrics, serveMetrics } from "../run/live-metrics.ts";
import { hostPort, netRunError } from "../../lib/net.ts";
import type { BenchResult } from "../model/results.ts";
import { run } from "../scenarios/bench.ts";
import { SCENARIOS, reportFiles } from "../model/config.ts";

export const USAGE = `usage: bun run bench [scenario] [options]

scenarios (default: suite)
  suite        rtt + push + distance + throughput + a short load, all four transports, rtt, throughput
               and load in 3 interleaved rounds, then a short browser section where Chromium is
               installed (about 105 s)
  rtt          round-trip latency, one message in flight: tcp, udp, ws, http keep-alive, http new
               connection; in 3 interleaved rounds of shorter runs (median round, with ranges)
  push         server events to subscribers: WebSocket push, SSE, long polling, short polling
  throughput   messages/s and MB/s with a window in flight, over a size sweep
  load         open loop at fixed rates (a sweep finds the knee), corrected and uncorrected; or
               --stages, a ramp within one run
  capacity     the highest rate whose latency holds --slo, searched on one set of connections
  connect      connection set-up rate: TCP connect, WebSocket handshake, HTTP new connection
  udp          loss, reordering, duplicates and jitter across send rates
  fanout       one event to many subscribers: WebSocket publish vs SSE vs long polling
  distance     WebSocket vs HTTP requests (open and new connections) and push vs polling through
               the relay at growing round-trip times: what handshakes and round trips cost
  browser      the comparison in headless Chromium (installed; CHROMIUM_PATH names another): push
               by WebSocket, SSE, long and short polling, and a WebSocket message vs fetch on a
               kept-alive and a new connection, beside the Bun clients' rtt and push rows

options
  --quick, -q           short runs, one round (the suite in about 50 s)
  --transports LIST     tcp,udp,ws,http (the default), and https,wss: HTTP and WebSocket over TLS
                        (our servers with --tls; their certificate, made at start, is not verified)
  --clients, -c N       connections (default per scenario: 1; load and capacity 8; connect 4)
  --workers N           swarm processes the connections are spread over, so the generator can use
                        every core (default 1); their histograms merge exactly (--procs: the same)
  --net PROFILE         network conditions applied by a relay between swarm and server: lan, wifi, 3g,
                        intercontinental, or e.g. "delay=20ms,jitter=2ms,loss=1%,rate=10mbit" (one way);
                        the suite then leaves its distance section out
  --target HOST:PORT    measure our server started elsewhere (rtt, throughput, load, capacity, connect,
                        udp, push; one transport): bun run server <t> --mode echo --host 0.0.0.0 there
  --target URL          measure any server (rtt, throughput, load, capacity, connect): http://H:P/path,
                        https://…, ws://H:P/path, wss://…, tcp://H:P, udp://H:P; the scheme is the
                        transport. One probe first: a bad target fails in one line within 2 s
    http(s)://          --method M (GET) · -H, --header "Name: value" (repeatable) · --body TEXT|@FILE ·
                        --expect-status LIST (default any 2xx; others are errors by code, http-503) ·
                        keep-alive, or --new-connection per request · --pipeline N requests in flight
                        per connection (default 1) · --insecure or --ca FILE for a certificate
    ws(s)://            the path as given · -H · --subprotocol P · --message TEXT|@FILE|hex:… ·
                        --match echo (our header back, the default) | any (one answer per message, in
                        order, one in flight per connection unless --window)
    tcp://, udp://      --message, --match as above; tcp: --frame none (default: a plain echo sends the
                        bytes back) | line (newline-terminated request/reply) | length (our 4-byte prefix)
  --size, -s LIST       message sizes, e.g. 64,1k,64k (k = KiB); a list is a sweep (min 8 B)
  --rate, -r LIST       open loop: messages/s in all, e.g. 5000 or 1k,5k,20k (a sweep)
  load: --stages LIST   ramp the rate linearly from stage to stage on the same connections, k6's
                        ramping arrival rate: "10s:1k,30s:10k,10s:10k" (from 0; "500,10s:1k" from
                        500/s); figures per stage
  capacity: --slo LIST  objectives a rate must hold, e.g. "p99<5ms" (the default) or "p50<1ms,max<50ms"
                        · --rate R first step (1000/s) · --max-rate R top (1m/s) · --duration S
                        each step (1 s) · --precision PCT bracket width to stop at (5%); rates double
                        until a step breaks, then bisect; the best is run again to confirm
  --window, -w N        closed loop: messages in flight per connection (throughput default 32);
                        open loop: the in-flight cap per connection (default 1000)
  --duration, -d S      measure for S seconds (e.g. 5, 500ms)   --count, -n N   or N messages
  --warmup S            warm up first; discarded (default per scenario)
  --ramp S              open the connections evenly over S before starting
  --timeout S           give up on a reply after S (default 2 s); counted as a timeout / loss
  --pin none|same|split CPU placement with taskset: same = server and swarm on CPU 0,
                        split = server on CPU 0, swarm on CPU 1 (default none)
  push, fanout: --subscribers LIST (default 10; fanout 10,100,1000) · --event-rate N (default 20/s;
                fanout 5/s) · --event-size B (default 64) · --intervals LIST (short polling ms, default 50,250,1000)
  distance: --rtts LIST round-trip times in ms, two or more, at most 2000 (default 0,20,100; in the
                suite 0,50; --quick 0,40) · requests: --clients (4), the first --size (64 B) ·
                push: --event-rate (100/s), --subscribers (10; short polling 100), --intervals (250) ·
                timeouts stretch to 4 round trips + 1 s
  --rounds N            measure in N interleaved rounds (each section whole, then again: A B C D,
                        A B C D, ...); tables show the median round, with each figure's range
                        (--repeat N: the same)
  --metrics-port [HOST:]PORT  serve live metrics at http://HOST:PORT/metrics while the run lasts,
                        Prometheus text format (HOST 127.0.0.1 unless given; PORT 0: any free one)
  --start-at TIME       connect and warm up, then start measuring at TIME: epoch ms, an ISO time
                        (2026-12-02T10:00:00Z) or +30s; agents given one TIME measure together
  --assert "M OP V"     a threshold, e.g. "ws.rtt.p99 < 2ms", "udp.loss < 0.1%", "tcp.throughput.rate > 100k/s"
                        (several allowed); any failure makes the exit code 1
  --list-metrics        print the metric names this scenario produces, for --assert and compare
  --out, -o DIR         where reports go (default reports); checked before anything runs
  --format LIST         which report files to write, e.g. md,html,json: md (with its charts as .svg),
                        json, csv (one row per interval per run: latency over time), html (one
                        self-contained page, charts inline), pdf (that page printed by the installed
                        Chromium; --paper a4|letter); both = md,json (the default), all = md,json,csv
  --interval S          latency over time: the length of each interval (default 1 s, at least 100ms)
  --hlog FILE           also write every run's intervals as an HdrHistogram interval log (one tag
                        per run), which HdrHistogram's own tools read
  --json                print the result as JSON on stdout instead of the summary
  -h, --help            this help

  bun run bench compare BASE.json NEW.json   every shared figure and its change, beyond noise or not
  bun run bench merge A.json B.json ... -o OUT.json   combine runs made at once by several swarms or hosts
                        (their measured windows must overlap 90%; --allow-apart merges anyway)

Each run writes DIR/<time>-<scenario>.md with its charts (.svg) beside it, and .json. Progress goes
to stderr: on a terminal, a live status line.
Exit codes: 0 done (problems found are in the report), 1 the run failed or a threshold failed,
2 bad options.
Scenarios: ${SCENARIOS.join(", ")}.`;

export const SWARM_USAGE = `usage: bun run swarm <scenario> --target HOST:PORT --transports T [options]

An agent: runs one share of a load against a server started elsewhere and writes a mergeable
result (JSON unless --format says otherwise). Combine the shares with
bun run bench merge A.json B.json ... -o OUT.json. Options are those of bun run bench
(see bun run bench --help); --target is required. Give every agent the same --start-at so
that their shares are measured at once: each result records its measured window.`;

/** Serves live metrics for the whole run, saying where; a port already taken is a one-line error. */
function startMetrics(at: { host: string; port: number }, progress: (line: string) => void): { stop(): void } {
  const metrics = new LiveMetrics();
  let served: { port: number; stop(): void };
  try {
    served = serveMetrics(metrics, at.host, at.port);
  } catch (err) {
    if (codeOf(err) === "EADDRINUSE") throw new RunError(`--metrics-port: port ${at.port} on ${at.host} is already in use (pick another; 0 picks a free one)`);
    throw netRunError(err, at.host, at.port);
  }
  installLiveMetrics(metrics);
  progress(`metrics  http://${hostPort(at.host, served.port)}/metrics (Prometheus text format, while the run lasts)`);
  return served;
}

/** Writes a file the user named, or says in one line why it cannot. */
async function writeText(path: string, text: string, option: string): Promise<void> {
  try {
    await Bun.write(path, text);
  } catch (err) {
    throw new UsageError(`${option} ${path}: cannot write it (${codeOf(err) ?? messageOf(err).split("\n")[0]})`);
  }
}

/**
 * `bun run bench` (and, as an agent, `bun run swarm`): parse and check everything, make sure the
 * report can be written, run, evaluate thresholds, write the report, print the summary.
 * Returns the exit code.
 */
export async function benchCommand(argv: string[], agent = false): Promise<number> {
  // An agent's share is meant for merging: JSON by default.
  const args = agent && !argv.includes("--format") ? [...argv, "--format", "json"] : argv;
  const config = parseBenchArgs(args);
  if (config === "help") {
    console.log(agent ? SWARM_USAGE : USAGE);
    return 0;
  }
  if ("listMetrics" in config) {
    console.log(config.listMetrics.join("\n"));
    return 0;
  }
  if (agent && !config.target) throw new UsageError("an agent measures a server started elsewhere: give --target HOST:PORT");
  await checkWritable(config.outDir);
  if (reportFiles(config.format)?.has("pdf")) checkPdfPrinter(); // fails now, not after the run
  if (config.scenario === "browser") checkBrowser(); // likewise
  if (config.hlog) await writeText(config.hlog, "", "--hlog"); // fails now, not after the run
  onShutdown(() => {
    killAllChildren();
    console.error("\nbench: interrupted; every server and swarm process was stopped");
    process.exit(130);
  });
  // A live status line only where a person watches: a terminal, and not under CI.
  const live = Boolean(process.stderr.isTTY) && process.env.CI !== "true";
  if (live) setLiveSink((status) => process.stderr.write(`\r\x1b[K${status ?? ""}`));
  const progress = (line: string) => console.error(live ? `\r\x1b[K${line}` : line);
  const metrics = config.metrics && startMetrics(config.metrics, progress);
  let result: BenchResult;
  try {
    result = await run(config, progress);
  } finally {
    metrics?.stop();
    installLiveMetrics(undefined);
  }
  result.assertions = config.assertions.length ? evaluateAssertions(config.assertions, result) : undefined;
  const paths = await writeReport(result, config.outDir, config.format, config.paper);
  if (config.hlog) {
    await writeText(config.hlog, renderHlog(result), "--hlog");
    paths.push(config.hlog);
  }
  if (config.json) console.log(JSON.stringify(result));
  else {
    const report = paths.find((p) => p.endsWith(".md"));
    const data = paths.find((p) => p.endsWith(".json"));
    const others = paths.filter((p) => p.endsWith(".csv") || p === config.hlog);
    const charts = paths.filter((p) => p.endsWith(".svg")).length;
    console.log(
      `${renderSummary(result)}\n\n${report ? `Report: ${report}${charts ? ` (and ${charts} chart${charts === 1 ? "" : "s"} beside it)` : ""}\n` : ""}${data ? `Data:   ${data}\n` : ""}${others.map((p) => `Also:   ${p}\n`).join("")}`.trimEnd(),
    );
  }
  const failed = result.assertions?.filter((a) => !a.pass) ?? [];
  for (const a of result.assertions ?? []) console.error(describeOutcome(a));
  if (failed.length) console.error(`bench: ${failed.length} of ${result.assertions!.length} thresholds failed`);
  return failed.length ? 1 : 0;
}
