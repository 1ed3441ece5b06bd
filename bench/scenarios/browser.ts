// The lab's comparison in a real browser: headless Chromium learns of events by WebSocket, SSE,
// long and short polling, and times a WebSocket message against fetch on a kept-alive and on a
// new connection. Where there is no Chromium the section says so (and how to get one).
import { CHROMIUM_HINT, findChromium } from "../../lib/chromium.ts";
import type { BenchConfig } from "../model/config.ts";
import { latency } from "../model/format.ts";
import type { Progress, SectionOf } from "../model/results.ts";
import { type BrowserRunSpec, REQUEST_KINDS, browserChromium, runBrowser } from "../run/browser-run.ts";
import type { SectionPlan } from "./plan.ts";

/** The requests' size, in the browser and in the Bun round trips beside them (--size is refused). */
const BROWSER_MESSAGE_BYTES = 64;

/** The short-polling interval unless --intervals says: the suite's first. */
const BROWSER_POLL_MS = 250;

export type BrowserPlan = SectionPlan<"browser"> & { browser: BrowserRunSpec };

/** The interval the browser's short poller uses, which the Bun rows beside it must use too. */
export function browserIntervalMs(config: BenchConfig): number {
  return config.intervals?.[0] ?? BROWSER_POLL_MS;
}

export function plan(config: BenchConfig): BrowserPlan {
  const patterns: BrowserRunSpec["patterns"] = [
    { kind: "ws", intervalMs: 0 },
    { kind: "sse", intervalMs: 0 },
    { kind: "long", intervalMs: 0 },
    { kind: "short", intervalMs: browserIntervalMs(config) },
  ];
  const requests = REQUEST_KINDS.map((subject) => ({ kind: "request" as const, subject, intervalMs: 0 }));
  const present = findChromium() !== undefined;
  return {
    kind: "browser",
    specs: [],
    skipped: present ? [] : [`no Chromium was found (${CHROMIUM_HINT})`],
    // Its metric names ("fetch.browser.p50"), where it will run.
    rows: present ? [...patterns.map((p) => ({ kind: "push" as const, subject: p.kind, intervalMs: p.intervalMs })), ...requests] : [],
    browser: {
      patterns,
      eventsPerSec: config.eventRate ?? 20,
      eventSize: config.eventSize,
      warmupMs: config.warmupMs ?? 300,
      // Short in the suite, whose other sections hold the Bun clients' figures already.
      durationMs: config.durationMs ?? (config.scenario === "suite" ? (config.quick ? 600 : 1000) : config.quick ? 1000 : 2000),
      size: BROWSER_MESSAGE_BYTES,
    },
  };
}

/** For `bench browser` alone: no Chromium is an error before anything runs (the suite skips instead). */
export function check(): void {
  browserChromium();
}

export async function run(p: BrowserPlan, progress: Progress): Promise<SectionOf<"browser">> {
  if (p.skipped.length) {
    progress(`browser  skipped: ${p.skipped.join("; ")}`);
    return { kind: "browser", rows: [], skipped: p.skipped, eventsPerSec: p.browser.eventsPerSec };
  }
  const section = await runBrowser(p.browser);
  for (const row of section.rows) progress(`browser  ${row.label.padEnd(40)} p50 ${latency(row.latency.p50)}`);
  return section;
}
