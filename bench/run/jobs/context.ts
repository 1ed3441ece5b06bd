import type { Phase } from "../../load/session.ts";
import type { ProcessCost } from "../../stats/cost.ts";
import type { LiveShare } from "../worker-protocol.ts";

/** What a job running in a swarm process may tell its orchestrator, and ask of it. */
export interface JobContext {
  /** Every connection is open: reports it, then waits for the orchestrator's go. */
  ready(pipes: number): Promise<void>;
  /** The measured phase starts or ends (CPU is sampled here too). */
  phase(phase: Phase): void;
  /**
   * Resolves once the orchestrator has read the server's counters for the measured phase: until
   * then connections must stay open, or the kernel forgets their byte counts.
   */
  released(): Promise<void>;
  /** Reports how the run is going (shown live on a terminal). */
  progress(done: number, errors: number, p99Ns: number, live?: LiveShare): void;
  /** With live metrics: CPU since measuring began (ms) and the longest pause since last asked (ns). */
  liveProcess(): { cpuMs: number; pauseMaxNs: number };
  /** CPU used in the measured phase so far, and peak memory. */
  cost(): ProcessCost;
}
