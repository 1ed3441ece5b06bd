// Server push: events at a fixed rate to N subscribers, by WebSocket, SSE, long and short
// polling; and fan-out: one event to many subscribers.
import type { BenchConfig } from "../model/config.ts";
import type { Progress, PushRunResult, SectionOf } from "../model/results.ts";
import { pushPatterns } from "./patterns.ts";
import type { PushPlan } from "./plan.ts";
import { measurePush, pushSpec } from "./run-spec.ts";

export function plan(config: BenchConfig, use: "push" | "suite" | "browser" = "push"): PushPlan<"push"> {
  const subscribers = config.subscribers?.[0] ?? 10;
  const eventsPerSec = config.eventRate ?? 20;
  const timing = { full: use === "push" ? 4000 : 2000, quick: 800 };
  return { kind: "push", specs: pushPatterns(config, use).map((p) => pushSpec(config, p, subscribers, eventsPerSec, timing)), skipped: [] };
}

export async function run(p: PushPlan<"push">, progress: Progress): Promise<SectionOf<"push">> {
  const runs: PushRunResult[] = [];
  for (const spec of p.specs) runs.push(await measurePush(spec, progress, "push"));
  const first = p.specs[0];
  return { kind: "push", runs, eventsPerSec: first?.eventsPerSec ?? 0, subscribers: first?.subscribers ?? 0 };
}

export function planFanout(config: BenchConfig): PushPlan<"fanout"> {
  const counts = config.subscribers ?? (config.quick ? [10, 50] : [10, 100, 1000]);
  const eventsPerSec = config.eventRate ?? 5;
  const specs = counts.flatMap((n) => pushPatterns(config, "fanout").map((p) => pushSpec(config, p, n, eventsPerSec, { full: 3000, quick: 800 })));
  return { kind: "fanout", specs, skipped: [] };
}

export async function runFanout(p: PushPlan<"fanout">, progress: Progress): Promise<SectionOf<"fanout">> {
  const runs: PushRunResult[] = [];
  for (const spec of p.specs) runs.push(await measurePush(spec, progress, "fanout"));
  return { kind: "fanout", runs, eventsPerSec: p.specs[0]?.eventsPerSec ?? 0 };
}
