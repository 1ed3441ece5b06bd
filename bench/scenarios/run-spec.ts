// The specs of a scenario's runs: its defaults, with what the user set on the command line
// winning; and the one way a planned run is measured (--repeat times when asked).
import type { DriverName } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import { loadFigures, pushFigures, type FigureName } from "../model/figures.ts";
import { latency } from "../model/format.ts";
import { labelOf } from "../model/names.ts";
import type { LoadResult, Progress, PushRunResult } from "../model/results.ts";
import type { LoadSpec, PushSpec } from "../model/spec.ts";
import { runLoad } from "../run/load-run.ts";
import { runPush } from "../run/push-run.ts";
import { repeated } from "../run/repeat.ts";

/** How long a run lasts: measured time and warm-up before it. */
export interface Timing {
  durationMs: number;
  warmupMs: number;
}

const QUICK: Timing = { durationMs: 400, warmupMs: 100 };

/** What a scenario would choose for a run; the command line overrides any of it. */
export interface RunDefaults {
  driver: DriverName;
  size: number;
  model: LoadSpec["model"];
  clients: number;
  window: number;
  ratePerSec?: number;
  full: Timing;
  quick?: Timing;
}

/**
 * The spec of one run: the scenario's defaults, with what the user set on the command line
 * winning (clients, window, duration or count, warm-up, timeout, ramp, processes, pinning);
 * --quick swaps in short timings.
 */
export function loadSpec(config: BenchConfig, d: RunDefaults): LoadSpec {
  const base = config.quick ? (d.quick ?? QUICK) : d.full;
  return {
    driver: d.driver,
    clients: config.clients ?? d.clients,
    procs: config.procs,
    size: d.size,
    model: d.model,
    window: config.window ?? d.window,
    ratePerSec: d.ratePerSec ?? 0,
    durationMs: config.count !== undefined ? undefined : (config.durationMs ?? base.durationMs),
    warmupMs: config.warmupMs ?? base.warmupMs,
    count: config.count,
    timeoutMs: config.timeoutMs,
    rampMs: config.rampMs,
    pin: config.pin,
    target: config.target,
    net: config.net,
  };
}

/** A push run's spec: one pattern with these subscribers and events, timed by the command line or the scenario. */
export function pushSpec(
  config: BenchConfig,
  p: { kind: PushSpec["pattern"]; intervalMs: number },
  subscribers: number,
  eventsPerSec: number,
  timing: { full: number; quick: number },
): PushSpec {
  return {
    pattern: p.kind,
    intervalMs: p.intervalMs,
    subscribers,
    procs: Math.min(config.procs, subscribers),
    eventsPerSec,
    eventSize: config.eventSize,
    warmupMs: config.warmupMs ?? (config.quick ? 200 : 500),
    durationMs: config.durationMs ?? (config.quick ? timing.quick : timing.full),
    timeoutMs: config.timeoutMs,
    rampMs: config.rampMs,
    pin: config.pin,
    target: config.target,
    net: config.net,
  };
}

/** One echo run of the plan, made --repeat times when asked (the median run is kept, with every figure's range). */
export function measure(config: BenchConfig, spec: LoadSpec, primary: FigureName = "p50"): Promise<LoadResult> {
  return repeated(config.repeat, () => runLoad(spec), loadFigures, primary);
}

/** One push run of the plan, likewise, its progress reported. */
export async function measurePush(config: BenchConfig, spec: PushSpec, progress: Progress, tag: string): Promise<PushRunResult> {
  const r = await repeated(config.repeat, () => runPush(spec), pushFigures, "p50");
  progress(
    `${tag}  ${labelOf(spec).padEnd(34)} ${String(spec.subscribers).padStart(5)} subscribers   p50 ${latency(r.latency.p50)}   p99 ${latency(r.latency.p99)}`,
  );
  return r;
}
