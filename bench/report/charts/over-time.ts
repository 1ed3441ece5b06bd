import type { LoadResult, PushRunResult } from "../../model/results.ts";
import type { Interval } from "../../stats/timeline.ts";
import { pushLabels, runLabels } from "./labels.ts";
import { linePlot, type LineSeries, type Rule } from "./line-plot.ts";
import { seriesStyle, sequential, styleRefs, type StyleRef } from "./palette.ts";
import { linearScale, logScale } from "./scale.ts";
import { compact, latencyTick, plain } from "./units.ts";

/**
 * Latency over time: each run's p99 per interval (solid) with its p50 (thin), against time into
 * the measured phase. A warm-up drift, a stall or a collection shows where it happened. Runs
 * with fewer than two intervals have no line to draw.
 */
export function overTimeChart(runs: LoadResult[] | PushRunResult[], title: string, subtitle: string): string | undefined {
  return timelinePlot(timelinesOf(runs), title, subtitle, stageRules(runs));
}

/** A ramp's stages (--stages) as vertical rules where each begins, labelled with the rate it heads for. */
function stageRules(runs: LoadResult[] | PushRunResult[]): Rule[] {
  const rules = new Map<number, Rule>();
  for (const r of runs) {
    if (!("stages" in r) || !r.stages) continue;
    for (const st of r.stages) rules.set(st.startMs, { x: st.startMs / 1000, label: `→ ${compact(st.toPerSec)}/s` });
  }
  return [...rules.values()];
}

interface Timed {
  label: string;
  style: StyleRef;
  timeline?: Interval[];
}

/** Each run's name and style as the report's other charts give them. */
function timelinesOf(runs: LoadResult[] | PushRunResult[]): Timed[] {
  if (runs.length === 0) return [];
  if ("driver" in runs[0]!.spec) {
    const load = runs as LoadResult[];
    const labels = runLabels(load);
    const styles = styleRefs(load.map((r) => r.spec.driver));
    return load.map((r, i) => ({ label: labels[i] ?? `run ${i + 1}`, style: styles[i] ?? sequential(i), timeline: r.timeline }));
  }
  const push = runs as PushRunResult[];
  const labels = pushLabels(push);
  return push.map((r, i) => ({ label: labels[i] ?? r.label, style: sequential(i), timeline: r.timeline }));
}

function timelinePlot(runs: Timed[], title: string, subtitle: string, rules: Rule[]): string | undefined {
  const series: LineSeries[] = [];
  for (const run of runs) {
    const intervals = (run.timeline ?? []).filter((t) => t.count > 0);
    if (intervals.length < 2) continue;
    const at = (t: (typeof intervals)[number]) => (t.startMs + t.lengthMs / 2) / 1000;
    const p99 = intervals.map((t) => ({ x: at(t), y: Math.max(1, t.p99) }));
    const p50 = intervals.map((t) => ({ x: at(t), y: Math.max(1, t.p50) }));
    const style = run.style;
    series.push({
      label: run.label,
      style,
      lines: [
        { points: p99, dash: seriesStyle(style).dash, markers: p99.length <= 30 ? p99 : [] },
        { points: p50, dash: "2 3", secondary: true, markers: [] },
      ],
    });
  }
  if (!series.length) return undefined;
  const xs = series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.x)));
  const ys = series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.y)));
  return linePlot({
    title,
    subtitle,
    x: { scale: linearScale([0, ...xs], (v) => `${plain(v)} s`), label: "time into the measured phase (middle of each interval)" },
    y: { scale: logScale(ys, latencyTick), label: "latency per interval: p99 (thick), p50 (thin), log scale" },
    series,
    rules,
  });
}
