// Carrying out one run: the server (unless remote), a relay (with --net), the swarm processes
// started together, the server's CPU and socket bytes over the measured phase, and every
// process reaped whatever happens.
import { PROJECT_ROOT, spawnChild, type Child } from "../../lib/children.ts";
import { TRANSPORT_DRIVERS, type BenchTransport } from "../catalog.ts";
import { RunError } from "../../lib/errors.ts";
import { describeProfile, profileText, type Profile } from "../../netem/profile.ts";
import { startRelayProcess, type RelayProcess } from "../../netem/relay-process.ts";
import type { TcpRelayStats, UdpRelayStats } from "../../netem/types.ts";
import { hostPort, type Target } from "../../lib/net.ts";
import { isIP } from "node:net";
import { startServer } from "./server-process.ts";
import { untilStart } from "./start-gate.ts";
import { liveMetrics } from "./live-metrics.ts";
import { cpuTimeOf, diffCpu, peakRssOf, placementOf, type CpuTime, type ProcessCost } from "../stats/cost.ts";
import { diffWire, wireCount, type WireCount } from "../stats/wire.ts";
import { PROGRESS_EVERY_MS, liveStatus } from "./live.ts";
import { latency } from "../model/format.ts";
import type { WorkerJob, WorkerMessage } from "./worker-protocol.ts";
import { WorkerMessages } from "./worker-messages.ts";
import type { MeasuredWindow, NegotiatedTls, RunPlacement, RelayOutcome } from "../model/results.ts";
import { negotiatedTls } from "./tls-probe.ts";
import { probeTarget } from "./target-probe.ts";
import type { DriverName } from "../catalog.ts";
import type { UrlExchange } from "../model/exchange.ts";
import type { PinMode } from "../model/spec.ts";

export function pinPrefixes(pin: PinMode): { server: string[]; swarm: string[] } {
  if (pin === "same") return { server: ["taskset", "-c", "0"], swarm: ["taskset", "-c", "0"] };
  if (pin === "split") return { server: ["taskset", "-c", "0"], swarm: ["taskset", "-c", "1"] };
  return { server: [], swarm: [] };
}

/**
 * Bun's fetch keeps at most 256 requests in flight per process and queues the rest, which would
 * quietly serialize a swarm of long pollers or SSE streams; 65535 is the most it accepts.
 */
const SWARM_ENV = { BUN_CONFIG_MAX_HTTP_REQUESTS: "65535" };

/** Splits `total` into `parts` whole numbers that differ by at most one. */
export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

export interface SwarmSpec<J extends WorkerJob> {
  /** The transport the swarm speaks (its server is the catalog's, over TLS where it says), and the server's options. */
  server: { transport: BenchTransport; args: string[] };
  /** A server started elsewhere (another computer): used as it is, nothing started locally. */
  remote?: Target;
  /** Against a remote server: one operation of this driver first, so a bad target fails in one line within 2 s. */
  probe?: { driver: DriverName; size: number; exchange?: UrlExchange };
  /** Network conditions (netem profile): a relay process sits between the swarm and the server. */
  net?: Profile;
  /** One job per swarm process; the target is filled in once the server has its port. */
  jobs: Omit<J, "target">[];
  pin: PinMode;
  /** Bounds for the waits: connections opening, the run itself, the result after it. */
  readyTimeoutMs: number;
  runTimeoutMs: number;
  /** For the live status line: what runs, and how long warm-up plus measurement last. */
  label: string;
  plannedMs?: number;
  /** For live metrics: the driver or pattern measured, and the rate offered (open loop). */
  metrics?: { transport: string; offeredPerSec?: number };
}

export interface SwarmOutcome<R> {
  results: R[];
  /** "host:port" of a remote server; its CPU, memory and socket bytes are not measured then. */
  remote?: string;
  /** Over TLS: what a handshake with the server negotiated. */
  tls?: NegotiatedTls;
  /** With --net: the conditions applied, and the bytes the relay carried each way (a second count). */
  relay?: RelayOutcome;
  /** Server CPU over the measured phase, and its peak memory. */
  serverCost: ProcessCost;
  swarmProcesses: number;
  /** Bytes the kernel counted on the server's TCP sockets during the measured phase. */
  wire: WireCount | undefined;
  placement: RunPlacement;
  /** What the server counted: messages received (a one-way run's loss is measured against it). */
  serverReceived: number;
  /** The server process's own pauses over its life (lib/pauses.ts), encoded; absent for a remote one. */
  serverPauses?: string;
  serverRejected: Record<string, number>;
  serverErrors: Record<string, number>;
  /** The measured phase in wall-clock time: from the first swarm process starting it to the last ending it. */
  window: MeasuredWindow;
}

function describeExit(what: string, child: Child): string {
  const p = child.proc;
  const how = p.signalCode ? `was killed by ${p.signalCode}` : `exited with code ${p.exitCode}`;
  const tail = child.stderr.text.trim().split("\n").slice(-3).join(" | ");
  return `${what} (pid ${p.pid}) ${how} during the run${tail ? `: ${tail}` : ""}`;
}

/**
 * Starts the server, then the swarm processes; waits until every connection is open, starts
 * them together, samples the server's CPU and socket bytes over the measured phase (from the
 * first swarm process starting it to the last ending it), and collects the results. Every
 * process is reaped whatever happens; a server that dies mid-run fails the run, saying so.
 */
export async function runSwarm<J extends WorkerJob, R>(spec: SwarmSpec<J>): Promise<SwarmOutcome<R>> {
  const pins = pinPrefixes(spec.pin);
  const entry = TRANSPORT_DRIVERS[spec.server.transport];
  // The swarm processes start while the server does (each is a Bun start-up and its modules,
  // a tenth of a second or so); they are given their jobs, and the target, once it is known.
  const workers: Child[] = spec.jobs.map(() => spawnChild([...pins.swarm, process.execPath, "bench/run/worker.ts"], PROJECT_ROOT, SWARM_ENV));
  let server: Awaited<ReturnType<typeof startServer>> | undefined;
  let relay: RelayProcess<TcpRelayStats | UdpRelayStats> | undefined;
  try {
    server = spec.remote ? undefined : await startServer(entry.server, ["--quiet", ...(entry.tls ? ["--tls"] : []), ...spec.server.args], pins.server);
    const serverTarget: Target = spec.remote ?? { host: "127.0.0.1", port: server!.port };
    // With --net the swarm talks to a relay, which passes everything on under the conditions.
    if (spec.net) relay = await startRelayProcess(entry.datagram ? "udp" : "tcp", serverTarget, profileText(spec.net));
    // Our own TLS server made its certificate at start, so the swarm takes it unverified (the
    // relay passes TLS through untouched). A remote one is verified against the system's CAs.
    const trust = spec.remote ? (spec.remote.tls ?? {}) : { insecure: true };
    // Through the relay the swarm dials 127.0.0.1: it still asks for, and verifies, the server's name.
    const named = relay && isIP(serverTarget.host) === 0 ? { serverName: serverTarget.host } : {};
    const tls = entry.tls ? { tls: { ...trust, ...named } } : {};
    const target: Target = { ...serverTarget, ...(relay ? { host: "127.0.0.1", port: relay.port } : {}), ...tls };
    // Straight to the server, not through the relay, so the probe costs the run nothing; a
    // server that refuses the handshake ends the run here, in one line.
    const negotiated = tls.tls ? await negotiatedTls({ ...serverTarget, tls: tls.tls }) : undefined;
    if (spec.remote && spec.probe)
      await probeTarget(
        spec.probe.driver,
        target,
        spec.probe.exchange,
        spec.probe.size,
        spec.probe.exchange?.url ?? hostPort(spec.remote.host, spec.remote.port),
      );
    // A local server that dies fails the run at once; a remote one shows as connection errors.
    const local = server;
    const serverGone = local
      ? local.proc.exited.then(() => {
          throw new RunError(describeExit(`the ${spec.server.transport} server`, local));
        })
      : new Promise<never>(() => {});
    serverGone.catch(() => {});
    const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, serverGone]);

    // With live metrics the swarm's reports carry what they need, and the run is announced.
    const metrics = liveMetrics();
    const liveRun = metrics && {
      run: spec.label,
      transport: spec.metrics?.transport ?? spec.server.transport,
      offeredPerSec: spec.metrics?.offeredPerSec,
      serverPid: server?.pid,
    };
    spec.jobs.forEach((job, i) => {
      workers[i]!.write(`job ${JSON.stringify({ ...job, target, ...(metrics ? { live: true } : {}) })}\n`);
    });
    const inboxes = workers.map((w, i) => new WorkerMessages(w, `swarm process ${i + 1}`));
    const all = <T extends WorkerMessage["type"]>(type: T, timeoutMs: number) =>
      guard(Promise.all(inboxes.map((inbox, i) => inbox.next(type, timeoutMs, () => describeExit(`swarm process ${i + 1}`, workers[i]!)))));
    showProgress(spec, inboxes, (i, p) => {
      if (metrics && liveRun && p.live) metrics.report(liveRun, i, p.done, p.live);
    });
    await all("ready", spec.readyTimeoutMs);
    if (metrics && liveRun) metrics.begin(liveRun, workers.length);
    // With --start-at, the first run's warm-up begins so that its measuring begins on time.
    await untilStart(spec.jobs[0]?.warmupMs ?? 0);
    for (const w of workers) w.write("go\n");

    const begun = await all("phase", spec.runTimeoutMs);
    const cpuStart: CpuTime | undefined = server && cpuTimeOf(server.pid);
    const wireStart = server && wireCount(server.port);
    const placement = { server: server && placementOf(server.pid), swarm: workers.map((w) => placementOf(w.proc.pid) ?? null) };
    const ended = await all("phase", spec.runTimeoutMs);
    const window = { startMs: Math.min(...begun.map((m) => m.atMs)), endMs: Math.max(...ended.map((m) => m.atMs)) };
    const serverCpu = diffCpu(cpuStart, server && cpuTimeOf(server.pid));
    const wire = server && diffWire(wireStart, wireCount(server.port));
    for (const w of workers) w.write("release\n");
    const results = await all("result", spec.runTimeoutMs);
    if (metrics && liveRun) metrics.end(liveRun);
    const serverCost = { ...serverCpu, peakRssBytes: server ? peakRssOf(server.pid) : 0 };
    const stats = server ? await server.stop() : undefined;
    const relayStats = relay ? await relay.stop() : undefined;
    return {
      relay: relayStats && spec.net ? relayOutcome(spec.net, relayStats) : undefined,
      // Each job kind's worker answers with that kind's result (worker.ts).
      results: results.map((r) => r.result as R),
      remote: spec.remote && hostPort(spec.remote.host, spec.remote.port),
      tls: negotiated,
      serverCost,
      swarmProcesses: workers.length,
      wire,
      placement,
      serverReceived: stats?.messages ?? 0,
      serverPauses: stats?.pauses,
      serverRejected: stats?.rejected ?? {},
      serverErrors: stats?.errors ?? {},
      window,
    };
  } finally {
    liveStatus(undefined);
    for (const w of workers) w.kill("SIGKILL");
    server?.kill("SIGKILL");
    relay?.kill("SIGKILL");
    await Promise.allSettled([server?.exited(5000), relay?.exited(5000), ...workers.map((w) => w.exited(5000))]);
  }
}

function relayOutcome(net: Profile, stats: TcpRelayStats | UdpRelayStats): RelayOutcome {
  const p = stats.pacer;
  const timing = {
    tareUs: stats.tareUs,
    released: { count: p.ran, p50LateUs: p.p50LateUs, p99LateUs: p.p99LateUs, maxLateUs: p.maxLateUs, lateOver1ms: p.lateOver1ms },
  };
  const profile = describeProfile(net);
  if ("up" in stats)
    return { profile, bytesUp: stats.up.bytes, bytesDown: stats.down.bytes, droppedUp: stats.up.dropped, droppedDown: stats.down.dropped, ...timing };
  return { profile, bytesUp: stats.bytes.up, bytesDown: stats.bytes.down, ...timing };
}

/** Feeds the live status line from the swarm's progress reports (the highest p99 of any process). */
function showProgress(
  spec: SwarmSpec<WorkerJob>,
  inboxes: WorkerMessages[],
  report: (i: number, p: Extract<WorkerMessage, { type: "progress" }>) => void,
): void {
  const start = performance.now();
  const latest = inboxes.map(() => ({ done: 0, errors: 0, p99Ns: 0 }));
  let last = { done: 0, at: start };
  let perSec = 0;
  inboxes.forEach((inbox, i) => {
    inbox.onProgress = (p) => {
      report(i, p);
      latest[i] = p;
      const now = performance.now();
      const done = latest.reduce((a, l) => a + l.done, 0);
      // The rate over the last report interval (one per process arrives each interval).
      if (now - last.at >= PROGRESS_EVERY_MS * 0.8) {
        perSec = ((done - last.done) * 1000) / (now - last.at);
        last = { done, at: now };
      }
      const elapsed = ((now - start) / 1000).toFixed(1);
      const total = spec.plannedMs === undefined ? "" : `/${(spec.plannedMs / 1000).toFixed(1)}`;
      const p99 = Math.max(...latest.map((l) => l.p99Ns));
      const errors = latest.reduce((a, l) => a + l.errors, 0);
      liveStatus(`${spec.label}  ${elapsed}${total} s  ${Math.round(perSec).toLocaleString("en-US")}/s  p99 ${latency(p99)}  errors ${errors}`);
    };
  });
}
