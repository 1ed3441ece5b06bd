// Two results side by side, figure by figure (every metric name both have, from metricsOf). A
// difference counts only when it is larger than the run-to-run noise: a machine that measures
// 48 µs and then 51 µs has not got slower. The noise is the spread --repeat recorded, or an
// assumed 10% where a side has no repetitions.
import { figureOf, metricsOf, type Metric, type Unit } from "./figures.ts";
import type { BenchResult } from "./results.ts";

/** Assumed run-to-run noise of a figure measured once: this machine's runs differ by about that much. */
export const DEFAULT_NOISE = 0.1;
/**
 * No change under 1% counts as real, whatever the spreads say: a range from a few repetitions is
 * itself an estimate, and two or three runs that happen to agree closely prove little.
 */
export const MIN_NOISE = 0.01;

/** Shown even when within noise (unless --all shows everything): the figures people look at first. */
export const KEY_FIGURES = new Set(["p50", "p99", "rate", "loss"]);

export type Verdict = "better" | "worse" | "within noise";

export interface CompareRow {
  metric: string;
  unit: Unit;
  better: Metric["better"];
  base: number;
  next: number;
  /** (next - base) / base; ±Infinity for a change from 0. */
  change: number;
  /** next / base, for latencies; undefined elsewhere and from 0. */
  ratio?: number;
  /** The relative change below which a difference is noise. */
  noise: number;
  /** "spread": from both sides' repetitions; "assumed": a side had none, DEFAULT_NOISE applies. */
  noiseFrom: "spread" | "assumed";
  verdict: Verdict;
  /** A key figure (p50, p99, rate, loss): shown in the default table even within noise. */
  key: boolean;
}

export interface Comparison {
  /** Every shared metric: real changes first (worse, then better, largest first), then the rest in result order. */
  rows: CompareRow[];
  onlyInBase: string[];
  onlyInNext: string[];
  /** Each side's metrics, by name. */
  measured: [Map<string, Metric>, Map<string, Metric>];
}

/** Relative range of a repeated figure: (max - min) / value. */
function relativeSpread(m: Metric): number | undefined {
  if (!m.spread) return undefined;
  const width = m.spread.max - m.spread.min;
  if (width === 0) return 0;
  return m.value === 0 ? Number.POSITIVE_INFINITY : Math.abs(width / m.value);
}

export function compareRow(metric: string, base: Metric, next: Metric): CompareRow {
  const a = relativeSpread(base);
  const b = relativeSpread(next);
  // Both sides repeated: the larger of their measured spreads. Otherwise the side measured once
  // counts as DEFAULT_NOISE, and a wider measured spread on the other side still wins.
  const noiseFrom = a !== undefined && b !== undefined ? "spread" : "assumed";
  const noise = Math.max(MIN_NOISE, noiseFrom === "spread" ? Math.max(a!, b!) : Math.max(DEFAULT_NOISE, a ?? 0, b ?? 0));
  const change =
    base.value === next.value ? 0 : base.value === 0 ? Math.sign(next.value) * Number.POSITIVE_INFINITY : (next.value - base.value) / Math.abs(base.value);
  const real = Math.abs(change) > noise;
  const improved = base.better === "lower" ? change < 0 : change > 0;
  return {
    metric,
    unit: base.unit,
    better: base.better,
    base: base.value,
    next: next.value,
    change,
    ratio: base.unit === "ns" && base.value !== 0 ? next.value / base.value : undefined,
    noise,
    noiseFrom,
    verdict: !real ? "within noise" : improved ? "better" : "worse",
    key: KEY_FIGURES.has(figureOf(metric) ?? ""),
  };
}

const ORDER: Record<Verdict, number> = { worse: 0, better: 1, "within noise": 2 };

/** Every figure both results have, compared: real changes first (worse, then better, largest first), then the rest in result order. */
export function compare(base: BenchResult, next: BenchResult): Comparison {
  const mb = metricsOf(base);
  const mn = metricsOf(next);
  const shared = [...mb].filter(([name]) => mn.has(name)).map(([name, m]) => compareRow(name, m, mn.get(name)!));
  const index = new Map(shared.map((r, i) => [r.metric, i]));
  const rows = [...shared].sort((x, y) => {
    const byVerdict = ORDER[x.verdict] - ORDER[y.verdict];
    if (byVerdict !== 0) return byVerdict;
    if (x.verdict !== "within noise") return Math.abs(y.change) - Math.abs(x.change) || index.get(x.metric)! - index.get(y.metric)!;
    return index.get(x.metric)! - index.get(y.metric)!;
  });
  const onlyInBase = [...mb.keys()].filter((n) => !mn.has(n));
  const onlyInNext = [...mn.keys()].filter((n) => !mb.has(n));
  return { rows, onlyInBase, onlyInNext, measured: [mb, mn] };
}
