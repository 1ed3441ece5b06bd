// Series styles: a colour (Okabe–Ito, safe for the common colour-vision deficiencies), a marker
// shape and a dash pattern, so series stay apart in greyscale or where lines lie on top of each
// other. Each colour has a lighter twin for dark viewers; a series group carries both, one as
// the `color` attribute (for renderers without CSS) and one through its class.
import { el, num } from "./svg.ts";
import { DRIVERS, type DriverName } from "../../catalog.ts";

const LIGHT = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#882255", "#999933"] as const;
const DARK = ["#56A8E6", "#FF8247", "#2ECC9A", "#E8A3CC", "#F5B93A", "#9AD6F7", "#E0779F", "#CFCF63"] as const;
const DASHES = [undefined, "8 4", "2 3", "10 3 2 3"] as const;
export type MarkerShape = "circle" | "square" | "triangle" | "diamond" | "triangle-down" | "cross" | "plus";
const MARKERS: MarkerShape[] = ["circle", "square", "triangle", "diamond", "triangle-down", "cross", "plus"];

export const STYLE_COUNT = LIGHT.length;

export interface SeriesStyle {
  /** Goes in the series group's class: picks the colour for light and dark. */
  className: string;
  /** The light colour, as a fallback where the stylesheet is not applied. */
  color: string;
  marker: MarkerShape;
  dash?: string;
}

/** Which colour, and which marker and dash (the variant), a series gets. */
export interface StyleRef {
  color: number;
  variant: number;
}

export function sequential(i: number): StyleRef {
  return { color: i, variant: i };
}

export function seriesStyle(ref: StyleRef): SeriesStyle {
  const c = ref.color % STYLE_COUNT;
  return {
    className: `c${c}`,
    color: LIGHT[c] ?? LIGHT[0],
    marker: MARKERS[ref.variant % MARKERS.length] ?? "circle",
    dash: DASHES[ref.variant % DASHES.length],
  };
}

/** CSS rules for the series colours, light first, then the dark twins in `dark`. */
export function colorRules(dark: boolean): string {
  return (dark ? DARK : LIGHT).map((c, i) => `.c${i}{color:${c}}`).join("");
}

// Every chart of a report gives a transport the same style, so TCP is the same blue throughout.

/**
 * Styles for a chart's series, one per entry of `drivers`: the transport's own colour, marker and
 * dash when every series is a different transport. When transports repeat (several rates or
 * sizes each), the colour still names the transport and the marker and dash name the repeat, the
 * same for every transport (the first rate solid, the second dashed...). A single transport
 * repeated gets a colour per series, as colour alone is what most readers look at.
 */
export function styleRefs(drivers: DriverName[]): StyleRef[] {
  const distinct = new Set(drivers);
  if (distinct.size === drivers.length) return drivers.map((d) => sequential(DRIVERS[d].colour));
  if (distinct.size === 1) return drivers.map((_, i) => sequential(i));
  const seen = new Map<DriverName, number>();
  return drivers.map((d) => {
    const variant = seen.get(d) ?? 0;
    seen.set(d, variant + 1);
    return { color: DRIVERS[d].colour, variant };
  });
}

/** A marker centred on (x, y), filled with the series colour and ringed in the background colour to stand off lines. */
export function marker(shape: MarkerShape, x: number, y: number, r = 4): string {
  const ring = { class: "halo", stroke: "#ffffff", "stroke-width": 1 };
  const poly = (pts: [number, number][]) =>
    el("path", { d: `M${pts.map(([px, py]) => `${num(x + px)} ${num(y + py)}`).join(" L")} Z`, fill: "currentColor", ...ring });
  const s = r * 0.9;
  switch (shape) {
    case "circle":
      return el("circle", { cx: x, cy: y, r, fill: "currentColor", ...ring });
    case "square":
      return el("rect", { x: x - s, y: y - s, width: 2 * s, height: 2 * s, fill: "currentColor", ...ring });
    case "triangle":
      return poly([
        [0, -r * 1.15],
        [r * 1.05, r * 0.75],
        [-r * 1.05, r * 0.75],
      ]);
    case "triangle-down":
      return poly([
        [0, r * 1.15],
        [r * 1.05, -r * 0.75],
        [-r * 1.05, -r * 0.75],
      ]);
    case "diamond":
      return poly([
        [0, -r * 1.25],
        [r * 1.05, 0],
        [0, r * 1.25],
        [-r * 1.05, 0],
      ]);
    case "cross": {
      const a = r * 0.4;
      const b = r * 1.1;
      return poly([
        [-b, -b + a],
        [-b + a, -b],
        [0, -a],
        [b - a, -b],
        [b, -b + a],
        [a, 0],
        [b, b - a],
        [b - a, b],
        [0, a],
        [-b + a, b],
        [-b, b - a],
        [-a, 0],
      ]);
    }
    case "plus": {
      const a = r * 0.45;
      const b = r * 1.2;
      return poly([
        [-a, -b],
        [a, -b],
        [a, -a],
        [b, -a],
        [b, a],
        [a, a],
        [a, b],
        [-a, b],
        [-a, a],
        [-b, a],
        [-b, -a],
        [-a, -a],
      ]);
    }
  }
}
