// The machine's own pauses, measured as jHiccup does: a sleeper asks to wake every few
// milliseconds and records how late it woke. Whatever delays it (the scheduler, a host stealing
// the virtual CPU, a garbage collection in this process, the timer's own granularity) delays the
// process's network work alike, so a latency tail no longer than these pauses is the platform's,
// not the program's. Its lateness when nothing else runs is also what waking a sleeping process
// costs: part of every push delivery to an idle subscriber.
import type * as Hdr from "hdr-histogram-js";

/** How often the sleeper asks to wake: rare enough to cost nothing, often enough to see a pause of a few ms. */
export const PAUSE_SLEEP_MS = 5;
/** In a process that spins (an open loop), the sleeper wakes this often. */
export const OPEN_LOOP_PAUSE_MS = 1;

/**
 * Wakes recorded at three significant digits, value to count (finer than the 2-digit HdrHistogram they go into),
 * without loading HdrHistogram (a tenth of a second of start-up on a small machine) into a
 * server on its way to listening; it is loaded when the record is encoded, at the end.
 */
type Wakes = Map<number, number>;

export class PauseMeter {
  private wakes: Wakes = new Map();
  private windowMax = 0;
  private timer: Timer | undefined;
  private due = 0;
  private periodMs = PAUSE_SLEEP_MS;

  /**
   * Wakes every `ms` from the next wake on. A sleeper sees a pause only from its due time on,
   * so one shorter than its period can pass unseen between two wakes: where something else
   * samples the process far more often (an open loop's sends), the sleeper must too, or the
   * pauses it reports are too short to explain what the sends saw.
   */
  setPeriod(ms: number): void {
    this.periodMs = ms;
  }

  start(): this {
    const tick = (): void => {
      const now = Bun.nanoseconds();
      const late = Number(Math.max(1, Math.min(60e9, Math.round(now - this.due))).toPrecision(3));
      this.wakes.set(late, (this.wakes.get(late) ?? 0) + 1);
      if (late > this.windowMax) this.windowMax = late;
      this.due = now + this.periodMs * 1e6;
      this.timer = setTimeout(tick, this.periodMs);
      this.timer.unref(); // the sleeper alone must not keep a process alive
    };
    this.due = Bun.nanoseconds() + this.periodMs * 1e6;
    this.timer = setTimeout(tick, this.periodMs);
    this.timer.unref();
    return this;
  }

  /** Forgets what was recorded (at the start of a measured phase). */
  reset(): void {
    this.wakes = new Map();
  }

  /** The longest pause since the last call (ns), for a live view; starts a new stretch. */
  takeWindowMax(): number {
    const max = this.windowMax;
    this.windowMax = 0;
    return max;
  }

  /** What was recorded so far, as a compressed base64 HdrHistogram of ns. */
  encoded(): string {
    const hdr = require("hdr-histogram-js") as typeof Hdr;
    const h = hdr.build({
      lowestDiscernibleValue: 1,
      highestTrackableValue: 60e9,
      numberOfSignificantValueDigits: 2,
      bitBucketSize: 32,
      useWebAssembly: false,
    });
    for (const [value, count] of this.wakes) h.recordValueWithCount(value, count);
    return hdr.encodeIntoCompressedBase64(h);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}
