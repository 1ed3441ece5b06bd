import { distanceRows, rttOfRun } from "../../model/distance-rows.ts";
import type { SectionOf } from "../../model/results.ts";
import { linePlot, type LineSeries } from "./line-plot.ts";
import { seriesStyle, sequential } from "./palette.ts";
import { linearScale } from "./scale.ts";
import { latencyTick, plain } from "./units.ts";

/**
 * p50 against the emulated round-trip time, one line per row: on linear axes each line's slope
 * is what the row costs in round trips, so a handshake shows as a steeper line, not a label.
 * Rows that cost the same (a WebSocket message and a keep-alive request) lie on top of each
 * other, so each line has its own dash and marker as well as its colour.
 */
export function distanceChart(section: SectionOf<"distance">, subtitle: string): string | undefined {
  const rows = distanceRows(section).filter((row) => row.runs.some((r) => r.latency.count > 0));
  if (!rows.length || section.rttsMs.length < 2) return undefined;
  const series: LineSeries[] = rows.map((row, i) => {
    const points = row.runs
      .filter((r) => r.latency.count > 0)
      .map((r) => ({ x: rttOfRun(r), y: r.latency.p50 }))
      .sort((a, b) => a.x - b.x);
    const style = sequential(i);
    const roundTrips = row.roundTrips === undefined ? "" : ` (slope ${row.roundTrips.toFixed(2)})`;
    return { label: `${row.label}${roundTrips}`, style, lines: [{ points, dash: seriesStyle(style).dash, markers: points }] };
  });
  const xs = series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.x)));
  const ys = series.flatMap((s) => s.lines.flatMap((l) => l.points.map((p) => p.y)));
  return linePlot({
    title: "Latency against round-trip time",
    subtitle,
    x: { scale: linearScale(xs, (v) => `${plain(v)} ms`), label: "emulated round-trip time" },
    y: { scale: linearScale(ys, (v) => (v === 0 ? "0" : latencyTick(v)), { headroom: 0.05 }), label: "p50 latency" },
    series,
  });
}
