import { colorRules } from "./palette.ts";
import type { Scale, Tick } from "./scale.ts";
import { el, escapeXml, lines, num, text, textWidth, wrap } from "./svg.ts";

/**
 * The parts every chart shares: canvas, light/dark stylesheet, title, axes with their ticks and
 * gridlines, and the legend. A chart kind describes its axes and legend, gets the plot area back,
 * draws its marks in it, and hands them over to be framed.
 */

export const WIDTH = 900;
/** Height when the legend fits; a longer legend makes the chart taller, never clips. */
export const HEIGHT = 560;

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif';
const TITLE_SIZE = 17;
const SUBTITLE_SIZE = 12.5;
const TICK_SIZE = 11;
const AXIS_SIZE = 12;
const LEGEND_SIZE = 12;
const LEGEND_SWATCH = 30;
const LEGEND_TEXT_MAX = 190;
const PAD = 16;

// Light colours as presentation attributes (for viewers without CSS); the stylesheet repeats them
// and swaps in dark ones when the viewer prefers dark.
export const INK = { light: "#1f2328", dark: "#e6edf3" };
const MUTED = { light: "#59636e", dark: "#9198a1" };
const GRID = { light: "#d1d9e0", dark: "#3d444d" };
const MINOR = { light: "#eef1f4", dark: "#21262d" };
const BG = { light: "#ffffff", dark: "#0d1117" };

function stylesheet(): string {
  const rules = (m: "light" | "dark") =>
    `.bg{fill:${BG[m]}}.fg{fill:${INK[m]}}.muted{fill:${MUTED[m]}}.ink{color:${INK[m]}}.axis{stroke:${MUTED[m]}}.grid{stroke:${GRID[m]}}.minor{stroke:${MINOR[m]}}.halo{stroke:${BG[m]}}${colorRules(m === "dark")}`;
  return `<style>${rules("light")}@media (prefers-color-scheme: dark){${rules("dark")}}</style>`;
}

export interface Axis {
  scale: Scale;
  label: string;
  /** Categories: labels wrap to their band and get no vertical gridlines. */
  band?: boolean;
}

export interface LegendEntry {
  label: string;
  /** Draws the swatch in a LEGEND_SWATCH-wide box whose vertical centre is y, in `currentColor`. */
  swatch(x: number, y: number, width: number): string;
  /** Colour class and fallback colour of the series; absent for keys, which are drawn in the text colour. */
  style?: { className: string; color: string };
}

export interface FrameSpec {
  title: string;
  subtitle?: string;
  x: Axis;
  y: Axis;
  /** One entry per series. */
  legend: LegendEntry[];
  /** How to read the marks (e.g. solid = p99, dashed = p50), listed after the series. */
  keys?: LegendEntry[];
}

export interface Plot {
  left: number;
  top: number;
  width: number;
  height: number;
  /** Width of one category band (the whole width when the x axis is not categorical). */
  band: number;
  x(v: number): number;
  y(v: number): number;
}

interface LegendRow {
  entry: LegendEntry;
  lines: string[];
  height: number;
  gapBefore: number;
}

function legendRows(spec: FrameSpec): LegendRow[] {
  const row = (entry: LegendEntry, gapBefore: number): LegendRow => {
    const ls = wrap(entry.label, LEGEND_TEXT_MAX, LEGEND_SIZE);
    return { entry, lines: ls, height: 20 + (ls.length - 1) * 15, gapBefore };
  };
  return [...spec.legend.map((e) => row(e, 0)), ...(spec.keys ?? []).map((e, i) => row(e, i === 0 && spec.legend.length ? 12 : 0))];
}

/** Keeps labels that do not collide with the previous kept one; the rest stay as unlabelled gridlines. */
function thin(ticks: { tick: Tick; at: number }[], extentOf: (t: Tick) => number, gap: number): { tick: Tick; at: number }[] {
  let lastEdge = -Infinity;
  return [...ticks]
    .sort((a, b) => a.at - b.at)
    .map((t) => {
      if (!t.tick.label) return t;
      const half = extentOf(t.tick) / 2;
      if (t.at - half < lastEdge + gap) return { tick: { value: t.tick.value, label: "" }, at: t.at };
      lastEdge = t.at + half;
      return t;
    });
}

export function frame(spec: FrameSpec): { plot: Plot; svg(body: string[]): string } {
  const rows = legendRows(spec);
  const legendTextWidth = Math.max(0, ...rows.flatMap((r) => r.lines.map((l) => textWidth(l, LEGEND_SIZE))));
  const legendWidth = LEGEND_SWATCH + 8 + legendTextWidth;
  const legendHeight = rows.reduce((a, r) => a + r.height + r.gapBefore, 0);

  const yLabelWidth = Math.max(0, ...spec.y.scale.ticks.map((t) => textWidth(t.label, TICK_SIZE)));
  const subtitle = spec.subtitle ? wrap(spec.subtitle, WIDTH - 2 * PAD, SUBTITLE_SIZE, false) : [];
  const top = PAD + 18 + subtitle.length * 17 + 25;
  const left = PAD + AXIS_SIZE + 12 + yLabelWidth + 8;
  const right = legendWidth + 24 + PAD;
  const width = WIDTH - left - right;
  const n = spec.x.scale.ticks.length;
  const band = spec.x.band ? width / Math.max(1, n) : width;
  const xLines = spec.x.band ? spec.x.scale.ticks.map((t) => wrap(t.label, band - 8, TICK_SIZE)) : spec.x.scale.ticks.map((t) => [t.label]);
  const xLineCount = Math.max(1, ...xLines.map((l) => l.length));
  const bottom = 8 + 6 + xLineCount * 13 + 10 + AXIS_SIZE + PAD;
  const height = Math.max(HEIGHT, top + legendHeight + bottom + 20);
  const plotHeight = height - top - bottom;

  const plot: Plot = {
    left,
    top,
    width,
    height: plotHeight,
    band,
    x: (v) => left + spec.x.scale.fraction(v) * width,
    y: (v) => top + (1 - spec.y.scale.fraction(v)) * plotHeight,
  };

  const svg = (body: string[]): string => {
    const out: string[] = [];
    out.push(el("rect", { class: "bg", x: 0, y: 0, width: WIDTH, height, fill: BG.light }));
    out.push(text(spec.title, { class: "fg", x: PAD, y: PAD + 16, "font-size": TITLE_SIZE, "font-weight": 600, fill: INK.light }));
    if (subtitle.length) out.push(lines(subtitle, PAD, PAD + 38, 17, { class: "muted", "font-size": SUBTITLE_SIZE, fill: MUTED.light }));

    // Gridlines under everything; labelled ticks get a stronger line than minor ones.
    const yTicks = thin(
      spec.y.scale.ticks.map((tick) => ({ tick, at: plot.y(tick.value) })),
      () => TICK_SIZE,
      3,
    );
    const xTicks = spec.x.band
      ? spec.x.scale.ticks.map((tick) => ({ tick, at: plot.x(tick.value) }))
      : thin(
          spec.x.scale.ticks.map((tick) => ({ tick, at: plot.x(tick.value) })),
          (t) => textWidth(t.label, TICK_SIZE),
          10,
        );
    const grid: string[] = [];
    for (const { tick, at } of yTicks) {
      const cls = tick.label ? "grid" : "minor";
      grid.push(el("line", { class: cls, x1: left, x2: left + width, y1: at, y2: at, stroke: tick.label ? GRID.light : MINOR.light, "stroke-width": 1 }));
    }
    if (!spec.x.band) {
      for (const { tick, at } of xTicks) {
        const cls = tick.label ? "grid" : "minor";
        grid.push(el("line", { class: cls, x1: at, x2: at, y1: top, y2: top + plotHeight, stroke: tick.label ? GRID.light : MINOR.light, "stroke-width": 1 }));
      }
    }
    out.push(el("g", { class: "grid-lines" }, grid));

    out.push(...body);

    // Axes and tick labels over the marks, so bars meeting the axis do not hide it.
    const axis: string[] = [];
    const axisAttrs = { class: "axis", stroke: MUTED.light, "stroke-width": 1 };
    axis.push(el("line", { x1: left, x2: left + width, y1: top + plotHeight, y2: top + plotHeight, ...axisAttrs }));
    axis.push(el("line", { x1: left, x2: left, y1: top, y2: top + plotHeight, ...axisAttrs }));
    for (const { tick, at } of yTicks) {
      if (!tick.label) continue;
      axis.push(el("line", { x1: left - 5, x2: left, y1: at, y2: at, ...axisAttrs }));
      axis.push(text(tick.label, { class: "fg tick", x: left - 8, y: at + 4, "text-anchor": "end", "font-size": TICK_SIZE, fill: INK.light }));
    }
    xTicks.forEach(({ tick, at }, i) => {
      if (!tick.label) return;
      axis.push(el("line", { x1: at, x2: at, y1: top + plotHeight, y2: top + plotHeight + 5, ...axisAttrs }));
      const ls = spec.x.band ? (xLines[i] ?? [tick.label]) : [tick.label];
      axis.push(lines(ls, at, top + plotHeight + 8 + 11, 13, { class: "fg tick", "text-anchor": "middle", "font-size": TICK_SIZE, fill: INK.light }));
    });
    const xTitleY = top + plotHeight + 8 + 6 + xLineCount * 13 + 10 + AXIS_SIZE - 2;
    axis.push(
      text(spec.x.label, { class: "fg axis-title", x: left + width / 2, y: xTitleY, "text-anchor": "middle", "font-size": AXIS_SIZE, fill: INK.light }),
    );
    const yTitleX = PAD + AXIS_SIZE - 2;
    const yTitleY = top + plotHeight / 2;
    axis.push(
      text(spec.y.label, {
        class: "fg axis-title",
        x: yTitleX,
        y: yTitleY,
        transform: `rotate(-90 ${num(yTitleX)} ${num(yTitleY)})`,
        "text-anchor": "middle",
        "font-size": AXIS_SIZE,
        fill: INK.light,
      }),
    );
    out.push(el("g", { class: "axes" }, axis));

    const legend: string[] = [];
    const lx = left + width + 24;
    let ly = top;
    for (const r of rows) {
      ly += r.gapBefore;
      const cy = ly + 10;
      const swatch = r.entry.swatch(lx, cy, LEGEND_SWATCH);
      const label = lines(r.lines, lx + LEGEND_SWATCH + 8, cy + 4, 15, {
        class: r.entry.style ? "fg" : "muted",
        "font-size": LEGEND_SIZE,
        fill: r.entry.style ? INK.light : MUTED.light,
      });
      const style = r.entry.style ?? { className: "ink", color: INK.light };
      legend.push(el("g", { class: `legend-entry ${style.className}`, color: style.color }, [swatch, label]));
      ly += r.height;
    }
    out.push(el("g", { class: "legend" }, legend));

    const head = `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${num(height)}" viewBox="0 0 ${WIDTH} ${num(height)}" role="img" font-family="${escapeXml(FONT)}">`;
    return `${head}<title>${escapeXml(spec.title)}</title>${stylesheet()}${out.join("")}</svg>\n`;
  };

  return { plot, svg };
}
