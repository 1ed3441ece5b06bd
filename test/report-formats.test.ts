// A report you can attach: --format takes a list; html is one page with its charts inline; pdf
// is that page printed by Chromium, checked as a person would: its pages turned into images
// (pdftoppm) and looked at, its text (pdftotext) holding every chart's title.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "../bench/model/results.ts";
import { findChromium } from "../lib/chromium.ts";
import { decodePng } from "./support/png.ts";
import { killAll, runCli } from "./support/processes.ts";

afterAll(killAll);

const chromium = findChromium();
const poppler = Bun.which("pdftoppm") !== null && Bun.which("pdftotext") !== null;
if (!chromium || !poppler)
  console.warn("the PDF report test skipped: it needs Chromium and poppler-utils (Debian: apt-get install chromium poppler-utils; .ci/run installs them)");

async function bench(args: string[]): Promise<{ dir: string; files: string[]; result?: BenchResult }> {
  const dir = mkdtempSync(join(tmpdir(), "socketlab-formats-"));
  const r = await runCli(
    ["bench/cli/main.ts", "rtt", "--transports", "tcp,ws", "--rounds", "1", "-d", "500ms", "--warmup", "100ms", "-o", dir, ...args],
    "",
    90_000,
  );
  expect(r.code === 0 ? "" : r.stderr).toBe("");
  const files = readdirSync(dir);
  const json = files.find((f) => f.endsWith(".json"));
  return { dir, files, ...(json ? { result: JSON.parse(readFileSync(join(dir, json), "utf8")) as BenchResult } : {}) };
}

test("--format md,html,json: the page holds the report, its charts inline, light and dark, printable", async () => {
  const { dir, files } = await bench(["--format", "md,html,json"]);
  const svgs = files.filter((f) => f.endsWith(".svg"));
  expect(files.filter((f) => /\.(md|html|json)$/.test(f)).length).toBe(3);
  expect(svgs.length).toBeGreaterThanOrEqual(3);
  const html = readFileSync(join(dir, files.find((f) => f.endsWith(".html"))!), "utf8");
  expect(html).toStartWith("<!doctype html>");
  // Every chart the Markdown links is in the page itself; nothing is loaded from elsewhere.
  expect(html.match(/<svg[\s>]/g)?.length).toBe(svgs.length);
  expect(html).not.toMatch(/<img |src="|href="http/);
  expect(html).toContain("<table>");
  expect(html).toContain("@media (prefers-color-scheme: dark)");
  expect(html).toContain("@media print");
  expect(html).toContain("<h2");
  const md = readFileSync(join(dir, files.find((f) => f.endsWith(".md"))!), "utf8");
  // The same sections as the Markdown report.
  for (const heading of md.match(/^## .+$/gm) ?? []) expect(html).toContain(Bun.escapeHTML(heading.slice(3)));
}, 120_000);

test("--format: a list of what it knows, or one line saying what it takes", async () => {
  const r = await runCli(["bench/cli/main.ts", "rtt", "--format", "md,docx"]);
  expect(r.code).toBe(2);
  expect(r.stderr.split("\n")[0]).toBe('bench: --format: "md,docx" is not a list of md, json, csv, html, pdf, both, all (e.g. md,html,json)');
});

test.skipIf(!chromium || !poppler)(
  "--format pdf: pages that are not blank, every chart on them, on the paper asked for",
  async () => {
    const { dir, files } = await bench(["--format", "pdf,json", "--paper", "letter"]);
    const pdf = join(dir, files.find((f) => f.endsWith(".pdf"))!);
    expect(readFileSync(pdf).subarray(0, 5).toString()).toBe("%PDF-");
    const info = Bun.spawnSync(["pdfinfo", pdf]).stdout.toString();
    // Letter: 612 x 792 points.
    expect(info).toMatch(/Page size:\s+612 x 792 pts/);
    expect(Bun.spawnSync(["pdftoppm", "-png", "-r", "40", pdf, join(dir, "page")]).exitCode).toBe(0);
    const pages = readdirSync(dir).filter((f) => /^page-\d+\.png$/.test(f));
    expect(pages.length).toBeGreaterThanOrEqual(2);
    for (const page of pages) {
      const image = decodePng(new Uint8Array(readFileSync(join(dir, page))));
      let dark = 0;
      for (let y = 0; y < image.height; y += 2) for (let x = 0; x < image.width; x += 2) if (image.rgb(x, y).reduce((a, b) => a + b, 0) < 600) dark++;
      expect(dark).toBeGreaterThan(50); // ink on every page
    }
    const text = Bun.spawnSync(["pdftotext", "-layout", pdf, "-"]).stdout.toString();
    for (const title of ["Round-trip latency by percentile", "Round-trip latency: p50 and p99 by transport", "Round-trip latency over time"])
      expect(text.replace(/\s+/g, " ")).toContain(title);
    expect(text).toContain("Round trip: one client, one message in flight");
  },
  120_000,
);

test("--format pdf without a Chromium: one line, before anything runs", async () => {
  const r = await runCli(["bench/cli/main.ts", "rtt", "--transports", "tcp", "--format", "pdf"], "", 15_000, { CHROMIUM_PATH: "", PATH: "/nonexistent" });
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split("\n").at(-1)).toBe(
    "bench: --format pdf prints the report with Chromium, and none was found: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH",
  );
});
