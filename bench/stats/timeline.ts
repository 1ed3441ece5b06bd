// Latency over time: the measured phase cut into fixed intervals, each with its own histogram
// (an HdrHistogram interval log's unit), so a warm-up drift, a stall or a collection shows where
// it happened instead of vanishing into the end-of-run percentiles.
import { decodeHistogram, encodeHistogram, newHistogram, record, type Histogram } from "./histogram.ts";

/** The default interval: one second, as wrk2 and HdrHistogram's own tools report. */
export const DEFAULT_INTERVAL_MS = 1000;

/** One interval as a swarm process recorded it: its histogram travels encoded, to be merged. */
export interface IntervalShare {
  /** From the start of the measured phase, ms. */
  startMs: number;
  lengthMs: number;
  /** Operations that completed in it (each timed into the histogram). */
  count: number;
  /** Errors and timeouts counted in it. */
  errors: number;
  histogram: string;
}

/** One interval of a run, every process's share added: its figures, and its histogram for --hlog. */
export interface Interval {
  startMs: number;
  lengthMs: number;
  count: number;
  /** Completions per second in the interval. */
  rate: number;
  p50: number;
  p99: number;
  max: number;
  errors: number;
  /** The interval's histogram, compressed base64 (HdrHistogram's encoding), ns. */
  histogram: string;
}

/**
 * Records completions into the current interval; `roll` closes intervals whose end has passed.
 * A completion belongs to the interval in which it completes, as in an HdrHistogram interval log.
 */
export class IntervalRecorder {
  private readonly shares: IntervalShare[] = [];
  private current: Histogram = newHistogram();
  private count = 0;
  private errors = 0;
  private startNs = 0;
  private originNs = 0;

  constructor(readonly intervalNs: number) {}

  /** The measured phase starts: the first interval opens now. */
  start(nowNs: number): void {
    this.originNs = nowNs;
    this.startNs = nowNs;
  }

  record(latencyNs: number): void {
    record(this.current, latencyNs);
    this.count++;
  }

  /** `n` errors (one unless told). */
  error(n = 1): void {
    this.errors += n;
  }

  /** Closes every interval that has ended by `nowNs` (an idle stretch gives empty intervals). */
  roll(nowNs: number): void {
    while (nowNs - this.startNs >= this.intervalNs) this.close(this.startNs + this.intervalNs);
  }

  /**
   * The measured phase ends: the last, partial interval is closed too. Shorter than half an
   * interval, it joins the one before (a sliver of a few operations, the drain's among them,
   * would stand out on a chart for no reason but its size).
   */
  finish(nowNs: number): IntervalShare[] {
    this.roll(nowNs);
    const last = this.shares.at(-1);
    if (last && nowNs - this.startNs < this.intervalNs / 2) {
      const h = decodeHistogram(last.histogram);
      h.add(this.current);
      last.histogram = encodeHistogram(h);
      last.count += this.count;
      last.errors += this.errors;
      last.lengthMs = (nowNs - this.originNs) / 1e6 - last.startMs;
    } else if (nowNs > this.startNs || this.count > 0) {
      this.close(Math.max(nowNs, this.startNs));
    }
    return this.shares;
  }

  private close(endNs: number): void {
    this.shares.push({
      startMs: (this.startNs - this.originNs) / 1e6,
      lengthMs: (endNs - this.startNs) / 1e6,
      count: this.count,
      errors: this.errors,
      histogram: encodeHistogram(this.current),
    });
    this.current = newHistogram();
    this.count = 0;
    this.errors = 0;
    this.startNs = endNs;
  }
}

/**
 * Intervals by when something happened rather than when it was recorded: a push delivery
 * belongs to the interval its event was published in (its late arrivals, in the grace after the
 * window, included). `record(atNs, value)` with atNs from the start of the window.
 */
export class IntervalBins {
  private readonly bins: { histogram: Histogram; count: number }[] = [];

  constructor(readonly intervalNs: number) {}

  record(atNs: number, valueNs: number): void {
    const i = Math.max(0, Math.floor(atNs / this.intervalNs));
    while (this.bins.length <= i) this.bins.push({ histogram: newHistogram(), count: 0 });
    record(this.bins[i]!.histogram, valueNs);
    this.bins[i]!.count++;
  }

  /** The window's intervals (a last one shorter than the others where the window ends mid-way). */
  finish(windowNs: number): IntervalShare[] {
    const n = Math.max(this.bins.length, Math.ceil(windowNs / this.intervalNs));
    return Array.from({ length: n }, (_, i) => {
      const bin = this.bins[i];
      const startNs = i * this.intervalNs;
      return {
        startMs: startNs / 1e6,
        lengthMs: Math.max(0, Math.min(this.intervalNs, windowNs - startNs)) / 1e6,
        count: bin?.count ?? 0,
        errors: 0,
        histogram: encodeHistogram(bin?.histogram ?? newHistogram()),
      };
    });
  }
}

/**
 * Several processes' intervals of one run as one timeline: the i-th interval of each added (they
 * measured side by side, started together); the figures are read from the added histograms.
 */
export function mergeIntervals(parts: IntervalShare[][]): Interval[] {
  const longest = Math.max(0, ...parts.map((p) => p.length));
  const out: Interval[] = [];
  for (let i = 0; i < longest; i++) {
    const here = parts.flatMap((p) => (p[i] ? [p[i]!] : []));
    const h = newHistogram();
    for (const share of here) h.add(decodeHistogram(share.histogram));
    const lengthMs = Math.max(...here.map((s) => s.lengthMs));
    const count = here.reduce((a, s) => a + s.count, 0);
    out.push({
      startMs: here[0]!.startMs,
      lengthMs,
      count,
      rate: lengthMs > 0 ? (count * 1000) / lengthMs : 0,
      p50: count ? h.getValueAtPercentile(50) : 0,
      p99: count ? h.getValueAtPercentile(99) : 0,
      max: count ? h.maxValue : 0,
      errors: here.reduce((a, s) => a + s.errors, 0),
      histogram: encodeHistogram(h),
    });
  }
  return out;
}
