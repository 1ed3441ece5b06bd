import { latency } from "../../model/format.ts";
import { categoryPlot } from "./category-plot.ts";
import { pushLabels } from "./labels.ts";
import { sequential } from "./palette.ts";
import { logScale } from "./scale.ts";
import { latencyTick } from "./units.ts";
import type { PushRunResult } from "../../model/results.ts";

/**
 * Delivery latency of each push pattern, p50 and p99. Push spans microseconds (WebSocket) to a
 * whole polling interval (short polling), so the axis is logarithmic and each pattern is drawn as
 * two markers joined by a line rather than bars, whose length would mean nothing on a log axis.
 */
export function pushLatencyChart(runs: PushRunResult[], subtitle: string): string | undefined {
  const measured = runs.filter((r) => r.latency.count > 0);
  if (!measured.length) return undefined;
  const labels = pushLabels(measured);
  const values = measured.flatMap((r) => [r.latency.p50, r.latency.p99]);
  return categoryPlot({
    title: "Server push: delivery latency by pattern",
    subtitle,
    xLabel: "how the subscriber learns of an event",
    y: { scale: logScale(values, latencyTick), label: "publish-to-receipt latency (log scale)" },
    metrics: ["p50 (median)", "p99"],
    groups: measured.map((r, i) => ({ label: labels[i] ?? r.label, style: sequential(i), values: [r.latency.p50, r.latency.p99] })),
    marks: "range",
    valueLabel: latency,
  });
}
