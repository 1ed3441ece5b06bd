import { lineSwatch, linePlot, type LineSeries, type Rule } from "./line-plot.ts";
import type { StyleRef } from "./palette.ts";
import { linearScale, logScale, type Scale } from "./scale.ts";
import { compact, latencyTick } from "./units.ts";
import type { LoadResult } from "../../model/results.ts";

/**
 * Latency against offered rate for an open-loop sweep: where the curve turns up is the knee.
 * p99 is the main line; p50 is drawn thinner and dashed in the same colour, so how far the tail
 * pulls away from the median is visible at each rate.
 */

/** Latency at one offered rate. */
export interface SweepPoint {
  ratePerSec: number;
  p50: number;
  p99: number;
}

export interface SweepSeries {
  label: string;
  style: StyleRef;
  points: SweepPoint[];
}

export interface SweepSpec {
  title: string;
  subtitle: string;
  yLabel: string;
  series: SweepSeries[];
  /** Latency objectives, drawn as horizontal rules. */
  rules?: Rule[];
}

/** An open-loop sweep's runs as points: their offered rate and corrected latency. */
export function sweepPoints(runs: LoadResult[]): SweepPoint[] {
  return runs.filter((r) => r.latency.count > 0).map((r) => ({ ratePerSec: r.spec.ratePerSec, p50: r.latency.p50, p99: r.latency.p99 }));
}

const P50_DASH = "5 4";

/**
 * Rates a decade or so apart are read on a log axis, a narrow sweep on a linear one from zero.
 * Either way with some room past the extreme rates, so their markers do not sit on the axes.
 */
function rateScale(rates: number[]): { scale: Scale; log: boolean } {
  const lo = Math.min(...rates);
  const hi = Math.max(...rates);
  const log = lo > 0 && hi / lo >= 8;
  return { scale: log ? logScale([lo / 1.2, hi * 1.2], compact) : linearScale(rates, compact, { headroom: 0.05 }), log };
}

export function rateSweepChart(spec: SweepSpec): string | undefined {
  const series: LineSeries[] = [];
  for (const s of spec.series) {
    const points = s.points.filter((p) => p.ratePerSec > 0).sort((a, b) => a.ratePerSec - b.ratePerSec);
    if (!points.length) continue;
    const p99 = points.map((p) => ({ x: p.ratePerSec, y: Math.max(1, p.p99) }));
    const p50 = points.map((p) => ({ x: p.ratePerSec, y: Math.max(1, p.p50) }));
    series.push({
      label: s.label,
      style: s.style,
      lines: [
        { points: p99, markers: p99 },
        { points: p50, markers: p50, dash: P50_DASH, secondary: true },
      ],
    });
  }
  if (!series.length) return undefined;
  const rates = series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.x)));
  const latencies = [...series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.y))), ...(spec.rules ?? []).flatMap((r) => ("y" in r ? [r.y] : []))];
  const x = rateScale(rates);
  return linePlot({
    title: spec.title,
    subtitle: spec.subtitle,
    x: { scale: x.scale, label: `offered rate (messages/s${x.log ? ", log scale" : ""})` },
    y: { scale: logScale(latencies, latencyTick), label: spec.yLabel },
    series,
    rules: spec.rules,
    keys: [
      { label: "p99 (solid)", swatch: lineSwatch({}) },
      { label: "p50 (dashed)", swatch: lineSwatch({ dash: P50_DASH, secondary: true }) },
    ],
  });
}
