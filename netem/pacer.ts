/**
 * Runs callbacks at future instants with sub-millisecond precision: the relays' delivery clock.
 *
 * Bun's timers fire on a 1 ms grid (setTimeout(fn, 0) takes about 1.07 ms, setTimeout(fn, 3)
 * about 3.08 ms), too coarse to add 5 ms to a 50 µs round trip within 2%. So, as the open loop
 * does (bench/load/scheduler.ts): sleep with setTimeout until about 1.5 ms before the earliest
 * instant, then yield with setImmediate (about 1 µs a turn; socket events still run between
 * turns) until it arrives. The spin runs ONLY while something is due within 1.5 ms: an idle
 * relay, or one whose next delivery is far off, holds at most one timer and burns no CPU.
 *
 * One queue per process (`sharedPacer`), ordered by instant, ties in the order scheduled, so
 * however many connections a relay carries there is one timer and at most one spin.
 */

/** How long before an instant the coarse timer hands over to the setImmediate spin. */
const SPIN_MARGIN_NS = 1_500_000;

interface Entry {
  atNs: number;
  /** Scheduling order: breaks ties so equal instants run first come, first served. */
  seq: number;
  fn: () => void;
  owner: object | undefined;
}

export interface PacerStats {
  /** Callbacks run. */
  ran: number;
  /** How late they ran, after their instant: mean and worst, microseconds. */
  meanLateUs: number;
  maxLateUs: number;
  /** Callbacks that ran more than 1 ms late (the process was descheduled, or overloaded). */
  lateOver1ms: number;
}

export class Pacer {
  private heap: Entry[] = [];
  private seq = 0;
  private timer: Timer | undefined;
  /** The instant the armed timer was aimed at (its entry's instant minus the margin). */
  private timerAtNs = Infinity;
  private spinning = false;
  private readonly tick = (): void => this.runDue();
  private counters = { ran: 0, lateNsSum: 0, maxLateNs: 0, lateOver1ms: 0 };

  constructor(readonly now: () => number = () => Bun.nanoseconds()) {}

  /** Callbacks waiting. */
  get pending(): number {
    return this.heap.length;
  }

  /** Whether the setImmediate spin is running (tests check that an idle pacer does not spin). */
  get isSpinning(): boolean {
    return this.spinning;
  }

  /**
   * Runs fn at `atNs` (Bun.nanoseconds clock) or as soon after as possible. An instant already
   * past, with nothing earlier waiting, runs fn at once: a zero delay adds no event-loop turn.
   * `owner` lets cancel() drop everything one relay scheduled.
   */
  at(atNs: number, fn: () => void, owner?: object): void {
    const head = this.heap[0];
    if ((head === undefined || head.atNs > atNs) && atNs <= this.now()) {
      this.record(this.now() - atNs);
      fn();
      return;
    }
    this.push({ atNs, seq: this.seq++, fn, owner });
    if (this.heap[0]!.seq === this.seq - 1) this.arm();
  }

  /** Drops every callback scheduled by `owner` (a relay that stops). */
  cancel(owner: object): void {
    const kept = this.heap.filter((e) => e.owner !== owner);
    if (kept.length === this.heap.length) return;
    this.heap = [];
    for (const e of kept) this.push(e);
    if (this.heap.length === 0) this.disarm();
  }

  stats(): PacerStats {
    const c = this.counters;
    return { ran: c.ran, meanLateUs: c.ran === 0 ? 0 : c.lateNsSum / c.ran / 1000, maxLateUs: c.maxLateNs / 1000, lateOver1ms: c.lateOver1ms };
  }

  private record(lateNs: number): void {
    const c = this.counters;
    c.ran++;
    c.lateNsSum += lateNs;
    if (lateNs > c.maxLateNs) c.maxLateNs = lateNs;
    if (lateNs > 1e6) c.lateOver1ms++;
  }

  private runDue(): void {
    this.spinning = false;
    this.timer = undefined;
    this.timerAtNs = Infinity;
    try {
      let now = this.now();
      for (let head = this.heap[0]; head !== undefined && head.atNs <= now; head = this.heap[0]) {
        this.pop();
        this.record(now - head.atNs);
        head.fn();
        now = this.now();
      }
    } finally {
      // Re-armed even if a callback threw, so one bad callback cannot stall every delivery.
      this.arm();
    }
  }

  /** Sets up the next wake-up for the earliest entry: a spin if it is close, else one timer. */
  private arm(): void {
    if (this.spinning) return; // the spin looks at the queue every turn
    const head = this.heap[0];
    if (head === undefined) return this.disarm();
    const wait = head.atNs - this.now();
    if (wait < SPIN_MARGIN_NS) {
      this.disarm();
      this.spinning = true;
      setImmediate(this.tick);
      return;
    }
    const wakeAt = head.atNs - SPIN_MARGIN_NS;
    if (this.timer !== undefined && this.timerAtNs <= wakeAt) return; // already due to wake in time
    this.disarm();
    this.timerAtNs = wakeAt;
    this.timer = setTimeout(this.tick, Math.floor((wait - SPIN_MARGIN_NS) / 1e6));
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAtNs = Infinity;
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(e, h[parent]!)) break;
      h[i] = h[parent]!;
      i = parent;
    }
    h[i] = e;
  }

  private pop(): void {
    const h = this.heap;
    const last = h.pop()!;
    if (h.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= h.length) break;
      const r = l + 1;
      const child = r < h.length && before(h[r]!, h[l]!) ? r : l;
      if (!before(h[child]!, last)) break;
      h[i] = h[child]!;
      i = child;
    }
    h[i] = last;
  }
}

function before(a: Entry, b: Entry): boolean {
  return a.atNs < b.atNs || (a.atNs === b.atNs && a.seq < b.seq);
}

/** The one queue of this process: both relays use it unless given another. */
export const sharedPacer = new Pacer();
