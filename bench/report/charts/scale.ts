// Scales map a data value to a fraction of an axis (0 at the start, 1 at the end) and carry the
// ticks worth labelling. They know nothing of pixels: the frame turns fractions into positions,
// so a scale can be built before the layout is known.

export interface Tick {
  value: number;
  /** Empty for a minor tick: a faint gridline, no label. */
  label: string;
}

export interface Scale {
  domain: readonly [number, number];
  fraction(value: number): number;
  ticks: Tick[];
}

/** Removes float noise so tick values print and compare cleanly (0.30000000000000004 -> 0.3). */
function clean(v: number): number {
  return Number(v.toPrecision(12));
}

/** A step of 1, 2 or 5 times a power of ten, giving about `count` intervals over `span`. */
export function niceStep(span: number, count: number): number {
  const raw = span / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const m = raw / power;
  return clean((m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * power);
}

function extent(values: number[]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (!finite.length) return [0, 1];
  return [Math.min(...finite), Math.max(...finite)];
}

/**
 * Linear, from zero by default (bars and rates read wrongly from any other base). `headroom`
 * stretches the top so labels drawn above the highest mark stay inside the plot.
 */
export function linearScale(values: number[], format: (v: number) => string, opts: { zero?: boolean; count?: number; headroom?: number } = {}): Scale {
  const [min, max] = extent(values);
  let lo = opts.zero === false ? min : Math.min(0, min);
  let hi = max * (1 + (opts.headroom ?? 0));
  if (hi <= lo) hi = lo + (lo === 0 ? 1 : Math.abs(lo));
  const step = niceStep(hi - lo, opts.count ?? 5);
  lo = clean(Math.floor(lo / step) * step);
  hi = clean(Math.ceil(hi / step) * step);
  const ticks: Tick[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) {
    const v = clean(lo + i * step);
    ticks.push({ value: v, label: format(v) });
  }
  return { domain: [lo, hi], fraction: (v) => (v - lo) / (hi - lo), ticks };
}

const MANTISSAS = [1, 2, 5, 10];

/** The largest 1, 2 or 5 times a power of ten at or below x. */
export function niceFloor125(x: number): number {
  const e = Math.floor(Math.log10(x) + 1e-9);
  const m = x / 10 ** e;
  const pick = [...MANTISSAS].reverse().find((c) => c <= m + 1e-9) ?? 1;
  return clean(pick * 10 ** e);
}

/** The smallest 1, 2 or 5 times a power of ten at or above x. */
export function niceCeil125(x: number): number {
  const e = Math.floor(Math.log10(x) - 1e-9);
  const m = x / 10 ** e;
  const pick = MANTISSAS.find((c) => c >= m - 1e-9) ?? 10;
  return clean(pick * 10 ** e);
}

/**
 * Base-10 log scale over the positive values, widened to 1-2-5 values. Narrow spans label 1, 2
 * and 5 of each decade; wider ones label the decades and keep the rest as minor gridlines, the
 * way log paper reads.
 */
export function logScale(values: number[], format: (v: number) => string): Scale {
  let [min, max] = extent(values.filter((v) => v > 0));
  if (!(min > 0)) [min, max] = [1, 10];
  let lo = niceFloor125(min);
  let hi = niceCeil125(max);
  if (hi <= lo) [lo, hi] = [niceFloor125(lo / 2), niceCeil125(hi * 2)];
  const decades = Math.log10(hi / lo);
  const ticks: Tick[] = [];
  for (let e = Math.floor(Math.log10(lo) + 1e-9); e <= Math.ceil(Math.log10(hi)); e++) {
    for (let m = 1; m <= 9; m++) {
      const v = clean(m * 10 ** e);
      if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9)) continue;
      const labelled = m === 1 || (decades <= 4 && (m === 2 || m === 5));
      if (labelled) ticks.push({ value: v, label: format(v) });
      else if (decades <= 6) ticks.push({ value: v, label: "" });
    }
  }
  const l0 = Math.log10(lo);
  const span = Math.log10(hi) - l0;
  return { domain: [lo, hi], fraction: (v) => (Math.log10(Math.max(v, lo)) - l0) / span, ticks };
}

/**
 * Base-2 log scale for message sizes: half a step of room beyond the extremes (so end markers
 * are not cut by the axes) and labels on powers of two, every second or third when there are
 * many.
 */
export function log2Scale(values: number[], format: (v: number) => string): Scale {
  let [min, max] = extent(values.filter((v) => v > 0));
  if (!(min > 0)) [min, max] = [1, 2];
  const l0 = Math.log2(min) - 0.5;
  const l1 = Math.log2(max) + 0.5;
  const first = Math.ceil(l0);
  const last = Math.floor(l1);
  const every = Math.max(1, Math.ceil((last - first + 1) / 7));
  const ticks: Tick[] = [];
  for (let e = first; e <= last; e++) ticks.push({ value: 2 ** e, label: (e - first) % every === 0 ? format(2 ** e) : "" });
  return { domain: [2 ** l0, 2 ** l1], fraction: (v) => (Math.log2(Math.max(v, 2 ** l0)) - l0) / (l1 - l0), ticks };
}

/** Percentile p (0 to 100) as "nines": 0 -> 0, 90 -> 1, 99 -> 2, 99.9 -> 3. */
export function nines(p: number): number {
  return Math.log10(1 / (1 - p / 100));
}

/** The percentile with this many nines: the inverse of `nines`. */
export function fromNines(n: number): number {
  return clean(100 * (1 - 10 ** -n));
}

function percentLabel(p: number): string {
  return `${clean(p)}%`;
}

/**
 * HdrHistogram's percentile axis: position is log10(1 / (1 - p)), so each added nine of the
 * tail gets as much room as the whole body of the distribution. Domain from p0 to `maxPercentile`.
 */
export function percentileScale(maxPercentile: number): Scale {
  const top = nines(maxPercentile);
  const ticks: Tick[] = [{ value: 0, label: "0%" }];
  // 50% sits at 0.3 nines: labelled, since the median is the figure every table leads with.
  if (top >= 1) ticks.push({ value: 50, label: "50%" });
  for (let n = 1; n <= top + 1e-9; n++) ticks.push({ value: fromNines(n), label: percentLabel(fromNines(n)) });
  return { domain: [0, maxPercentile], fraction: (p) => nines(Math.min(Math.max(p, 0), maxPercentile)) / top, ticks };
}

/** Evenly spaced categories: value i is the centre of band i. */
export function bandScale(labels: string[]): Scale {
  const n = Math.max(1, labels.length);
  return { domain: [0, n - 1], fraction: (i) => (i + 0.5) / n, ticks: labels.map((label, value) => ({ value, label })) };
}

/** Points from p0 to `maxPercentile`, evenly spaced in nines, with every labelled tick included. */
export function percentileSamples(maxPercentile: number, perNine = 20): number[] {
  const top = nines(maxPercentile);
  const out = new Set<number>();
  for (let i = 0; i <= Math.round(top * perNine); i++) out.add(fromNines(Math.min(top, i / perNine)));
  for (const t of percentileScale(maxPercentile).ticks) out.add(t.value);
  return [...out].sort((a, b) => a - b);
}
