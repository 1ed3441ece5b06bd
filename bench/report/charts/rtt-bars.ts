import { latency } from "../../model/format.ts";
import { categoryPlot } from "./category-plot.ts";
import { runLabels } from "./labels.ts";
import { sequential, styleRefs } from "./palette.ts";
import { linearScale } from "./scale.ts";
import { latencyUnit, plain } from "./units.ts";
import type { LoadResult } from "../../model/results.ts";

/**
 * p50 and p99 side by side for each transport. A linear axis from zero: round trips differ by a
 * few times at most, and bar lengths then compare honestly (on a log axis they would not).
 */
export function rttBarsChart(runs: LoadResult[], subtitle: string): string | undefined {
  const measured = runs.filter((r) => r.latency.count > 0);
  if (!measured.length) return undefined;
  const labels = runLabels(measured);
  const styles = styleRefs(measured.map((r) => r.spec.driver));
  const unit = latencyUnit(Math.max(...measured.map((r) => r.latency.p99)));
  // Headroom above the tallest bar for its value label.
  const y = linearScale(
    measured.flatMap((r) => [r.latency.p50, r.latency.p99]),
    (v) => plain(v / unit.ns),
    { headroom: 0.08 },
  );
  return categoryPlot({
    title: "Round-trip latency: p50 and p99 by transport",
    subtitle,
    xLabel: "transport",
    y: { scale: y, label: `round-trip latency (${unit.unit})` },
    metrics: ["p50 (median)", "p99"],
    groups: measured.map((r, i) => ({ label: labels[i] ?? r.spec.driver, style: styles[i] ?? sequential(i), values: [r.latency.p50, r.latency.p99] })),
    marks: "bars",
    valueLabel: latency,
  });
}
