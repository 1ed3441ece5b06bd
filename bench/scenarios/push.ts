import type { BenchConfig } from "../cli/options.ts";
import { pushFigures } from "../model/figures.ts";
import { runPush, type PushRunResult, type PushSpec } from "../run/push-run.ts";
import { repeated } from "../run/repeat.ts";
import type { Progress, Section } from "../model/results.ts";
import { latency } from "../model/format.ts";
import { pushPatterns, type Pattern } from "./patterns.ts";

/** Each pattern run once (or --repeat times) with these subscribers and events, its progress reported. */
export async function runPatterns(config: BenchConfig, progress: Progress, list: Pattern[], subscribers: number, eventsPerSec: number, full: number, quick: number, tag: string): Promise<PushRunResult[]> {
  const runs: PushRunResult[] = [];
  for (const p of list) {
    const spec: PushSpec = {
      pattern: p.kind,
      intervalMs: p.intervalMs,
      subscribers,
      procs: Math.min(config.procs, subscribers),
      eventsPerSec,
      eventSize: config.eventSize,
      warmupMs: config.warmupMs ?? (config.quick ? 200 : 500),
      durationMs: config.durationMs ?? (config.quick ? quick : full),
      timeoutMs: config.timeoutMs,
      rampMs: config.rampMs,
      pin: config.pin,
      target: config.target,
      net: config.net,
    };
    const r = await repeated(config.repeat, () => runPush(spec), pushFigures, "p50");
    progress(`${tag}  ${r.label.padEnd(34)} ${String(subscribers).padStart(5)} subscribers   p50 ${latency(r.latency.p50)}   p99 ${latency(r.latency.p99)}`);
    runs.push(r);
  }
  return runs;
}

/** Server push: events at a fixed rate to N subscribers, by WebSocket, SSE, long and short polling. */
export async function push(config: BenchConfig, progress: Progress, use: "push" | "suite" = "push"): Promise<Section> {
  const subscribers = config.subscribers?.[0] ?? 10;
  const eventsPerSec = config.eventRate ?? 20;
  const runs = await runPatterns(config, progress, pushPatterns(config, use), subscribers, eventsPerSec, use === "suite" ? 2500 : 4000, 800, "push");
  return { kind: "push", runs, eventsPerSec, subscribers };
}

/** One event to many subscribers: WebSocket publish against N SSE streams and N long pollers. */
export async function fanout(config: BenchConfig, progress: Progress): Promise<Section> {
  const counts = config.subscribers ?? (config.quick ? [10, 50] : [10, 100, 1000]);
  const eventsPerSec = config.eventRate ?? 5;
  const runs: PushRunResult[] = [];
  for (const n of counts) runs.push(...(await runPatterns(config, progress, pushPatterns(config, "fanout"), n, eventsPerSec, 3000, 800, "fanout")));
  return { kind: "fanout", runs, eventsPerSec };
}
