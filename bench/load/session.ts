import { newHistogram, record, type Histogram } from "../stats/histogram.ts";
import { SequenceTracker, sumSequences, type SequenceReport } from "../stats/sequence.ts";
import type { Pipe, PipeEvents, Scheduler } from "./types.ts";
import type { SessionCounts } from "../stats/counts.ts";
import { DEFAULT_INTERVAL_MS, IntervalRecorder, type IntervalShare } from "../stats/timeline.ts";
import type { SegmentRecorder } from "../stats/segments.ts";
import { InflightTable } from "./inflight.ts";

/** Sends more than this far behind their intended time count as "behind schedule". */
export const BEHIND_NS = 1_000_000;

export type Phase = "warmup" | "measure" | "drain";

/**
 * Per-pipe state: its operations in flight (numbered in send order; those issued during the
 * measured phase are the ones counted and timed, wherever they end) and sequence tracking.
 */
class PipeState {
  readonly inflight = new InflightTable();
  alive = true;
  readonly tracker = new SequenceTracker();
  constructor(readonly pipe: Pipe) {}
}

export interface SessionResult {
  counts: SessionCounts;
  latency: Histogram;
  /** Open loop: latency from the actual send, hiding time spent waiting to send. */
  uncorrected: Histogram;
  /** Open loop: how late each send left against its schedule. */
  lag: Histogram;
  sequence: SequenceReport;
  /** Length of the measured phase, ns. */
  measuredNs: number;
  /** The measured phase in intervals: latency over time. */
  intervals: IntervalShare[];
}

/**
 * Bookkeeping shared by the load models: which operations are in flight and since when, what
 * timed out, and what each completion measured. Latency is taken from the intended send time
 * (equal to the actual one in a closed loop); the uncorrected histogram and the send lag are
 * kept beside it, as wrk2 does, so the correction can be seen.
 */
export class Session {
  private states: PipeState[] = [];
  readonly latency = newHistogram();
  readonly uncorrected = newHistogram();
  readonly lag = newHistogram();
  private counts: SessionCounts = { sent: 0, completed: 0, timeouts: 0, behind: 0, unsent: 0, errors: {} };
  phase: Phase = "warmup";
  private measureStart = 0;
  private measureEnd = 0;
  private readonly timeline: IntervalRecorder;
  private intervals: IntervalShare[] | undefined;
  /** Called when an operation on pipe i ends (completed or timed out): the slot is free. */
  onSlotFree: (pipe: number) => void = () => {};
  /** Called when every pipe has closed. */
  onAllClosed: () => void = () => {};
  /** Called as the measured phase starts and ends. */
  onPhase: (phase: Phase) => void = () => {};
  /** Where the run is cut by due time (stages, capacity steps): measured operations recorded there too. */
  segments: SegmentRecorder | undefined;
  /** Live metrics: measured latencies since the last report (taken and replaced by the reporter). */
  liveLatency: Histogram | undefined;

  constructor(
    readonly clock: Scheduler,
    readonly timeoutNs: number,
    intervalNs = DEFAULT_INTERVAL_MS * 1e6,
  ) {
    this.timeline = new IntervalRecorder(intervalNs);
  }

  add(pipe: Pipe): number {
    this.states.push(new PipeState(pipe));
    return this.states.length - 1;
  }

  get pipes(): number {
    return this.states.length;
  }

  inflight(pipe: number): number {
    return this.states[pipe]!.inflight.size;
  }

  get totalInflight(): number {
    let n = 0;
    for (const s of this.states) n += s.inflight.size;
    return n;
  }

  alive(pipe: number): boolean {
    return this.states[pipe]!.alive;
  }

  get anyAlive(): boolean {
    return this.states.some((s) => s.alive);
  }

  startMeasuring(): void {
    this.phase = "measure";
    this.measureStart = this.clock.now();
    this.timeline.start(this.measureStart);
    this.onPhase("measure");
  }

  stopMeasuring(): void {
    this.phase = "drain";
    this.measureEnd = this.clock.now();
    this.onPhase("drain");
  }

  /**
   * Issues the next operation on a pipe, due at `intended` (default: now). False if it could not.
   * `dueInWindow`: sent after the measured phase ended but due within it (an open loop catching
   * up at the end), so it is measured like the rest of the window.
   */
  issue(pipe: number, intended?: number, dueInWindow = false): boolean {
    const state = this.states[pipe]!;
    if (!state.alive) return false;
    const sent = this.clock.now();
    const due = intended ?? sent;
    const measured = this.phase === "measure" || dueInWindow;
    const seq = state.inflight.add(due, sent, measured);
    if (!state.pipe.issue(seq)) {
      if (state.inflight.has(seq)) state.inflight.remove(seq);
      return false;
    }
    if (measured) {
      this.counts.sent++;
      if (intended !== undefined) {
        record(this.lag, sent - due);
        if (sent - due > BEHIND_NS) this.counts.behind++;
      }
      this.segments?.sent(due, sent - due);
    }
    return true;
  }

  /** A pipe reports operation `seq` done. */
  done(pipe: number, seq: number): void {
    const state = this.states[pipe]!;
    const now = this.clock.now();
    const inflight = state.inflight;
    if (!inflight.has(seq)) {
      // Not in flight: a duplicate, or a reply after its timeout. Both are counted, neither timed.
      state.tracker.arriveLate(seq);
      return;
    }
    const intended = inflight.intendedOf(seq);
    const sent = inflight.sentOf(seq);
    const measured = inflight.measuredOf(seq);
    inflight.remove(seq);
    state.tracker.arrive(seq, sent, now);
    if (measured) {
      this.counts.completed++;
      record(this.latency, now - intended);
      record(this.uncorrected, now - sent);
      // Into the interval it completes in (the drain's completions belong to the last one).
      if (this.phase === "measure") this.timeline.roll(now);
      this.timeline.record(now - intended);
      this.segments?.completed(intended, now - intended);
      if (this.liveLatency) record(this.liveLatency, now - intended);
    }
    this.onSlotFree(pipe);
  }

  addUnsent(n: number): void {
    this.counts.unsent += n;
  }

  get completedMeasured(): number {
    return this.counts.completed;
  }

  /** Errors and timeouts so far. */
  get problems(): number {
    return this.counts.timeouts + Object.values(this.counts.errors).reduce((a, b) => a + b, 0);
  }

  /** Errors so far by kind, timeouts as "timeout". */
  errorCounts(): Record<string, number> {
    return { ...this.counts.errors, ...(this.counts.timeouts ? { timeout: this.counts.timeouts } : {}) };
  }

  get sentMeasured(): number {
    return this.counts.sent;
  }

  /** `n` errors of a kind (one unless told). */
  error(kind: string, n = 1): void {
    this.counts.errors[kind] = (this.counts.errors[kind] ?? 0) + n;
    if (this.phase === "measure") this.timeline.error(n);
  }

  /** Operation `seq` on a pipe failed (or an unmatched failure, seq undefined): counted, slot freed. */
  fail(pipe: number, seq: number | undefined, kind: string): void {
    this.error(kind);
    const inflight = this.states[pipe]!.inflight;
    if (seq === undefined || !inflight.has(seq)) return;
    const measured = inflight.measuredOf(seq);
    const intended = inflight.intendedOf(seq);
    inflight.remove(seq);
    if (measured) this.segments?.failed(intended);
    this.onSlotFree(pipe);
  }

  /** The events a pipe reports, bound to its index in this session. */
  eventsFor(pipe: number): PipeEvents {
    return {
      done: (seq) => this.done(pipe, seq),
      failed: (seq, kind) => this.fail(pipe, seq, kind),
      closed: (reason) => this.closed(pipe, reason),
    };
  }

  /** A pipe is gone: what it had in flight is abandoned and counted as errors of this kind. */
  closed(pipe: number, reason: string): void {
    const state = this.states[pipe]!;
    if (!state.alive) return;
    state.alive = false;
    this.error(`closed: ${reason}`);
    for (const seq of state.inflight.inOrder()) {
      if (state.inflight.measuredOf(seq)) this.segments?.failed(state.inflight.intendedOf(seq));
      state.inflight.remove(seq);
    }
    if (!this.anyAlive) this.onAllClosed();
  }

  /** Gives up on operations older than the timeout; their slots become free. */
  sweepTimeouts(): void {
    const cutoff = this.clock.now() - this.timeoutNs;
    this.states.forEach((state, i) => {
      const inflight = state.inflight;
      // Oldest first, in send order: the first younger than the cutoff ends the sweep.
      for (let seq = inflight.first(); seq >= 0 && inflight.sentOf(seq) <= cutoff; seq = inflight.first()) {
        const measured = inflight.measuredOf(seq);
        const intended = inflight.intendedOf(seq);
        inflight.remove(seq);
        if (measured) {
          this.counts.timeouts++;
          this.timeline.error();
          this.segments?.timedOut(intended);
        }
        this.onSlotFree(i);
      }
    });
  }

  result(): SessionResult {
    const end = this.phase === "drain" ? this.measureEnd : this.clock.now();
    // Closed here, not when measuring stops: the drain's completions belong to the last interval.
    if (this.phase === "drain") this.intervals ??= this.timeline.finish(this.measureEnd);
    const sequence = sumSequences(this.states.map((s) => s.tracker.report(s.inflight.issued)));
    return {
      counts: this.counts,
      latency: this.latency,
      uncorrected: this.uncorrected,
      lag: this.lag,
      sequence,
      measuredNs: Math.max(0, end - this.measureStart),
      intervals: this.intervals ?? [],
    };
  }
}
