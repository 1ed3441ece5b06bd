import type { Session } from "./session.ts";

export interface PhaseOptions {
  warmupNs: number;
  /** Measure for this long... */
  durationNs?: number;
  /** ...or until this many operations issued in the measured phase have finished. */
  count?: number;
}

/**
 * The phases every load model shares: warm up (nothing recorded), measure, then stop issuing and
 * drain what is in flight, bounded by the operation timeout. The model supplies `kick`, which
 * issues whatever is due, and asks `issuing` whether it still may.
 */
export class Phases {
  readonly done: Promise<void>;
  private stopped = false;
  private finished = false;
  private resolve!: () => void;

  constructor(
    private readonly session: Session,
    private readonly opts: PhaseOptions,
    /**
     * Called as issuing stops: in duration mode with the instant the measured phase was meant to
     * end (its timer may fire late); in count mode (the count reached) with undefined.
     */
    private readonly onStop: (endNs: number | undefined) => void = () => {},
  ) {
    this.done = new Promise<void>((resolve) => (this.resolve = resolve));
  }

  /** Starts the warmup; `kick` issues whatever is due (again when measuring starts). */
  start(kick: () => void): Promise<void> {
    const session = this.session;
    const clock = session.clock;
    const start = clock.now();
    session.onAllClosed = () => {
      this.stop();
      this.finish();
    };
    const sweepEvery = Math.min(100_000_000, Math.max(1_000_000, session.timeoutNs / 4));
    const sweep = (): void => {
      if (this.stopped) return;
      session.sweepTimeouts();
      clock.roughlyAt(clock.now() + sweepEvery, sweep);
    };
    clock.roughlyAt(start + sweepEvery, sweep);
    const measure = (): void => {
      if (this.stopped) return;
      session.startMeasuring();
      if (this.opts.durationNs !== undefined) {
        const endNs = clock.now() + this.opts.durationNs;
        clock.at(endNs, () => this.stop(endNs));
      }
      kick();
    };
    if (this.opts.warmupNs > 0) {
      clock.at(start + this.opts.warmupNs, measure);
      kick();
    } else {
      measure();
    }
    return this.done;
  }

  get issuing(): boolean {
    return !this.stopped;
  }

  /** Count mode: the measured phase has issued all it should. */
  get countReached(): boolean {
    return this.opts.count !== undefined && this.session.phase === "measure" && this.session.sentMeasured >= this.opts.count;
  }

  stop(endNs?: number): void {
    if (this.stopped) return;
    this.stopped = true;
    const session = this.session;
    // In count mode the measured phase lasts until the last counted operation ends.
    if (this.opts.count === undefined) session.stopMeasuring();
    this.onStop(endNs);
    const clock = session.clock;
    const deadline = clock.now() + session.timeoutNs;
    const drain = (): void => {
      session.sweepTimeouts();
      if (session.totalInflight === 0 || clock.now() >= deadline || !session.anyAlive) this.finish();
      else clock.roughlyAt(clock.now() + 1_000_000, drain);
    };
    drain();
  }

  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    if (this.session.phase !== "drain") this.session.stopMeasuring();
    this.resolve();
  }
}
