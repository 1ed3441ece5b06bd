// What the orchestrator and a swarm process say to each other: the job it is given, the lines it
// prints (one JSON object each), and what it measured.
import type { IntervalShare } from "../stats/timeline.ts";
import type { UrlExchange } from "../model/exchange.ts";
import type { Phase } from "../load/session.ts";
import type { ProcessCost } from "../stats/cost.ts";
import type { SequenceReport } from "../stats/sequence.ts";
import type { Target } from "../../lib/net.ts";
import type { ClockOffset } from "../model/results.ts";
import type { SessionCounts } from "../stats/counts.ts";
import type { CapacitySpec, LoadShape, RampStage } from "../model/spec.ts";
import type { SegmentShare } from "../stats/segments.ts";
import type { CapacityFound } from "../load/capacity.ts";
import type { DriverName, PushKind } from "../catalog.ts";
import type { EchoHistograms } from "../model/results.ts";

/** An echo load for one swarm process: its share of the connections, the rate and the count. */
export interface EchoJob extends LoadShape {
  kind: "echo";
  driver: DriverName;
  target: Target;
  /** Connections (pipes) this process opens. */
  pipes: number;
  /** Open loop: this process's share of the total rate, per second. */
  ratePerSec: number;
  /** A server socketlab did not write: what each operation sends and what answers it. */
  exchange?: UrlExchange;
  /** Open loop: this process's share of a ramp's stages (rates per second). */
  stages?: RampStage[];
  /** A capacity search instead of a fixed rate (one process: its decisions need the whole load). */
  capacity?: CapacitySpec;
  /** Live metrics are served: progress reports carry what they need (LiveShare). */
  live?: boolean;
}

/** Subscribers receiving a push-mode server's events. */
export interface PushJob {
  kind: "push";
  pattern: PushKind;
  /** Short polling: pause between polls. */
  intervalMs: number;
  target: Target;
  subscribers: number;
  warmupMs: number;
  durationMs: number;
  /** After the window, how long to wait for events published in it still on their way. */
  graceMs: number;
  timeoutMs: number;
  rampMs: number;
  /** The server is on another host: estimate its clock offset first and apply it to every latency. */
  remoteClock?: boolean;
  /** Live metrics are served: progress reports carry the process's CPU and pauses (LiveShare). */
  live?: boolean;
  /** Latency over time: interval length, ms (default 1000). */
  timelineMs?: number;
}

export type WorkerJob = EchoJob | PushJob;

export interface EchoResult {
  counts: SessionCounts;
  histograms: EchoHistograms;
  sequence: SequenceReport;
  measuredNs: number;
  /** The measured phase in intervals: latency over time. */
  intervals: IntervalShare[];
  /** Stages or capacity steps: operations by the stretch they were due in. */
  segments?: SegmentShare[];
  /** The capacity search's steps and verdicts. */
  capacity?: CapacityFound;
  /** The process's own pauses in the measured phase (lib/pauses.ts), compressed HdrHistogram of ns. */
  pauses?: string;
  /** CPU used during the measured phase; peak RSS over the whole life of the process. */
  cost: ProcessCost;
}

export interface PushResult {
  /** Publish-to-receipt latency of every delivery of an event published in the window, ns. */
  latency: string;
  delivered: number;
  /** The lowest and highest event id published in the window that any subscriber received. */
  firstId: number;
  lastId: number;
  /** Requests and empty polls during the window, over all subscribers. */
  requests: number;
  emptyPolls: number;
  missed: number;
  /** Deliveries that seemed to arrive before they were published (clock trouble), counted as 0. */
  clockAnomalies: number;
  /** For each event: the latency of its slowest delivery (time until the last subscriber had it). */
  slowestDelivery: [id: number, ns: number][];
  /** Deliveries by the interval their event was published in: latency over time. */
  intervals: IntervalShare[];
  /** The process's own pauses in the measured phase (lib/pauses.ts), compressed HdrHistogram of ns. */
  pauses?: string;
  /** With a remote server: the clock offset applied, and how far it may be off. */
  clock?: ClockOffset;
  cost: ProcessCost;
}

/**
 * With live metrics (--metrics-port), each progress report also carries what the metrics need:
 * the latencies recorded since the previous report, errors by kind so far, CPU so far.
 */
export interface LiveShare {
  /** Latencies (ns) completed since the previous report, a compressed HdrHistogram; absent where none are timed (push). */
  latency?: string;
  /** Errors and timeouts so far in the measured phase, by kind ("timeout" for timeouts). */
  errors: Record<string, number>;
  /** This process's CPU (user + system) since its measured phase began, ms. */
  cpuMs: number;
  /** Its longest pause since the previous report, ns. */
  pauseMaxNs: number;
}

/** One JSON object per stdout line. The parent answers "go" on stdin once every worker is ready. */
export type WorkerMessage =
  | { type: "ready"; pipes: number }
  /** The measured phase started or ended, at this wall-clock instant (epoch ms). */
  | { type: "phase"; phase: Phase; atMs: number }
  /** Every half second during the run: operations done, problems, p99 so far (measured phase only). */
  | { type: "progress"; done: number; errors: number; p99Ns: number; live?: LiveShare }
  | { type: "result"; result: EchoResult | PushResult }
  | { type: "error"; message: string };
