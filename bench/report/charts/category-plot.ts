import { frame, INK, type Axis, type LegendEntry } from "./frame.ts";
import { seriesGroup } from "./line-plot.ts";
import { marker, seriesStyle, type MarkerShape, type StyleRef } from "./palette.ts";
import { bandScale } from "./scale.ts";
import { el, text, textWidth } from "./svg.ts";

/**
 * Several figures (p50, p99) for each of a few categories (transports, push patterns), as
 * grouped bars or, on log axes where a bar's length means nothing, as a marker per figure joined
 * by a line. Each category is one series, in its transport's colour; the figures are told apart
 * by shade or marker shape, explained in the legend's keys.
 */

export interface CategoryGroup {
  label: string;
  style: StyleRef;
  /** One value per metric, in the metrics' order. */
  values: number[];
}

export interface CategoryPlotSpec {
  title: string;
  subtitle?: string;
  xLabel: string;
  y: Axis;
  metrics: string[];
  groups: CategoryGroup[];
  marks: "bars" | "range";
  valueLabel(v: number): string;
}

const VALUE_SIZE = 10.5;
/** Bar fill per metric: the first solid, later ones paler (with an outline, so they stay visible). */
const BAR_OPACITY = [1, 0.4, 0.2];
const RANGE_MARKERS: MarkerShape[] = ["circle", "diamond", "square"];

function keys(spec: CategoryPlotSpec): LegendEntry[] {
  return spec.metrics.map((name, i) => ({
    // "Outlined" rather than "pale": on a dark page the translucent fill comes out darker, not paler.
    label: spec.marks === "bars" ? `${name}, ${i === 0 ? "filled" : "outlined"}` : name,
    swatch:
      spec.marks === "bars"
        ? (x: number, y: number, w: number) =>
            el("rect", {
              x: x + w / 2 - 8,
              y: y - 6,
              width: 16,
              height: 12,
              fill: "currentColor",
              "fill-opacity": BAR_OPACITY[i] ?? 0.2,
              stroke: "currentColor",
              "stroke-width": 1.25,
            })
        : (x: number, y: number, w: number) => marker(RANGE_MARKERS[i] ?? "circle", x + w / 2, y, 4.5),
  }));
}

export function categoryPlot(spec: CategoryPlotSpec): string {
  const legend: LegendEntry[] = spec.groups.map((g) => {
    const style = seriesStyle(g.style);
    return { label: g.label, style, swatch: (x, y, w) => el("rect", { x: x + w / 2 - 8, y: y - 6, width: 16, height: 12, fill: "currentColor" }) };
  });
  const x: Axis = { scale: bandScale(spec.groups.map((g) => g.label)), label: spec.xLabel, band: true };
  const { plot, svg } = frame({ title: spec.title, subtitle: spec.subtitle, x, y: spec.y, legend, keys: keys(spec) });
  const base = plot.y(spec.y.scale.domain[0]);
  const m = spec.metrics.length;

  if (spec.marks === "bars") {
    const barWidth = Math.min(56, (plot.band * 0.72) / m);
    // Values over the bars only when every one of them fits its bar: a chart with some
    // labels and not others reads as if the missing ones were zero.
    const labelled = spec.groups.every((g) => g.values.every((v) => textWidth(spec.valueLabel(v), VALUE_SIZE) <= barWidth + 2));
    const body = spec.groups.map((g, gi) => {
      const style = seriesStyle(g.style);
      const centre = plot.x(gi);
      const children = g.values.flatMap((v, i) => {
        const bx = centre - (barWidth * m) / 2 + i * barWidth;
        const top = plot.y(v);
        const bar = el("rect", {
          class: "bar",
          "data-metric": spec.metrics[i] ?? "",
          x: bx + 1,
          y: top,
          width: barWidth - 2,
          height: Math.max(0, base - top),
          fill: "currentColor",
          "fill-opacity": BAR_OPACITY[i] ?? 0.2,
          stroke: "currentColor",
          "stroke-width": 1.25,
        });
        const label = labelled
          ? text(spec.valueLabel(v), { class: "fg value", x: bx + barWidth / 2, y: top - 5, "text-anchor": "middle", "font-size": VALUE_SIZE, fill: INK.light })
          : "";
        return [bar, label];
      });
      return seriesGroup(g.label, style, children);
    });
    return svg(body);
  }

  // A label starts 10 px right of its group's line and must end before the next group's markers
  // (radius 5, a band further on), with a little air: all are drawn, or none.
  const labelled = spec.groups.every((g) => g.values.every((v) => textWidth(spec.valueLabel(v), VALUE_SIZE) <= plot.band - 22));
  const body = spec.groups.map((g, gi) => {
    const style = seriesStyle(g.style);
    const cx = plot.x(gi);
    const ys = g.values.map((v) => plot.y(v));
    const children = [
      el("line", { x1: cx, x2: cx, y1: Math.min(...ys), y2: Math.max(...ys), stroke: "currentColor", "stroke-width": 2.5, "stroke-linecap": "round" }),
    ];
    for (const [i, y] of ys.entries()) children.push(marker(RANGE_MARKERS[i] ?? "circle", cx, y, 5));
    if (labelled) {
      // Labels beside their markers, pushed apart when two figures are close.
      const order = ys.map((y, i) => ({ y, i })).sort((a, b) => b.y - a.y);
      let lastY = Infinity;
      for (const { y, i } of order) {
        const ly = Math.min(y + 4, lastY - 13);
        lastY = ly;
        children.push(text(spec.valueLabel(g.values[i] ?? 0), { class: "fg value", x: cx + 10, y: ly, "font-size": VALUE_SIZE, fill: INK.light }));
      }
    }
    return seriesGroup(g.label, style, children);
  });
  return svg(body);
}
