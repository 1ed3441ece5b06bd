import { PROJECT_ROOT, spawnChild, type Child } from "../lib/children.ts";
import { RunError } from "../lib/errors.ts";
import { DRIVERS, type DriverName } from "./drivers.ts";
import type { SessionCounts } from "./load/session.ts";
import { startServer, type ServerProcess } from "./server-process.ts";
import { cpuTimeOf, diffCpu, peakRssOf, placementOf, type CpuTime, type Placement, type ProcessCost } from "./stats/cost.ts";
import { decodeHistogram, encodeHistogram, mergeHistograms, summarize, type LatencySummary } from "./stats/histogram.ts";
import type { SequenceReport } from "./stats/sequence.ts";
import type { WorkerJob, WorkerMessage, WorkerResult } from "./worker-protocol.ts";

export const PIN_MODES = ["none", "same", "split"] as const;
export type PinMode = (typeof PIN_MODES)[number];

/** One measured run: a server, a swarm, a load model. */
export interface LoadSpec {
  driver: DriverName;
  /** Connections (pipes) in all, spread over `procs` swarm processes. */
  clients: number;
  procs: number;
  size: number;
  model: "closed" | "open";
  /** Closed loop: in flight per connection. Open loop: the per-connection in-flight cap. */
  window: number;
  /** Open loop: total operations per second. */
  ratePerSec: number;
  warmupMs: number;
  durationMs?: number;
  count?: number;
  timeoutMs: number;
  rampMs: number;
  pin: PinMode;
  /** Extra server options (fault injection in tests). */
  serverArgs?: string[];
}

export interface LoadResult {
  spec: LoadSpec;
  latency: LatencySummary;
  uncorrected: LatencySummary;
  lag: LatencySummary;
  histograms: WorkerResult["histograms"];
  counts: SessionCounts;
  sequence: SequenceReport;
  measuredSec: number;
  opsPerSec: number;
  /** Payload bytes per second in each direction. */
  payloadBytesPerSec: number;
  cost: {
    client: ProcessCost & { processes: number };
    server: ProcessCost;
    clientCpuPerOpUs: number;
    serverCpuPerOpUs: number;
  };
  placement: { server?: Placement; swarm: (Placement | undefined)[] };
  /** What the server itself counted as rejected input or failed sends. */
  serverRejected: Record<string, number>;
  serverErrors: Record<string, number>;
}

/** `taskset` prefixes for the server and the swarm under each pinning mode. */
export function pinPrefixes(pin: PinMode): { server: string[]; swarm: string[] } {
  if (pin === "same") return { server: ["taskset", "-c", "0"], swarm: ["taskset", "-c", "0"] };
  if (pin === "split") return { server: ["taskset", "-c", "0"], swarm: ["taskset", "-c", "1"] };
  return { server: [], swarm: [] };
}

function describeExit(what: string, child: Child): string {
  const p = child.proc;
  const how = p.signalCode ? `was killed by ${p.signalCode}` : `exited with code ${p.exitCode}`;
  const tail = child.stderr.text.trim().split("\n").slice(-3).join(" | ");
  return `${what} (pid ${p.pid}) ${how} during the run${tail ? `: ${tail}` : ""}`;
}

/** Waits for a worker's next message of one of the given types; a reported error is thrown. */
async function nextMessage(worker: Child, index: number, types: WorkerMessage["type"][], from: number, timeoutMs: number): Promise<{ message: WorkerMessage; line: number }> {
  const pattern = new RegExp(`"type":"(${[...types, "error"].join("|")})"`);
  let found: { text: string; index: number };
  try {
    found = await worker.stdout.waitForLine(pattern, timeoutMs, from);
  } catch {
    if (worker.proc.exitCode !== null || worker.proc.signalCode) throw new RunError(describeExit(`swarm process ${index + 1}`, worker));
    throw new RunError(`swarm process ${index + 1} sent no ${types.join("/")} within ${Math.round(timeoutMs / 1000)} s`);
  }
  const message = JSON.parse(found.text) as WorkerMessage;
  if (message.type === "error") throw new RunError(`swarm process ${index + 1}: ${message.message}`);
  return { message, line: found.index + 1 };
}

/** Splits `total` into `parts` whole numbers that differ by at most one. */
export function split(total: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, i) => Math.floor(total / parts) + (i < total % parts ? 1 : 0));
}

/**
 * Runs one load: starts the server, starts the swarm processes, opens every connection, starts
 * them together, samples the server's CPU over the measured phase, and merges what the swarm
 * measured. Every process is reaped, whatever happens; a server that dies mid-run fails the
 * run with a message saying so.
 */
export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const driver = DRIVERS[spec.driver];
  const pins = pinPrefixes(spec.pin);
  const server = await startServer(driver.server, ["--mode", driver.mode, "--quiet", ...(spec.serverArgs ?? [])], pins.server);
  const workers: Child[] = [];
  try {
    const serverGone = server.proc.exited.then(() => {
      throw new RunError(describeExit(`the ${driver.server} server`, server));
    });
    serverGone.catch(() => {});
    const guard = <T>(p: Promise<T>): Promise<T> => Promise.race([p, serverGone]);

    const pipes = split(spec.clients, spec.procs);
    for (const [i, n] of pipes.entries()) {
      const job: WorkerJob = {
        driver: spec.driver,
        target: { host: "127.0.0.1", port: server.port },
        pipes: n,
        size: spec.size,
        model: spec.model,
        window: spec.window,
        ratePerSec: (spec.ratePerSec * n) / spec.clients,
        warmupMs: spec.warmupMs,
        durationMs: spec.durationMs,
        count: spec.count === undefined ? undefined : split(spec.count, spec.procs)[i],
        timeoutMs: spec.timeoutMs,
        rampMs: spec.rampMs,
      };
      workers.push(spawnChild([...pins.swarm, process.execPath, "bench/worker.ts", JSON.stringify(job)], PROJECT_ROOT));
    }

    const readyTimeout = spec.rampMs + spec.timeoutMs + 15_000;
    const ready = await guard(Promise.all(workers.map((w, i) => nextMessage(w, i, ["ready"], 0, readyTimeout))));
    for (const w of workers) w.write("go\n");

    // The server's CPU over the measured phase: from the first worker starting it to the last ending it.
    const runTimeout = spec.warmupMs + (spec.durationMs ?? 300_000) + spec.timeoutMs + 20_000;
    const measuring = await guard(Promise.all(workers.map((w, i) => nextMessage(w, i, ["phase"], ready[i]!.line, spec.warmupMs + 20_000))));
    const serverCpuStart: CpuTime | undefined = cpuTimeOf(server.pid);
    const placement = { server: placementOf(server.pid), swarm: workers.map((w) => placementOf(w.proc.pid)) };
    const drained = await guard(Promise.all(workers.map((w, i) => nextMessage(w, i, ["phase"], measuring[i]!.line, runTimeout))));
    const serverCpu = diffCpu(serverCpuStart, cpuTimeOf(server.pid));
    const results = await guard(Promise.all(workers.map((w, i) => nextMessage(w, i, ["result"], drained[i]!.line, spec.timeoutMs + 15_000))));
    const serverPeakRss = peakRssOf(server.pid);
    const stats = await server.stop();
    return merge(spec, results.map((r) => (r.message as { result: WorkerResult }).result), serverCpu, serverPeakRss, placement, stats.rejected, stats.errors);
  } finally {
    for (const w of workers) w.kill("SIGKILL");
    server.kill("SIGKILL");
    await Promise.allSettled([server.exited(5000), ...workers.map((w) => w.exited(5000))]);
  }
}

function sumRecords(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function merge(
  spec: LoadSpec,
  parts: WorkerResult[],
  serverCpu: CpuTime,
  serverPeakRss: number,
  placement: LoadResult["placement"],
  serverRejected: Record<string, number>,
  serverErrors: Record<string, number>,
): LoadResult {
  const hist = (key: keyof WorkerResult["histograms"]) => mergeHistograms(parts.map((p) => decodeHistogram(p.histograms[key])));
  const latency = hist("latency");
  const uncorrected = hist("uncorrected");
  const lag = hist("lag");
  const sum = (f: (p: WorkerResult) => number) => parts.reduce((a, p) => a + f(p), 0);
  const counts: SessionCounts = {
    sent: sum((p) => p.counts.sent),
    completed: sum((p) => p.counts.completed),
    timeouts: sum((p) => p.counts.timeouts),
    behind: sum((p) => p.counts.behind),
    unsent: sum((p) => p.counts.unsent),
    errors: sumRecords(parts.map((p) => p.counts.errors)),
  };
  const sequence: SequenceReport = {
    sent: sum((p) => p.sequence.sent),
    received: sum((p) => p.sequence.received),
    lost: sum((p) => p.sequence.lost),
    reordered: sum((p) => p.sequence.reordered),
    duplicated: sum((p) => p.sequence.duplicated),
    late: sum((p) => p.sequence.late),
    jitterNs: parts.length ? sum((p) => p.sequence.jitterNs) / parts.length : 0,
  };
  const measuredSec = Math.max(...parts.map((p) => p.measuredNs)) / 1e9;
  const opsPerSec = measuredSec > 0 ? counts.completed / measuredSec : 0;
  const clientCpuMs = sum((p) => p.cost.userMs + p.cost.sysMs);
  const perOp = (ms: number) => (counts.completed > 0 ? (ms * 1000) / counts.completed : 0);
  return {
    spec,
    latency: summarize(latency),
    uncorrected: summarize(uncorrected),
    lag: summarize(lag),
    histograms: { latency: encodeHistogram(latency), uncorrected: encodeHistogram(uncorrected), lag: encodeHistogram(lag) },
    counts,
    sequence,
    measuredSec,
    opsPerSec,
    payloadBytesPerSec: opsPerSec * spec.size,
    cost: {
      client: { userMs: sum((p) => p.cost.userMs), sysMs: sum((p) => p.cost.sysMs), peakRssBytes: Math.max(...parts.map((p) => p.cost.peakRssBytes)), processes: parts.length },
      server: { ...serverCpu, peakRssBytes: serverPeakRss },
      clientCpuPerOpUs: perOp(clientCpuMs),
      serverCpuPerOpUs: perOp(serverCpu.userMs + serverCpu.sysMs),
    },
    placement,
    serverRejected,
    serverErrors,
  };
}

export type { ServerProcess };
