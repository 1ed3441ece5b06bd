import { frame, INK, type Axis, type LegendEntry } from "./frame.ts";
import { marker, seriesStyle, type MarkerShape, type SeriesStyle, type StyleRef } from "./palette.ts";
import { el, polyline, text } from "./svg.ts";

/** Lines over two numeric axes: the spectrum, throughput against size, latency against rate. */

export interface Point {
  x: number;
  y: number;
}

export interface Line {
  points: Point[];
  /** Dash pattern; undefined draws solid. */
  dash?: string;
  /** Secondary lines (p50 beside p99) are thinner and fainter. */
  secondary?: boolean;
  /** Where to put markers: usually every point, or only the labelled percentiles of a dense line. */
  markers: Point[];
}

export interface LineSeries {
  label: string;
  style: StyleRef;
  lines: Line[];
}

export interface LinePlotSpec {
  title: string;
  subtitle?: string;
  x: Axis;
  y: Axis;
  series: LineSeries[];
  keys?: LegendEntry[];
  /** Reference lines, thin and dashed: vertical at an x (a stage's start), horizontal at a y (an objective). */
  rules?: Rule[];
}

export type Rule = { x: number; label: string } | { y: number; label: string };

/** A legend swatch: a short line in the series' dash with its marker in the middle. */
export function lineSwatch(opts: { dash?: string; marker?: MarkerShape; secondary?: boolean }): LegendEntry["swatch"] {
  return (x, y, width) =>
    [
      el("line", {
        x1: x,
        x2: x + width,
        y1: y,
        y2: y,
        stroke: "currentColor",
        "stroke-width": opts.secondary ? 1.5 : 2.25,
        "stroke-dasharray": opts.dash,
        opacity: opts.secondary ? 0.8 : undefined,
      }),
      opts.marker ? marker(opts.marker, x + width / 2, y) : "",
    ].join("");
}

export function seriesGroup(label: string, style: SeriesStyle, children: string[]): string {
  return el("g", { class: `series ${style.className}`, "data-series": label, color: style.color }, children);
}

export function linePlot(spec: LinePlotSpec): string {
  const legend: LegendEntry[] = spec.series.map((s) => {
    const style = seriesStyle(s.style);
    const main = s.lines.find((l) => !l.secondary) ?? s.lines[0];
    return { label: s.label, style, swatch: lineSwatch({ dash: main?.dash, marker: main?.markers.length ? style.marker : undefined }) };
  });
  const { plot, svg } = frame({ title: spec.title, subtitle: spec.subtitle, x: spec.x, y: spec.y, legend, keys: spec.keys });
  const at = (p: Point) => ({ x: plot.x(p.x), y: plot.y(p.y) });
  const body = spec.series.map((s) => {
    const style = seriesStyle(s.style);
    // Secondary lines first, so the main line and markers are drawn over them.
    const ordered = [...s.lines].sort((a, b) => Number(!!b.secondary) - Number(!!a.secondary));
    const children: string[] = [];
    for (const line of ordered) {
      if (line.points.length > 1) {
        children.push(
          el("path", {
            d: polyline(line.points.map(at)),
            fill: "none",
            stroke: "currentColor",
            "stroke-width": line.secondary ? 1.5 : 2.25,
            "stroke-dasharray": line.dash,
            "stroke-linejoin": "round",
            "stroke-linecap": "round",
            opacity: line.secondary ? 0.8 : undefined,
          }),
        );
      }
      for (const p of line.markers) {
        const q = at(p);
        children.push(marker(style.marker, q.x, q.y, line.secondary ? 3 : 4));
      }
    }
    return seriesGroup(s.label, style, children);
  });
  return svg([...(spec.rules ?? []).map((r) => rule(plot, r)), ...body]);
}

/** A reference line across the plot with its label at one end, under the series. */
function rule(plot: ReturnType<typeof frame>["plot"], r: Rule): string {
  const attrs = { class: "axis", "stroke-width": 1, "stroke-dasharray": "3 3" };
  const label = { class: "muted", "font-size": 11, fill: INK.light };
  if ("x" in r) {
    const x = plot.x(r.x);
    return el("g", { class: "rule" }, [
      el("line", { x1: x, x2: x, y1: plot.top, y2: plot.top + plot.height, ...attrs }),
      text(r.label, { ...label, x: x + 3, y: plot.top + 11 }),
    ]);
  }
  const y = plot.y(r.y);
  return el("g", { class: "rule" }, [
    el("line", { x1: plot.left, x2: plot.left + plot.width, y1: y, y2: y, ...attrs }),
    text(r.label, { ...label, x: plot.left + 4, y: y - 4 }),
  ]);
}
