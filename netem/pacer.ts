/**
 * Runs callbacks at future instants with microsecond precision: the relays' delivery clock.
 *
 * Bun's timers take whole milliseconds and fire late: setTimeout(fn, n) runs n ms plus an
 * overshoot later (0.13 to 0.2 ms at the median on a 2-vCPU VM, where waking an idle vCPU is
 * slow), and setTimeout(fn, 0) or (fn, 0.5) after about 1.1 ms. So, as the open loop does
 * (bench/load/scheduler.ts): sleep with setTimeout for the whole milliseconds that still wake
 * before the instant, leaving a margin for the overshoot, in timers of at most 4 ms (a longer
 * one overshoots more: p90 0.4 ms at 24 ms), then yield with setImmediate (about
 * 1 µs a turn; socket events still run between turns) until the instant arrives. Callbacks run
 * 2 to 9 µs after their instant at the median.
 *
 * The margin is learnt from the timer's own overshoots (a high quantile of the recent ones,
 * plus a cushion): what this machine's timer needs, 0.25 to 0.5 ms on that VM, and 1.5 ms at
 * most, which is also where it starts. A fixed 1.5 ms margin spun 1.5 to 2.5 ms before every
 * delivery (2 ms of CPU per delivery, against 0.9 ms with the learnt one at a 5 ms delay), and
 * a busy vCPU changes where the kernel wakes the processes under test: with the long spin, the
 * echo server of the accuracy test (netem/accuracy.test.ts) was woken on the other, idle vCPU
 * in 27 of 40 direct round trips (11 to 14 with the short one), which made them 50-120 µs
 * slower. A timer later than the margin makes its deliveries late, never early; stats() counts
 * them. (What a relayed round trip costs beyond the profile is not the pacer's lateness: see
 * "Precision" in README.md.)
 *
 * The spin runs ONLY while something is due within a millisecond plus the margin: an idle
 * relay, or one whose next delivery is far off, holds at most one timer and burns no CPU.
 *
 * One queue per process (`sharedPacer`), ordered by instant, ties in the order scheduled, so
 * however many connections a relay carries there is one timer and at most one spin.
 */

/** The spin margin's bounds; the largest is also the margin used until the timer is measured. */
const MIN_MARGIN_NS = 50_000;
const MAX_MARGIN_NS = 1_500_000;
/** The longest single timer: a far instant is reached by a chain of these (see arm). */
const MAX_TIMER_MS = 4;
/** Timer overshoots remembered, and how many are needed before the margin follows them. */
const OVERSHOOT_WINDOW = 32;
const OVERSHOOT_MIN_SAMPLES = 8;
/** The margin is this quantile of the remembered overshoots, plus the cushion. */
const OVERSHOOT_QUANTILE = 0.9;
const MARGIN_CUSHION_NS = 100_000;
/** Lateness is counted per whole microsecond up to this; later ones share the last bucket, reported as the worst. */
const LATE_BUCKETS_US = 10_000;

interface Entry {
  atNs: number;
  /** Scheduling order: breaks ties so equal instants run first come, first served. */
  seq: number;
  fn: () => void;
  owner: object | undefined;
}

export interface PacerStats {
  /** Callbacks run (each releases bytes: a delivery, or held bytes onto the link). */
  ran: number;
  /**
   * How late they ran after their instant, in microseconds: mean, median and p99 (rounded up to
   * the microsecond), worst. This is the relay's own timing error: bytes leave it this much
   * later than the profile says.
   */
  meanLateUs: number;
  p50LateUs: number;
  p99LateUs: number;
  maxLateUs: number;
  /** Callbacks that ran more than 1 ms late (the process was descheduled, or overloaded). */
  lateOver1ms: number;
  /** How late Bun's timer fired, p90 of its last 32 wake-ups (0 before 8), microseconds. */
  timerOvershootP90Us: number;
  /** The current spin margin: that p90 plus 0.1 ms, within 0.05-1.5 ms; 1.5 ms before 8. */
  spinMarginUs: number;
  /** Time spent spinning in all, milliseconds: the CPU the precision cost. */
  spinMs: number;
}

export class Pacer {
  private heap: Entry[] = [];
  private seq = 0;
  private timer: Timer | undefined;
  /** The instant the armed timer was asked to fire at: its overshoot is measured from there. */
  private timerAskedNs = Infinity;
  /** Whether a setImmediate turn is pending. */
  private spinning = false;
  /** When the current spin began, or undefined outside a spin. */
  private spinSinceNs: number | undefined;
  private marginNs = MAX_MARGIN_NS;
  private overshootQuantileNs = 0;
  private readonly overshoots = new Float64Array(OVERSHOOT_WINDOW);
  private overshootCount = 0;
  private readonly lateHistogram = new Uint32Array(LATE_BUCKETS_US + 1);
  private counters = { ran: 0, lateNsSum: 0, maxLateNs: 0, lateOver1ms: 0, spunNs: 0 };
  private readonly onTimer = (): void => {
    this.timer = undefined;
    this.learn(this.now() - this.timerAskedNs);
    this.timerAskedNs = Infinity;
    this.runDue();
  };
  private readonly onImmediate = (): void => {
    this.spinning = false;
    this.runDue();
    if (!this.spinning && this.spinSinceNs !== undefined) {
      this.counters.spunNs += this.now() - this.spinSinceNs;
      this.spinSinceNs = undefined;
    }
  };

  constructor(readonly now: () => number = () => Bun.nanoseconds()) {}

  /** Callbacks waiting. */
  get pending(): number {
    return this.heap.length;
  }

  /** Whether the setImmediate spin is running (tests check that an idle pacer does not spin). */
  get isSpinning(): boolean {
    return this.spinning;
  }

  /** How long before an instant the timer hands over to the spin, ns. */
  get spinMarginNs(): number {
    return this.marginNs;
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
    const spinning = this.spinSinceNs === undefined ? 0 : this.now() - this.spinSinceNs;
    return {
      ran: c.ran,
      meanLateUs: c.ran === 0 ? 0 : c.lateNsSum / c.ran / 1000,
      p50LateUs: this.lateQuantileUs(0.5),
      p99LateUs: this.lateQuantileUs(0.99),
      maxLateUs: c.maxLateNs / 1000,
      lateOver1ms: c.lateOver1ms,
      timerOvershootP90Us: this.overshootQuantileNs / 1000,
      spinMarginUs: this.marginNs / 1000,
      spinMs: (c.spunNs + spinning) / 1e6,
    };
  }

  /**
   * Forgets what was released so far (the tare's deliveries: tare.ts) but keeps the timer's
   * overshoots, so the relay starts with a learnt margin and counts only its own releases.
   */
  resetStats(): void {
    this.counters = { ran: 0, lateNsSum: 0, maxLateNs: 0, lateOver1ms: 0, spunNs: 0 };
    this.lateHistogram.fill(0);
    if (this.spinSinceNs !== undefined) this.spinSinceNs = this.now();
  }

  private record(lateNs: number): void {
    const c = this.counters;
    c.ran++;
    c.lateNsSum += lateNs;
    if (lateNs > c.maxLateNs) c.maxLateNs = lateNs;
    if (lateNs > 1e6) c.lateOver1ms++;
    this.lateHistogram[Math.min(LATE_BUCKETS_US, Math.ceil(lateNs / 1000))]!++;
  }

  /** Nearest-rank quantile of the lateness, in microseconds rounded up (never under-reported), at most the worst. */
  private lateQuantileUs(q: number): number {
    const ran = this.counters.ran;
    if (ran === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * ran));
    let seen = 0;
    for (let us = 0; us < LATE_BUCKETS_US; us++) {
      seen += this.lateHistogram[us]!;
      if (seen >= rank) return Math.min(us, this.counters.maxLateNs / 1000);
    }
    return this.counters.maxLateNs / 1000;
  }

  /** Takes one timer overshoot into account: the margin follows the recent ones. */
  private learn(overshootNs: number): void {
    this.overshoots[this.overshootCount % OVERSHOOT_WINDOW] = Math.max(0, overshootNs);
    this.overshootCount++;
    if (this.overshootCount < OVERSHOOT_MIN_SAMPLES) return;
    const recent = this.overshoots.slice(0, Math.min(this.overshootCount, OVERSHOOT_WINDOW)).sort();
    this.overshootQuantileNs = recent[Math.ceil(OVERSHOOT_QUANTILE * recent.length) - 1]!;
    this.marginNs = Math.min(MAX_MARGIN_NS, Math.max(MIN_MARGIN_NS, this.overshootQuantileNs + MARGIN_CUSHION_NS));
  }

  private runDue(): void {
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

  /**
   * Sets up the next wake-up for the earliest entry: one timer for the whole milliseconds that
   * still leave the margin before its instant, else (less than a millisecond plus the margin
   * away: Bun's shortest timer is a millisecond) a spin.
   */
  private arm(): void {
    if (this.spinning) return; // the spin looks at the queue every turn
    const head = this.heap[0];
    if (head === undefined) return this.disarm();
    const now = this.now();
    // At most MAX_TIMER_MS at a time: a longer sleep overshoots more (p90 0.4 ms at 24 ms against
    // 0.18 ms at 4 ms on a 2-vCPU VM), beyond a margin learnt from short ones.
    const wholeMs = Math.min(MAX_TIMER_MS, Math.floor((head.atNs - now - this.marginNs) / 1e6));
    if (wholeMs < 1) {
      this.disarm();
      this.spinning = true;
      this.spinSinceNs ??= now;
      setImmediate(this.onImmediate);
      return;
    }
    if (this.timer !== undefined && this.timerAskedNs + this.marginNs <= head.atNs) return; // already due to wake in time
    this.disarm();
    this.timerAskedNs = now + wholeMs * 1e6;
    this.timer = setTimeout(this.onTimer, wholeMs);
  }

  private disarm(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAskedNs = Infinity;
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
