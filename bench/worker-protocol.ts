import type { Target } from "../clients/types.ts";
import type { Phase, SessionCounts } from "./load/session.ts";
import type { ProcessCost } from "./stats/cost.ts";
import type { SequenceReport } from "./stats/sequence.ts";

/** What one swarm process is asked to do. */
export interface WorkerJob {
  driver: string;
  target: Target;
  /** Connections (pipes) this process opens. */
  pipes: number;
  /** Message size, bytes (echo drivers). */
  size: number;
  model: "closed" | "open";
  /** Closed loop: operations in flight per pipe. Open loop: the per-pipe in-flight cap. */
  window: number;
  /** Open loop: this process's share of the total rate, per second. */
  ratePerSec: number;
  warmupMs: number;
  durationMs?: number;
  count?: number;
  /** An operation with no reply after this long is given up (counted as a timeout / lost). */
  timeoutMs: number;
  /** Connections are opened evenly over this long before the load starts. */
  rampMs: number;
}

/** What it reports: plain data, histograms encoded so the parent merges them exactly. */
export interface WorkerResult {
  counts: SessionCounts;
  histograms: { latency: string; uncorrected: string; lag: string };
  sequence: SequenceReport;
  measuredNs: number;
  /** CPU used during the measured phase; peak RSS over the whole life of the process. */
  cost: ProcessCost;
}

/** One JSON object per stdout line. The parent answers "go" on stdin once every worker is ready. */
export type WorkerMessage =
  | { type: "ready"; pipes: number }
  | { type: "phase"; phase: Phase }
  | { type: "result"; result: WorkerResult }
  | { type: "error"; message: string };
