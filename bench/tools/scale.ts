#!/usr/bin/env bun
// `bun run bench:scale`: the scale targets, as figures. 10,000 concurrent WebSocket clients and
// 1,000 concurrent long-polling clients, each held by ONE swarm process against one server,
// receiving pushed events; the swarm's peak memory is the figure to watch (goal: 10,000
// WebSocket clients in at most 300 MB) and every delivery must arrive.
import { killAllChildren } from "../../lib/children.ts";
import { helpOnly } from "../../lib/args.ts";
import { onShutdown, runMain } from "../../lib/main.ts";
import { runPush } from "../run/push-run.ts";
import { bytes, count, latency, table } from "../model/format.ts";
import type { PushRunResult } from "../model/results.ts";

const RSS_GOAL = 300 * 2 ** 20;

async function hold(pattern: "ws" | "long", subscribers: number): Promise<PushRunResult> {
  return runPush({
    pattern,
    intervalMs: 0,
    subscribers,
    procs: 1,
    eventsPerSec: 2,
    eventSize: 64,
    warmupMs: 500,
    durationMs: 3000,
    timeoutMs: 15_000,
    rampMs: 0,
    pin: "none",
  });
}

const USAGE = "usage: bun run bench:scale (no options: 10,000 WebSocket subscribers, then 1,000 long pollers)";

await runMain("bench:scale", USAGE, async () => {
  if (helpOnly(process.argv.slice(2), USAGE)) return 0;
  onShutdown(() => {
    killAllChildren();
    process.exit(130);
  });
  const runs = [await hold("ws", 10_000), await hold("long", 1_000)];
  const rows = runs.map((r) => [
    `${r.label}`,
    count(r.spec.subscribers),
    `${count(r.delivered)} of ${count(r.expected)}`,
    latency(r.latency.p50),
    latency(r.latency.p99),
    bytes(r.cost.client.peakRssBytes),
    bytes(r.cost.server.peakRssBytes),
  ]);
  console.log(table(["clients", "how many (one swarm process)", "deliveries", "p50", "p99", "swarm peak RSS", "server peak RSS"], rows));
  const ws = runs[0]!;
  const ok = ws.cost.client.peakRssBytes <= RSS_GOAL && runs.every((r) => r.delivered === r.expected);
  console.log(
    `\n10,000 WebSocket clients in ${bytes(ws.cost.client.peakRssBytes)} (goal: at most ${bytes(RSS_GOAL)}); ${runs.every((r) => r.delivered === r.expected) ? "every delivery arrived" : "deliveries were missing"}: ${ok ? "met" : "NOT met"}.`,
  );
  return 0;
});
