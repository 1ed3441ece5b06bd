import { describe, expect, test } from "bun:test";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult, Section, LoadResult } from "../../model/results.ts";
import { encodeHistogram, newHistogram, record, summarize } from "../../stats/histogram.ts";
import { latency } from "../../model/format.ts";
import { renderCharts, type Chart } from "./index.ts";
import { decodePng } from "../../../test/support/png.ts";
import { suiteFixture } from "../../../test/support/fixtures.ts";

const example = suiteFixture();
const charts = renderCharts(example);
const byName = (name: string, from: Chart[] = charts): Chart => {
  const chart = from.find((c) => c.name === name);
  if (!chart) throw new Error(`no chart ${name} among ${from.map((c) => c.name).join(", ")}`);
  return chart;
};

/** Parses strictly: any warning or error of the parser fails the test. */
function parse(svg: string): Element {
  const problems: string[] = [];
  const doc = new DOMParser({ onError: (level, message) => void problems.push(`${level}: ${message}`) }).parseFromString(svg, "image/svg+xml");
  expect(problems).toEqual([]);
  const root = doc.documentElement;
  if (!root) throw new Error("no root element");
  return root;
}

function elements(root: Element, tag: string): Element[] {
  return Array.from(root.getElementsByTagName(tag));
}

function seriesOf(svg: string): string[] {
  return elements(parse(svg), "g")
    .filter((g) => g.hasAttribute("data-series"))
    .map((g) => g.getAttribute("data-series") ?? "");
}

function textsOf(svg: string, className?: string): string[] {
  return elements(parse(svg), "text")
    .filter((t) => !className || (t.getAttribute("class") ?? "").split(" ").includes(className))
    .map((t) => t.textContent ?? "");
}

const TRANSPORTS = ["TCP", "UDP", "WebSocket", "HTTP keep-alive", "HTTP new connection"];

describe("charts of the example suite", () => {
  test("one chart per figure the suite has data for, in section order", () => {
    expect(charts.map((c) => c.name)).toEqual([
      "rtt-spectrum",
      "rtt-p50-p99",
      "push-latency",
      "distance-latency",
      "throughput",
      "throughput-mbps",
      "load-spectrum",
    ]);
    for (const c of charts) {
      expect(c.name).toMatch(/^[a-z0-9]+(-[a-z0-9]+)*$/);
      expect(c.title.length).toBeGreaterThan(0);
    }
  });

  test("every chart is a standalone SVG document that a strict XML parser accepts", () => {
    for (const c of charts) {
      const root = parse(c.svg);
      expect(root.tagName).toBe("svg");
      expect(root.getAttribute("xmlns")).toBe("http://www.w3.org/2000/svg");
      expect(Number(root.getAttribute("width"))).toBeGreaterThan(0);
      expect(Number(root.getAttribute("height"))).toBeGreaterThan(0);
      expect(root.getAttribute("viewBox")).toBe(`0 0 ${root.getAttribute("width")} ${root.getAttribute("height")}`);
      expect(elements(root, "title")[0]?.textContent).toBe(c.title);
      // A background of its own and a dark variant: readable whatever page it is put on.
      expect(elements(root, "rect")[0]?.getAttribute("class")).toBe("bg");
      expect(elements(root, "style")[0]?.textContent).toContain("@media (prefers-color-scheme: dark)");
    }
  });

  test("no NaN, undefined or Infinity anywhere, and no unescaped ampersand (which the parser lets through)", () => {
    for (const c of charts) {
      expect(c.svg).not.toMatch(/NaN|undefined|Infinity|null/);
      expect(c.svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos);)/);
    }
  });

  test("each chart has one series per run it shows, each named in the legend", () => {
    const expected: Record<string, string[]> = {
      "rtt-spectrum": TRANSPORTS,
      "rtt-p50-p99": TRANSPORTS,
      "push-latency": ["WebSocket push", "SSE", "long polling", "short polling, every 250 ms", "short polling, every 1 s"],
      throughput: TRANSPORTS.slice(0, 4),
      "throughput-mbps": TRANSPORTS.slice(0, 4),
      "load-spectrum": TRANSPORTS.slice(0, 4),
      // Each name ends with the row's measured cost, "(slope 1.01)": compared without it.
      "distance-latency": [
        "WebSocket message, open connection",
        "WebSocket message, new connection",
        "HTTP request, keep-alive connection",
        "HTTP request, new connection",
        "WebSocket push",
        "HTTP long polling",
        "HTTP short polling, every 250 ms",
      ],
    };
    const withoutCost = (name: string) => name.replace(/ \(slope \d+\.\d\d\)$/, "");
    for (const c of charts) {
      expect({ chart: c.name, series: seriesOf(c.svg).map(withoutCost) }).toEqual({ chart: c.name, series: expected[c.name] ?? [] });
      const legend = elements(parse(c.svg), "g")
        .filter((g) => (g.getAttribute("class") ?? "").startsWith("legend-entry"))
        .map((g) =>
          withoutCost(
            elements(g, "tspan")
              .map((t) => t.textContent)
              .join(" "),
          ),
        );
      for (const name of expected[c.name] ?? []) expect(legend).toContain(name);
    }
  });

  test("the spectrum has the HdrHistogram percentile ticks and latency ticks with units", () => {
    for (const name of ["rtt-spectrum", "load-spectrum"]) {
      const ticks = textsOf(byName(name).svg, "tick");
      for (const t of ["0%", "50%", "90%", "99%", "99.9%", "99.99%"]) expect(ticks).toContain(t);
      expect(ticks.filter((t) => / µs$/.test(t)).length).toBeGreaterThanOrEqual(2);
      expect(ticks).toContain("1 ms");
    }
    // Every percentile point of every run: a line, markers on the labelled percentiles.
    const root = parse(byName("rtt-spectrum").svg);
    const tcp = elements(root, "g").find((g) => g.getAttribute("data-series") === "TCP");
    expect(tcp && elements(tcp, "path")[0]?.getAttribute("d")?.split("L").length).toBeGreaterThan(60);
  });

  test("bars carry p50 and p99 of each transport, on a linear axis in µs", () => {
    const svg = byName("rtt-p50-p99").svg;
    const root = parse(svg);
    const rtt = example.sections.find((s) => s.kind === "rtt")!;
    const bars = elements(root, "rect").filter((r) => r.getAttribute("class") === "bar");
    expect(bars.length).toBe(rtt.runs.length * 2);
    expect(textsOf(svg, "axis-title")).toContain("round-trip latency (µs)");
    expect(textsOf(svg, "tick")).toContain("0");
    // Taller p99 than p50 in each group, as in the data.
    const heights = bars.map((b) => Number(b.getAttribute("height")));
    for (let i = 0; i < heights.length; i += 2) expect(heights[i + 1]!).toBeGreaterThan(heights[i]!);
  });

  test("push latency spans µs to s on a log axis, with each pattern's values", () => {
    const svg = byName("push-latency").svg;
    const ticks = textsOf(svg, "tick");
    expect(ticks).toContain("1 ms");
    expect(ticks).toContain("1 s");
    const ws = example.sections.find((s) => s.kind === "push")!.runs.find((r) => r.spec.pattern === "ws")!;
    expect(textsOf(svg, "value")).toContain(latency(ws.latency.p50));
  });

  test("distance: p50 against the round trip on linear axes, so a costlier row climbs more steeply", () => {
    const svg = byName("distance-latency").svg;
    expect(textsOf(svg, "tick")).toEqual(expect.arrayContaining(["0 ms", "20 ms", "100 ms", "0", "100 ms", "300 ms"]));
    const root = parse(svg);
    // The last point of each line: higher on the page (smaller y) for a row costing more round trips.
    const lastY = (series: string) => {
      const g = elements(root, "g").find((x) => x.getAttribute("data-series")?.startsWith(series));
      const d = g && elements(g, "path")[0]?.getAttribute("d");
      return Number(d?.split(" ").at(-1));
    };
    expect(lastY("WebSocket message, new connection")).toBeLessThan(lastY("HTTP request, new connection"));
    expect(lastY("HTTP request, new connection")).toBeLessThan(lastY("WebSocket message, open connection"));
    expect(lastY("WebSocket message, open connection")).toBeLessThan(lastY("WebSocket push"));
  });

  test("throughput ticks are message sizes", () => {
    const ticks = textsOf(byName("throughput").svg, "tick");
    expect(ticks).toContain("64 B");
    expect(ticks).toContain("16 KiB");
    expect(ticks).toContain("200k");
  });

  test("tick labels do not overlap", () => {
    for (const c of charts) {
      const root = parse(c.svg);
      const xs = elements(root, "text")
        .filter((t) => t.getAttribute("class") === "fg tick" && t.getAttribute("text-anchor") === "middle")
        .map((t) => Number(elements(t, "tspan")[0]?.getAttribute("x")));
      for (let i = 1; i < xs.length; i++) expect(xs[i]! - xs[i - 1]!).toBeGreaterThan(30);
      const ys = elements(root, "text")
        .filter((t) => t.getAttribute("class") === "fg tick" && t.getAttribute("text-anchor") === "end")
        .map((t) => Number(t.getAttribute("y")))
        .sort((a, b) => a - b);
      for (let i = 1; i < ys.length; i++) expect(ys[i]! - ys[i - 1]!).toBeGreaterThanOrEqual(12);
    }
  });

  test("the same result gives the same bytes", () => {
    expect(renderCharts(example)).toEqual(charts);
    expect(Object.fromEntries(charts.map((c) => [c.name, c.svg]))).toMatchSnapshot();
  });
});

/** A copy of a recorded run at another rate, with a made-up distribution around `centreNs`. */
function runAt(base: LoadResult, ratePerSec: number, centreNs: number): LoadResult {
  const h = newHistogram();
  for (let i = 0; i < 1000; i++) record(h, centreNs * (0.8 + (i % 50) / 100) * (i >= 990 ? 5 : 1));
  return { ...base, spec: { ...base.spec, ratePerSec }, latency: summarize(h), histograms: { ...base.histograms!, latency: encodeHistogram(h) } };
}

function withSections(sections: Section[]): BenchResult {
  return { ...example, sections };
}

describe("charts of other scenarios", () => {
  const load = example.sections.find((s) => s.kind === "load")!;
  const [tcp, udp] = load.runs;
  if (!tcp || !udp) throw new Error("example has no load runs");

  test("a rate sweep adds latency against offered rate, one series per transport", () => {
    const runs = [2000, 10_000, 50_000].flatMap((rate, i) => [runAt(tcp, rate, 40_000 * 3 ** i), runAt(udp, rate, 30_000 * 3 ** i)]);
    const got = renderCharts(withSections([{ kind: "load", runs, knees: [] }]));
    expect(got.map((c) => c.name)).toEqual(["load-spectrum", "load-sweep"]);
    const sweep = byName("load-sweep", got).svg;
    expect(seriesOf(sweep)).toEqual(["TCP", "UDP"]);
    expect(textsOf(sweep, "tick")).toEqual(expect.arrayContaining(["2k", "10k", "50k"]));
    expect(seriesOf(byName("load-spectrum", got).svg)).toEqual(["TCP at 2k/s", "UDP at 2k/s", "TCP at 10k/s", "UDP at 10k/s", "TCP at 50k/s", "UDP at 50k/s"]);
    for (const c of got) parse(c.svg);
  });

  test("the udp scenario's echo runs give a sweep; a single rate gives none", () => {
    const runs = [50_000, 100_000, 200_000].map((rate, i) => runAt(udp, rate, 30_000 * 2 ** i));
    const got = renderCharts(withSections([{ kind: "udp", runs, oneWay: [], lossBeginsAt: 200_000 }]));
    expect(got.map((c) => c.name)).toEqual(["udp-sweep"]);
    expect(seriesOf(byName("udp-sweep", got).svg)).toEqual(["UDP echo"]);
    expect(renderCharts(withSections([{ kind: "udp", runs: runs.slice(0, 1), oneWay: [] }]))).toEqual([]);
  });

  test("one scenario gives its own charts only; sections without charts give none", () => {
    const rtt = example.sections.filter((s) => s.kind === "rtt");
    expect(renderCharts(withSections(rtt)).map((c) => c.name)).toEqual(["rtt-spectrum", "rtt-p50-p99"]);
    expect(renderCharts(withSections([]))).toEqual([]);
    expect(renderCharts(withSections([{ kind: "connect", runs: [tcp], skipped: [], timeWait: [] }]))).toEqual([]);
  });

  test("runs with no completed messages are left out rather than drawn at zero", () => {
    const empty = runAt(tcp, 0, 1);
    const none = {
      ...empty,
      latency: summarize(newHistogram()),
      histograms: { ...empty.histograms!, latency: encodeHistogram(newHistogram()) },
      counts: { ...empty.counts, completed: 0 },
    };
    expect(renderCharts(withSections([{ kind: "rtt", runs: [none], skipped: [] }]))).toEqual([]);
  });
});

// The screenshot check needs a browser; machines without one (CI) skip it, saying why.
const CHROMIUM = "/usr/bin/chromium";
const hasChromium = existsSync(CHROMIUM);
const SHOT_TIMEOUT_MS = 30_000;

async function screenshot(svgPath: string, pngPath: string, dark: boolean): Promise<void> {
  const profile = await mkdtemp(join(tmpdir(), "socketlab-chromium-"));
  try {
    const proc = Bun.spawn(
      [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${profile}`,
        ...(dark ? ["--force-dark-mode", "--blink-settings=preferredColorScheme=0"] : []),
        `--screenshot=${pngPath}`,
        "--window-size=900,560",
        `file://${svgPath}`,
      ],
      { stdout: "ignore", stderr: "ignore" },
    );
    const timer = setTimeout(() => proc.kill("SIGKILL"), SHOT_TIMEOUT_MS);
    const code = await proc.exited;
    clearTimeout(timer);
    if (code !== 0)
      throw new Error(`chromium exited with ${code} for ${svgPath}${proc.signalCode ? ` (${proc.signalCode}: timed out after ${SHOT_TIMEOUT_MS} ms?)` : ""}`);
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
}

function luminance([r, g, b]: [number, number, number]): number {
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** Distinct colours over a grid of samples, and the share of samples unlike the corner's background. */
function inkStats(png: Uint8Array): { colours: number; inked: number; background: number } {
  const img = decodePng(png);
  const bg = img.rgb(2, 2);
  const colours = new Set<string>();
  let inked = 0;
  let samples = 0;
  for (let y = 0; y < img.height; y += 3) {
    for (let x = 0; x < img.width; x += 3) {
      const px = img.rgb(x, y);
      colours.add(px.join(","));
      samples++;
      if (Math.abs(px[0] - bg[0]) + Math.abs(px[1] - bg[1]) + Math.abs(px[2] - bg[2]) > 30) inked++;
    }
  }
  return { colours: colours.size, inked: inked / samples, background: luminance(bg) };
}

describe("in a browser", () => {
  if (!hasChromium) console.warn(`skipping the Chromium screenshot check: ${CHROMIUM} not found (Debian: apt-get install chromium)`);

  test.skipIf(!hasChromium)(
    `every chart renders to a non-blank screenshot in ${CHROMIUM}, light and dark`,
    async () => {
      const dir = await mkdtemp(join(tmpdir(), "socketlab-charts-"));
      try {
        for (const c of charts) {
          const svgPath = join(dir, `${c.name}.svg`);
          await Bun.write(svgPath, c.svg);
          for (const dark of [false, true]) {
            // Dark mode only for the first chart: the stylesheet is the same in all of them.
            if (dark && c !== charts[0]) continue;
            const pngPath = join(dir, `${c.name}${dark ? "-dark" : ""}.png`);
            await screenshot(svgPath, pngPath, dark);
            const png = new Uint8Array(await Bun.file(pngPath).arrayBuffer());
            expect(png.length).toBeGreaterThan(10_000);
            const stats = inkStats(png);
            // Text, lines and colours: many colours (anti-aliasing included), a fair share of ink.
            expect({ chart: c.name, dark, manyColours: stats.colours > 50, inked: stats.inked > 0.02 }).toEqual({
              chart: c.name,
              dark,
              manyColours: true,
              inked: true,
            });
            if (dark) expect(stats.background).toBeLessThan(60);
            else expect(stats.background).toBeGreaterThan(200);
          }
        }
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
    120_000,
  );
});
