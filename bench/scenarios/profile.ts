import type { BenchConfig } from "../cli/options.ts";
import type { DriverName } from "../run/bind.ts";
import { runLoad, type LoadResult, type LoadSpec } from "../run/load-run.ts";
import { loadFigures } from "../model/figures.ts";
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

/** Echo drivers for the chosen transports (HTTP as keep-alive). */
export function echoDrivers(config: BenchConfig): DriverName[] {
  return config.transports;
}

/** One run of the spec, made --repeat times when asked (the median run is kept, with every figure's range). */
export function measure(config: BenchConfig, spec: LoadSpec, primary = "p50"): Promise<LoadResult> {
  return repeated(config.repeat, () => runLoad(spec), loadFigures, primary);
}
