// The browser scenario's run: our push and echo servers, a page served cross-origin isolated,
// and headless Chromium (found on this machine, driven by puppeteer-core) running it. What the
// page measured comes back as latencies in milliseconds and goes into the same HDR histograms
// as every other run.
import puppeteer, { type Browser } from "puppeteer-core";
import { chromiumArgs, requireChromium } from "../../lib/chromium.ts";
import { RunError } from "../../lib/errors.ts";
import { withTimeout } from "../../lib/timeout.ts";
import type { PATTERNS } from "../catalog.ts";
import { patternLabel } from "../model/names.ts";
import type { BrowserRow, BrowserSection } from "../model/results.ts";
import { encodeHistogram, newHistogram, record, summarize } from "../stats/histogram.ts";
import { browserBenchPage, type BrowserBenchJob, type BrowserBenchOutcome } from "./bind.ts";
import { startServer, type ServerProcess } from "./server-process.ts";

export interface BrowserRunSpec {
  patterns: BrowserBenchJob["patterns"];
  eventsPerSec: number;
  eventSize: number;
  warmupMs: number;
  durationMs: number;
  size: number;
}

/** The Chromium to drive, or a RunError saying how to get one. */
export function browserChromium(): string {
  return requireChromium("the browser scenario drives Chromium");
}

/** The request rows, in the order the page measures them. */
export const REQUEST_KINDS = ["ws", "fetch", "fetch-new"] as const;

const REQUEST_LABELS: Record<(typeof REQUEST_KINDS)[number], string> = {
  ws: "WebSocket message, open connection",
  fetch: "fetch, keep-alive connection",
  "fetch-new": "fetch, new connection",
};

/** Milliseconds from the page into a histogram (ns) and its summary. */
function latencies(ms: number[]): Pick<BrowserRow, "latency" | "histogram"> {
  const h = newHistogram();
  for (const v of ms) record(h, v * 1e6);
  return { latency: summarize(h), histogram: encodeHistogram(h) };
}

export async function runBrowser(spec: BrowserRunSpec): Promise<BrowserSection> {
  const executablePath = browserChromium();
  const servers: ServerProcess[] = [];
  let pageServer: ReturnType<typeof Bun.serve> | undefined;
  let browser: Browser | undefined;
  try {
    const rate = ["--rate", String(spec.eventsPerSec), "--event-size", String(spec.eventSize), "--quiet"];
    const started = await Promise.allSettled([
      startServer("http", ["--mode", "push", "--cors", ...rate]),
      startServer("ws", ["--mode", "push", ...rate]),
      startServer("ws", ["--mode", "echo", "--quiet"]),
    ]);
    // Every one that came up is stopped below, even where another did not.
    for (const s of started) if (s.status === "fulfilled") servers.push(s.value);
    const failed = started.find((s) => s.status === "rejected");
    if (failed) throw failed.reason;
    const [http, wsPush, wsEcho] = servers;
    const page = browserBenchPage();
    pageServer = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response(page.html, { headers: page.headers }) });
    browser = await puppeteer.launch({ executablePath, headless: true, args: chromiumArgs() });
    const tab = await browser.newPage();
    await tab.goto(`http://127.0.0.1:${pageServer.port}/`, { waitUntil: "load", timeout: 15_000 });
    const job: BrowserBenchJob = {
      httpOrigin: `http://127.0.0.1:${http!.port}`,
      wsPushUrl: `ws://127.0.0.1:${wsPush!.port}/`,
      wsEchoUrl: `ws://127.0.0.1:${wsEcho!.port}/`,
      patterns: spec.patterns,
      warmupMs: spec.warmupMs,
      durationMs: spec.durationMs,
      graceMs: Math.max(0, ...spec.patterns.map((p) => p.intervalMs)) + 500,
      maxRequests: 100_000,
      size: spec.size,
    };
    // Each row: warm-up, window, grace, and set-up; a page that stops answering ends the run.
    const boundMs = 20_000 + (spec.patterns.length + 3) * (spec.warmupMs + spec.durationMs + job.graceMs + 2000);
    const outcome = await withTimeout(
      // Runs in the page, where the page's script put `socketlab` on the global object.
      tab.evaluate((j) => (globalThis as unknown as { socketlab: { run(job: BrowserBenchJob): Promise<BrowserBenchOutcome> } }).socketlab.run(j), job),
      boundMs,
      `the browser page did not finish within ${Math.round(boundMs / 1000)} s`,
    );
    return sectionOf(outcome, spec);
  } catch (err) {
    if (err instanceof RunError) throw err;
    throw new RunError(`the browser run failed: ${(err as Error).message.split("\n")[0]}`);
  } finally {
    await browser?.close().catch(() => {});
    pageServer?.stop(true);
    await Promise.all(servers.map((s) => s.stop().catch(() => {})));
  }
}

function sectionOf(outcome: BrowserBenchOutcome, spec: BrowserRunSpec): BrowserSection {
  const push: BrowserRow[] = outcome.push.map((p) => ({
    subject: p.kind,
    kind: "push",
    intervalMs: p.intervalMs,
    label: patternLabel(p.kind as keyof typeof PATTERNS, p.intervalMs),
    ...latencies(p.latenciesMs),
    expected: p.expected,
    delivered: p.delivered,
    duplicates: p.duplicates,
    requests: p.requests,
    failures: p.failures,
  }));
  const requests: BrowserRow[] = outcome.requests.map((r) => ({
    subject: r.kind,
    kind: "request",
    intervalMs: 0,
    label: REQUEST_LABELS[r.kind],
    ...latencies(r.latenciesMs),
    newConnections: r.newConnections,
    failures: r.failures,
  }));
  return {
    kind: "browser",
    rows: [...push, ...requests],
    skipped: [],
    userAgent: outcome.userAgent,
    isolated: outcome.isolated,
    timerResolutionUs: outcome.timerResolutionUs,
    clockOffsetUs: outcome.clockOffsetUs,
    clockRttUs: outcome.clockRttUs,
    eventsPerSec: spec.eventsPerSec,
  };
}
