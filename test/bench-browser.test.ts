// The browser scenario for real: headless Chromium (the one installed; .ci/run installs it) runs
// the page against our push and echo servers, and the report sets its figures beside the Bun
// clients'. Without a Chromium, `bench browser` fails in one line and the suite's section says
// how to get one.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult, BrowserSection } from "../bench/model/results.ts";
import { renderMarkdown } from "../bench/report/markdown.ts";
import { findChromium } from "../lib/chromium.ts";
import { killAll, runCli } from "./support/processes.ts";

afterAll(killAll);

const chromium = findChromium();
if (!chromium) console.warn("browser scenario test skipped: no Chromium (Debian: apt-get install chromium; .ci/run installs it)");
const out = mkdtempSync(join(tmpdir(), "socketlab-browser-"));

test.skipIf(!chromium)(
  "bench browser: every pattern delivers every event of its window once, requests keep or open connections as asked, beside the Bun clients' rows",
  async () => {
    const r = await runCli(["bench/cli/main.ts", "browser", "--quick", "--json", "-o", out], "", 90_000);
    expect(r.stderr).not.toContain("bench:");
    expect(r.code).toBe(0);
    const result = JSON.parse(r.stdout) as BenchResult;
    expect(result.sections.map((s) => s.kind)).toEqual(["rtt", "push", "browser"]);
    const s = result.sections[2] as BrowserSection;
    expect(s.skipped).toEqual([]);
    expect(s.userAgent).toContain("Chrome");
    // Cross-origin isolated, so the timer steps in microseconds, not 100 µs.
    expect(s.isolated).toBe(true);
    expect(s.timerResolutionUs!).toBeGreaterThan(0);
    expect(s.timerResolutionUs!).toBeLessThan(100);
    expect(s.rows.map((row) => `${row.kind}:${row.subject}`)).toEqual([
      "push:ws",
      "push:sse",
      "push:long",
      "push:short",
      "request:ws",
      "request:fetch",
      "request:fetch-new",
    ]);
    for (const row of s.rows.filter((x) => x.kind === "push")) {
      // 20 events/s for 1 s: each one published in the window arrived, and only once.
      expect(row.expected!).toBeGreaterThanOrEqual(15);
      expect(row.delivered).toBe(row.expected!);
      expect(row.duplicates).toBe(0);
      expect(row.failures).toBe(0);
      expect(row.latency.count).toBe(row.delivered!);
      expect(row.latency.p50).toBeGreaterThan(0);
    }
    // A short poller every 250 ms waits about half an interval on average; the pushers do not.
    const p50 = (subject: string) => s.rows.find((x) => x.kind === "push" && x.subject === subject)!.latency.p50;
    expect(p50("short")).toBeGreaterThan(20e6);
    expect(p50("ws")).toBeLessThan(p50("short"));
    const requests = (subject: string) => s.rows.find((x) => x.kind === "request" && x.subject === subject)!;
    for (const subject of ["ws", "fetch", "fetch-new"]) {
      expect(requests(subject).latency.count).toBeGreaterThan(10);
      expect(requests(subject).failures).toBe(0);
    }
    // Resource timing: keep-alive reused its connection every time; the other opened one each time.
    expect(requests("fetch").newConnections).toBe(0);
    expect(requests("fetch-new").newConnections).toBe(requests("fetch-new").latency.count);
    // The report sets the browser's figures beside the Bun clients' of the same run.
    const md = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith("-browser.md"))!), "utf8");
    expect(md).toContain("## In a real browser: push and requests measured by Chromium");
    const wsPushRow = md.split("\n").find((line) => line.startsWith("| WebSocket push |"))!;
    expect(wsPushRow.split("|").map((c) => c.trim())[4]).toMatch(/^[\d.]+ (µs|ms)$/); // the Bun clients' p50
    expect(md).toMatch(/timer ticked in steps of [\d.]+ µs/);
  },
  120_000,
);

test.skipIf(!chromium)(
  "what the report says of a page that is not isolated holds: Chromium then steps its timer by 100 µs",
  async () => {
    const { default: puppeteer } = await import("puppeteer-core");
    const { chromiumArgs } = await import("../lib/chromium.ts");
    const page = Bun.serve({
      hostname: "127.0.0.1",
      port: 0,
      fetch: () => new Response("<!doctype html><p>plain</p>", { headers: { "content-type": "text/html" } }),
    });
    const browser = await puppeteer.launch({ executablePath: chromium!, headless: true, args: chromiumArgs() });
    try {
      const tab = await browser.newPage();
      await tab.goto(`http://127.0.0.1:${page.port}/`);
      const seen = await tab.evaluate(() => {
        let step = Number.POSITIVE_INFINITY;
        const end = performance.now() + 20;
        for (let last = performance.now(); last < end; ) {
          const t = performance.now();
          if (t > last) step = Math.min(step, t - last);
          last = t;
        }
        return { isolated: (globalThis as unknown as { crossOriginIsolated: boolean }).crossOriginIsolated, stepUs: step * 1000 };
      });
      expect(seen.isolated).toBe(false);
      expect(seen.stepUs).toBeCloseTo(100, 0);
    } finally {
      await browser.close();
      page.stop(true);
    }
  },
  60_000,
);

test("bench browser without a Chromium: one line, exit 1, before anything runs", async () => {
  const started = performance.now();
  const r = await runCli(["bench/cli/main.ts", "browser", "--quick"], "", 15_000, { CHROMIUM_PATH: "", PATH: "/nonexistent" });
  expect(r.code).toBe(1);
  expect(r.stderr.trim().split("\n").at(-1)).toBe(
    "bench: the browser scenario drives Chromium, and none was found: install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH",
  );
  expect(performance.now() - started).toBeLessThan(10_000);
});

test("the suite without a Chromium: its browser section says it was skipped, and how to have it", () => {
  const section: BrowserSection = {
    kind: "browser",
    rows: [],
    skipped: ["no Chromium was found (install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH)"],
    eventsPerSec: 20,
  };
  const example = JSON.parse(readFileSync("reports/example-suite.json", "utf8")) as BenchResult;
  const md = renderMarkdown({ ...example, sections: [...example.sections, section] });
  expect(md).toContain("## In a real browser: push and requests measured by Chromium");
  expect(md).toContain(
    "Not run: no Chromium was found (install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH). With Chromium installed, the suite adds this section and `bun run bench browser` runs it alone.",
  );
});

test("bad options for the browser scenario are usage errors", async () => {
  const r = await runCli(["bench/cli/main.ts", "browser", "--net", "delay=10ms", "--rate", "5", "--size", "1k"], "", 15_000);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("bench: browser runs our own servers on this host's loopback: --net does not combine with it");
  expect(r.stderr).toContain("bench: --rate does not apply to browser: one subscriber per pattern, one request at a time");
  expect(r.stderr).toContain("bench: --size does not apply to browser: its requests are 64 B, as the Bun rows beside them");
});

test("what the browser missed, doubled or failed is listed under what went wrong", () => {
  const example = JSON.parse(readFileSync("reports/example-suite.json", "utf8")) as BenchResult;
  const shown = example.sections.find((s): s is BrowserSection => s.kind === "browser");
  if (!shown) throw new Error("the example suite has no browser section");
  const rows = shown.rows.map((row) =>
    row.kind === "push" && row.subject === "long"
      ? { ...row, delivered: row.expected! - 2, duplicates: 1 }
      : row.subject === "fetch-new"
        ? { ...row, failures: 3 }
        : row,
  );
  const md = renderMarkdown({ ...example, sections: example.sections.map((s) => (s.kind === "browser" ? { ...s, rows } : s)) });
  const wrong = md.slice(md.indexOf("## What went wrong"), md.indexOf("## Method"));
  expect(wrong).toContain(`- browser, HTTP long polling: 2 of ${shown.rows.find((r) => r.subject === "long")!.expected} events never arrived`);
  expect(wrong).toContain("- browser, HTTP long polling: 1 event arrived more than once");
  expect(wrong).toContain("- browser, fetch, new connection: 3 requests failed in the page");
});
