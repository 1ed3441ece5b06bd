import { expect, test } from "bun:test";
import { DOMParser } from "@xmldom/xmldom";
import { linePlot } from "./line-plot.ts";
import { sequential } from "./palette.ts";
import { linearScale } from "./scale.ts";
import { el, escapeXml, num, text, textWidth, wrap } from "./svg.ts";

test("text and attributes are escaped", () => {
  expect(escapeXml(`a < b & "c" 'd' > e`)).toBe("a &lt; b &amp; &quot;c&quot; &apos;d&apos; &gt; e");
  expect(text("p99 < 1 ms & µs", { x: 1, "data-x": 'q"' })).toBe('<text x="1" data-x="q&quot;">p99 &lt; 1 ms &amp; µs</text>');
  expect(el("g", { a: undefined, b: 2.25 })).toBe('<g b="2.3"/>');
});

test("coordinates are rounded, and a non-finite one is refused", () => {
  expect(num(1.04)).toBe("1");
  expect(num(-0.01)).toBe("0");
  expect(() => num(Number.NaN)).toThrow();
  expect(() => num(Number.POSITIVE_INFINITY)).toThrow();
});

test("labels wrap at commas first, then between words", () => {
  expect(wrap("short polling, every 1 s", 120, 11)).toEqual(["short polling,", "every 1 s"]);
  expect(wrap("HTTP new connection", 80, 11)).toEqual(["HTTP new", "connection"]);
  expect(wrap("TCP", 80, 11)).toEqual(["TCP"]);
  expect(wrap("2,000/s, 10,000/s offered", 60, 11, false)).toEqual(["2,000/s,", "10,000/s", "offered"]);
  expect(textWidth("WWW", 10)).toBeGreaterThan(textWidth("iii", 10));
});

test("a chart whose labels hold markup characters is still well-formed XML, showing them as written", () => {
  const svg = linePlot({
    title: `a <b> & "c"`,
    subtitle: "p < 1 ms & µs",
    x: { scale: linearScale([0, 10], (v) => `<${v}>`), label: "x & y" },
    y: { scale: linearScale([0, 5], String), label: "<y>" },
    series: [
      {
        label: `TCP <&> "quoted"`,
        style: sequential(0),
        lines: [
          {
            points: [
              { x: 1, y: 1 },
              { x: 9, y: 4 },
            ],
            markers: [],
          },
        ],
      },
    ],
  });
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void problems.push(`${level}: ${message}`) }).parseFromString(svg, "image/svg+xml");
  expect(problems).toEqual([]);
  // The lenient parser lets a bare "&" through: check for it separately.
  expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
  const root = doc.documentElement!;
  expect(root.getElementsByTagName("title")[0]?.textContent).toBe(`a <b> & "c"`);
  expect(
    Array.from(root.getElementsByTagName("g"))
      .find((g) => g.hasAttribute("data-series"))
      ?.getAttribute("data-series"),
  ).toBe(`TCP <&> "quoted"`);
  expect(Array.from(root.getElementsByTagName("text")).map((t) => t.textContent)).toEqual(expect.arrayContaining(["<0>", "x & y", "<y>"]));
});
