import { PROJECT_ROOT, spawnChild, type Child } from "../../lib/children.ts";
import type { Target } from "../../clients/types.ts";
import { RunError } from "../../lib/errors.ts";
import { describeProfile, parseProfile } from "../../netem/profile.ts";
import { startRelayProcess, type RelayProcess } from "../../netem/relay-process.ts";
import type { TcpRelayStats, UdpRelayStats } from "../../netem/types.ts";
import { hostPort } from "../../lib/net.ts";
import type { Transport } from "../../protocol/limits.ts";
import { startServer } from "./server-process.ts";
import { cpuTimeOf, diffCpu, peakRssOf, placementOf, type CpuTime, type Placement, type ProcessCost } from "../stats/cost.ts";
import { diffWire, wireCount, type WireCount } from "../stats/wire.ts";
import { PROGRESS_EVERY_MS, liveStatus } from "./live.ts";
import { latency } from "../model/format.ts";
import type { WorkerJob, WorkerMessage } from "./worker-protocol.ts";

export const PIN_MODES = ["none", "same", "split"] as const;
export type PinMode = (typeof PIN_MODES)[number];

/** `taskset` prefixes for the server and the swarm under each pinning mode. */
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
  server: { transport: Transport; args: string[] };
  /** A server started elsewhere (another computer): used as it is, nothing started locally. */
  remote?: Target;
  /** Network conditions (netem profile): a relay process sits between the swarm and the server. */
  net?: string;
  /** One job per swarm process; the target is filled in once the server has its port. */
  jobs: Omit<J, "target">[];
  pin: PinMode;
  /** Bounds for the waits: connections opening, the run itself, the result after it. */
  readyTimeoutMs: number;
  runTimeoutMs: number;
  /** For the live status line: what runs, and how long warm-up plus measurement last. */
  label: string;
  plannedMs?: number;
}

export interface RelayOutcome {
  profile: string;
  bytesUp: number;
  bytesDown: number;
  /** UDP only: datagrams the profile dropped on purpose, each way. */
  droppedUp?: number;
  droppedDown?: number;
}

export interface SwarmOutcome<R> {
  results: R[];
  /** "host:port" of a remote server; its CPU, memory and socket bytes are not measured then. */
  remote?: string;
  /** With --net: the conditions applied, and the bytes the relay carried each way (a second count). */
  relay?: RelayOutcome;
  /** Server CPU over the measured phase, and its peak memory. */
  serverCost: ProcessCost;
  swarmProcesses: number;
  /** Bytes the kernel counted on the server's TCP sockets during the measured phase. */
  wire: WireCount | undefined;
  placement: { server?: Placement; swarm: (Placement | undefined)[] };
  /** What the server counted: messages received (a one-way run's loss is measured against it). */
  serverReceived: number;
  serverRejected: Record<string, number>;
  serverErrors: Record<string, number>;
}

function describeExit(what: string, child: Child): string {
  const p = child.proc;
  const how = p.signalCode ? `was killed by ${p.signalCode}` : `exited with code ${p.exitCode}`;
  const tail = child.stderr.text.trim().split("\n").slice(-3).join(" | ");
  return `${what} (pid ${p.pid}) ${how} during the run${tail ? `: ${tail}` : ""}`;
}

/** Waits for a worker's next message of one type; a reported error is thrown. */
async function nextMessage(worker: Child, index: number, type: WorkerMessage["type"], from: number, timeoutMs: number): Promise<{ message: WorkerMessage; line: number }> {
  let found: { text: string; index: number };
  try {
    found = await worker.stdout.waitForLine(new RegExp(`"type":"(${type}|error)"`), timeoutMs, from);
  } catch {
    if (worker.proc.exitCode !== null || worker.proc.signalCode) throw new RunError(describeExit(`swarm process ${index + 1}`, worker));
    throw new RunError(`swarm process ${index + 1} sent no ${type} within ${Math.round(timeoutMs / 1000)} s`);
  }
  const message = JSON.parse(found.text) as WorkerMessage;
  if (message.type === "error") throw new RunError(`swarm process ${index + 1}: ${message.message}`);
  return { message, line: found.index + 1 };
}

/**
 * Starts the server, then the swarm processes; waits until every connection is open, starts
 * them together, samples the server's CPU and socket bytes over the measured phase (from the
 * first swarm process starting it to the last ending it), and collects the results. Every
 * process is reaped whatever happens; a server that dies mid-run fails the run, saying so.
 */
export async function runSwarm<J extends WorkerJob, R>(spec: SwarmSpec<J>): Promise<SwarmOutcome<R>> {
  const pins = pinPrefixes(spec.pin);
  const server = spec.remote ? undefined : await startServer(spec.server.transport, ["--quiet", ...spec.server.args], pins.server);
  const serverTarget: Target = spec.remote ?? { host: "127.0.0.1", port: server!.port };
  const workers: Child[] = [];
  let relay: RelayProcess<TcpRelayStats | UdpRelayStats> | undefined;
  try {
    // With --net the swarm talks to a relay, which passes everything on under the conditions.
    if (spec.net) relay = await startRelayProcess(spec.server.transport === "udp" ? "udp" : "tcp", serverTarget, spec.net);
    const target: Target = relay ? { host: "127.0.0.1", port: relay.port } : serverTarget;
    // A local server that dies fails the run at once; a remote one shows as connection errors.
    const serverGone = server
      ? server.proc.exited.then(() => {
          throw new RunError(describeExit(`the ${spec.server.transport} server`, server));
        })
      : new Promise<never>(() => {});
    serverGone.catch(() => {});
    const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, serverGone]);
    const all = (type: WorkerMessage["type"], from: number[], timeoutMs: number) => guard(Promise.all(workers.map((w, i) => nextMessage(w, i, type, from[i]!, timeoutMs))));

    for (const job of spec.jobs) {
      const full = { ...job, target };
      workers.push(spawnChild([...pins.swarm, process.execPath, "bench/run/worker.ts", JSON.stringify(full)], PROJECT_ROOT, SWARM_ENV));
    }
    showProgress(spec, workers);
    const ready = await all("ready", workers.map(() => 0), spec.readyTimeoutMs);
    for (const w of workers) w.write("go\n");

    const measuring = await all("phase", ready.map((r) => r.line), spec.runTimeoutMs);
    const cpuStart: CpuTime | undefined = server && cpuTimeOf(server.pid);
    const wireStart = server && wireCount(server.port);
    const placement = { server: server && placementOf(server.pid), swarm: workers.map((w) => placementOf(w.proc.pid)) };
    const drained = await all("phase", measuring.map((r) => r.line), spec.runTimeoutMs);
    const serverCpu = diffCpu(cpuStart, server && cpuTimeOf(server.pid));
    const wire = server && diffWire(wireStart, wireCount(server.port));
    for (const w of workers) w.write("release\n");
    const results = await all("result", drained.map((r) => r.line), spec.runTimeoutMs);
    const serverCost = { ...serverCpu, peakRssBytes: server ? peakRssOf(server.pid) : 0 };
    const stats = server ? await server.stop() : undefined;
    const relayStats = relay ? await relay.stop() : undefined;
    return {
      relay: relayStats && spec.net ? relayOutcome(spec.net, relayStats) : undefined,
      results: results.map((r) => (r.message as unknown as { result: R }).result),
      remote: spec.remote && hostPort(spec.remote.host, spec.remote.port),
      serverCost,
      swarmProcesses: workers.length,
      wire,
      placement,
      serverReceived: stats?.messages ?? 0,
      serverRejected: stats?.rejected ?? {},
      serverErrors: stats?.errors ?? {},
    };
  } finally {
    liveStatus(undefined);
    for (const w of workers) w.kill("SIGKILL");
    server?.kill("SIGKILL");
    relay?.kill("SIGKILL");
    await Promise.allSettled([server?.exited(5000), relay?.exited(5000), ...workers.map((w) => w.exited(5000))]);
  }
}

function relayOutcome(net: string, stats: TcpRelayStats | UdpRelayStats): RelayOutcome {
  const profile = describeProfile(parseProfile(net));
  if ("up" in stats) return { profile, bytesUp: stats.up.bytes, bytesDown: stats.down.bytes, droppedUp: stats.up.dropped, droppedDown: stats.down.dropped };
  return { profile, bytesUp: stats.bytes.up, bytesDown: stats.bytes.down };
}

/** Feeds the live status line from the swarm's progress reports (the highest p99 of any process). */
function showProgress(spec: SwarmSpec<WorkerJob>, workers: Child[]): void {
  const start = performance.now();
  const latest = workers.map(() => ({ done: 0, errors: 0, p99Ns: 0 }));
  let last = { done: 0, at: start };
  let perSec = 0;
  workers.forEach((w, i) => {
    w.stdout.onLine = (line) => {
      if (!line.includes('"type":"progress"')) return;
      latest[i] = JSON.parse(line) as { done: number; errors: number; p99Ns: number };
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

/** Costs of the swarm processes added up (CPU) and at their largest (memory). */
export function swarmCost(parts: ProcessCost[]): ProcessCost & { processes: number } {
  return {
    userMs: parts.reduce((a, p) => a + p.userMs, 0),
    sysMs: parts.reduce((a, p) => a + p.sysMs, 0),
    peakRssBytes: Math.max(0, ...parts.map((p) => p.peakRssBytes)),
    processes: parts.length,
  };
}
