import type { Target } from "../../clients/types.ts";
import { DRIVERS, type DriverName } from "./bind.ts";
import { sumCounts, type SessionCounts } from "../load/session.ts";
import { runSwarm, split, swarmCost, type PinMode, type RelayOutcome, type SwarmOutcome } from "./orchestrate.ts";
import type { Repetitions } from "./repeat.ts";
import { cpuPerOpUs, type ProcessCost } from "../stats/cost.ts";
import { encodeHistogram, mergeEncoded, summarize, type LatencySummary } from "../stats/histogram.ts";
import { sumSequences, type SequenceReport } from "../stats/sequence.ts";
import { perOperation } from "../stats/wire.ts";
import type { EchoJob, EchoResult, LoadShape } from "./worker-protocol.ts";

/** One measured echo load: a server, a swarm, a load model. */
export interface LoadSpec extends LoadShape {
  driver: DriverName;
  /** Connections (pipes) in all, spread over `procs` swarm processes. */
  clients: number;
  procs: number;
  /** Open loop: total operations per second. */
  ratePerSec: number;
  pin: PinMode;
  /** Extra server options (fault injection in tests). */
  serverArgs?: string[];
  /** A server started elsewhere; nothing is started locally. */
  target?: Target;
  /** Network conditions (a netem profile) applied between the swarm and the server. */
  net?: string;
}

export interface LoadResult {
  spec: LoadSpec;
  latency: LatencySummary;
  uncorrected: LatencySummary;
  lag: LatencySummary;
  histograms: EchoResult["histograms"];
  counts: SessionCounts;
  sequence: SequenceReport;
  measuredSec: number;
  opsPerSec: number;
  /** Payload bytes per second in each direction. */
  payloadBytesPerSec: number;
  cost: { client: ProcessCost & { processes: number }; server: ProcessCost; clientCpuPerOpUs: number; serverCpuPerOpUs: number };
  /** Kernel-counted TCP bytes per completed operation, each direction (undefined where not measurable). */
  wirePerOp?: { in: number; out: number; segmentsIn: number; segmentsOut: number };
  placement: SwarmOutcome<EchoResult>["placement"];
  /** "host:port" of a remote server: its CPU, memory and socket bytes were not measured. */
  remote?: string;
  /** With --net: the conditions, and the bytes the relay carried each way. */
  relay?: RelayOutcome;
  /** One-way runs: datagrams sent in the whole run (warm-up included) and those the server counted. */
  oneWay?: { sent: number; received: number; lost: number };
  serverRejected: Record<string, number>;
  serverErrors: Record<string, number>;
  /** With --repeat: how many times the run was made, and each figure's range (the run shown is the median one). */
  repeat?: Repetitions;
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const driver = DRIVERS[spec.driver];
  const pipes = split(spec.clients, spec.procs);
  const counts = spec.count === undefined ? undefined : split(spec.count, spec.procs);
  const jobs: Omit<EchoJob, "target">[] = pipes.map((n, i) => ({
    kind: "echo",
    driver: spec.driver,
    pipes: n,
    size: spec.size,
    model: spec.model,
    window: spec.window,
    ratePerSec: (spec.ratePerSec * n) / spec.clients,
    warmupMs: spec.warmupMs,
    durationMs: spec.durationMs,
    count: counts?.[i],
    timeoutMs: spec.timeoutMs,
    rampMs: spec.rampMs,
  }));
  const outcome = await runSwarm<EchoJob, EchoResult>({
    server: { transport: driver.server, args: ["--mode", driver.mode, ...(spec.serverArgs ?? [])] },
    remote: spec.target,
    net: spec.net,
    jobs,
    pin: spec.pin,
    readyTimeoutMs: spec.rampMs + spec.timeoutMs + 15_000,
    runTimeoutMs: spec.warmupMs + (spec.durationMs ?? 300_000) + spec.timeoutMs + 20_000,
    label: `${driver.label}, ${spec.size} B${spec.model === "open" ? `, ${spec.ratePerSec}/s` : ""}`,
    plannedMs: spec.durationMs === undefined ? undefined : spec.warmupMs + spec.durationMs,
  });
  return mergeLoad(spec, outcome, driver.perOperationConnection || driver.server === "udp");
}

/** Sums counts, merges histograms exactly, and derives rates and per-operation costs. */
export function mergeLoad(spec: LoadSpec, outcome: SwarmOutcome<EchoResult>, noWire: boolean): LoadResult {
  const parts = outcome.results;
  const hist = (key: keyof EchoResult["histograms"]) => mergeEncoded(parts.map((p) => p.histograms[key]));
  const latency = hist("latency");
  const uncorrected = hist("uncorrected");
  const lag = hist("lag");
  const counts = sumCounts(parts.map((p) => p.counts));
  const sequence = sumSequences(parts.map((p) => p.sequence));
  const measuredSec = Math.max(...parts.map((p) => p.measuredNs)) / 1e9;
  const opsPerSec = measuredSec > 0 ? counts.completed / measuredSec : 0;
  const client = swarmCost(parts.map((p) => p.cost));
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
    cost: { client, server: outcome.serverCost, clientCpuPerOpUs: cpuPerOpUs(client, counts.completed), serverCpuPerOpUs: cpuPerOpUs(outcome.serverCost, counts.completed) },
    wirePerOp: noWire ? undefined : perOperation(outcome.wire, opsPerSec),
    placement: outcome.placement,
    remote: outcome.remote,
    relay: outcome.relay,
    oneWay: DRIVERS[spec.driver].oneWay && !outcome.remote ? { sent: sequence.sent, received: outcome.serverReceived, lost: Math.max(0, sequence.sent - outcome.serverReceived) } : undefined,
    serverRejected: outcome.serverRejected,
    serverErrors: outcome.serverErrors,
  };
}
