//  Building SVG as text: escaping, attribute formatting, and a text width estimate for layout.

export type Attrs = Record<string, string | number | undefined>;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" };

/** Labels come from results (and may hold "<", "&" or quotes): everything written passes through here. */
export function escapeXml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);
}

/**
 * A coordinate with at most one decimal. A non-finite number is a bug upstream (a log of 0, an
 * empty domain): throwing here keeps "NaN" out of every file instead of drawing garbage.
 */
export function num(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`chart coordinate is not a finite number: ${v}`);
  const r = Math.round(v * 10) / 10;
  return String(Object.is(r, -0) ? 0 : r);
}

function attrs(a: Attrs): string {
  let out = "";
  for (const [k, v] of Object.entries(a)) {
    if (v === undefined) continue;
    out += ` ${k}="${typeof v === "number" ? num(v) : escapeXml(v)}"`;
  }
  return out;
}

/** One element; children are already-built markup (use `text` for character data). */
export function el(tag: string, a: Attrs, children: string[] = []): string {
  return children.length ? `<${tag}${attrs(a)}>${children.join("")}</${tag}>` : `<${tag}${attrs(a)}/>`;
}

/** A text element whose content is escaped. */
export function text(content: string, a: Attrs): string {
  return `<text${attrs(a)}>${escapeXml(content)}</text>`;
}

/** A multi-line text: one tspan per line, `lineHeight` apart, starting at y. */
export function lines(content: string[], x: number, y: number, lineHeight: number, a: Attrs): string {
  const spans = content.map((line, i) => `<tspan${attrs({ x, y: y + i * lineHeight })}>${escapeXml(line)}</tspan>`);
  return `<text${attrs(a)}>${spans.join("")}</text>`;
}

/** Path data from points: "M x y L x y ...". */
export function polyline(points: { x: number; y: number }[]): string {
  return points.map((p, i) => `${i === 0 ? "M" : "L"}${num(p.x)} ${num(p.y)}`).join(" ");
}

// Advance widths in em of DejaVu Sans, the sans-serif of most Linux machines and wider than the
// system fonts of other platforms: estimates made with it err on the side of room.
const LOWER =
  "a.613 b.635 c.55 d.635 e.615 f.352 g.635 h.634 i.278 j.278 k.579 l.278 m.974 n.634 o.612 p.635 q.635 r.411 s.521 t.392 u.634 v.592 w.818 x.592 y.592 z.525";
const WIDTHS = new Map<string, number>([
  ...LOWER.split(" ").map((e): [string, number] => [e[0] ?? "", Number(e.slice(1))]),
  [" ", 0.318],
  [".", 0.318],
  [",", 0.318],
  [":", 0.337],
  [";", 0.337],
  ["/", 0.337],
  ["(", 0.39],
  [")", 0.39],
  ["%", 0.95],
  ["−", 0.838],
  ["-", 0.361],
  ["×", 0.838],
  ["µ", 0.636],
  ["'", 0.275],
  ["M", 0.863],
  ["W", 0.989],
  ["I", 0.295],
]);

/**
 * Rendered width of a string, estimated from per-character advance widths. The SVG is laid out
 * before any renderer sees it, so overlap checks need an estimate; this one errs wide.
 */
export function textWidth(s: string, fontSize: number): number {
  let em = 0;
  for (const c of s) em += WIDTHS.get(c) ?? (/[0-9]/.test(c) ? 0.636 : /[A-Z]/.test(c) ? 0.72 : 0.65);
  return em * fontSize;
}

/**
 * Splits a label into lines of at most `maxWidth` (a word longer than that gets a line of its own).
 * With `atCommas`, a label that does not fit on one line breaks at its commas first, so
 * "short polling, every 1 s" keeps "every 1 s" together.
 */
export function wrap(label: string, maxWidth: number, fontSize: number, atCommas = true): string[] {
  if (textWidth(label, fontSize) <= maxWidth) return [label];
  const out: string[] = [];
  for (const clause of atCommas ? label.split(/(?<=,)\s+/) : [label]) {
    let line = "";
    for (const word of clause.split(/\s+/).filter(Boolean)) {
      const candidate = line ? `${line} ${word}` : word;
      if (line && textWidth(candidate, fontSize) > maxWidth) {
        out.push(line);
        line = word;
      } else line = candidate;
    }
    if (line) out.push(line);
  }
  return out.length ? out : [""];
}
