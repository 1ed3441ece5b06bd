import { driverLabel } from "./labels.ts";
import { linePlot, type LineSeries } from "./line-plot.ts";
import { seriesStyle, sequential, styleRefs } from "./palette.ts";
import { linearScale, log2Scale, logScale, type Scale } from "./scale.ts";
import { compact, plain, size } from "./units.ts";
import type { DriverName } from "../../catalog.ts";
import type { LoadResult } from "../../model/results.ts";

/** Throughput against message size, one line per transport: messages/s, or payload MB/s. */

export type ThroughputMeasure = "messages" | "megabytes";

const MEASURES: Record<ThroughputMeasure, { title: string; label: string; of(r: LoadResult): number; tick(v: number): string }> = {
  messages: { title: "Throughput against message size", label: "messages per second", of: (r) => r.opsPerSec, tick: compact },
  megabytes: { title: "Payload throughput against message size", label: "payload MB/s, each way", of: (r) => r.payloadBytesPerSec / 1e6, tick: plain },
};

/**
 * Linear from zero unless the values span more than a factor of 20 (payload MB/s grows with the
 * size: on a linear axis the small messages would sit flat on the floor).
 */
function yAxis(values: number[], m: (typeof MEASURES)[ThroughputMeasure]): { scale: Scale; label: string } {
  const positive = values.filter((v) => v > 0);
  const wide = positive.length > 0 && Math.max(...positive) / Math.min(...positive) > 20;
  return wide
    ? { scale: logScale(positive, m.tick), label: `${m.label} (log scale)` }
    : { scale: linearScale(values, m.tick, { headroom: 0.05 }), label: m.label };
}

export function throughputChart(runs: LoadResult[], measure: ThroughputMeasure, subtitle: string): string | undefined {
  const m = MEASURES[measure];
  const measured = runs.filter((r) => r.counts.completed > 0);
  if (!measured.length) return undefined;
  const drivers: DriverName[] = [...new Set(measured.map((r) => r.spec.driver))];
  const styles = styleRefs(drivers);
  const series: LineSeries[] = drivers.map((d, i) => {
    const points = measured
      .filter((r) => r.spec.driver === d)
      .sort((a, b) => a.spec.size - b.spec.size)
      .map((r) => ({ x: r.spec.size, y: m.of(r) }));
    const style = styles[i] ?? sequential(i);
    // Dashed as well as coloured: transports often tie (TCP and WebSocket carry the same bytes).
    return { label: driverLabel(d), style, lines: [{ points, dash: seriesStyle(style).dash, markers: points }] };
  });
  return linePlot({
    title: m.title,
    subtitle,
    x: {
      scale: log2Scale(
        measured.map((r) => r.spec.size),
        size,
      ),
      label: "message size (log scale)",
    },
    y: yAxis(
      series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.y))),
      m,
    ),
    series,
  });
}
