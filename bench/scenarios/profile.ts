import type { BenchConfig } from "../config.ts";
import type { LoadSpec } from "../load-run.ts";
import type { DriverName } from "../drivers.ts";

/** How long each kind of run lasts: the scenario's default, shortened by --quick, overridden by the user. */
export interface Timing {
  durationMs: number;
  warmupMs: number;
}

export function timing(config: BenchConfig, full: Timing, quick: Timing): Pick<LoadSpec, "durationMs" | "warmupMs" | "count"> {
  const base = config.quick ? quick : full;
  return {
    durationMs: config.count !== undefined ? undefined : (config.durationMs ?? base.durationMs),
    warmupMs: config.warmupMs ?? base.warmupMs,
    count: config.count,
  };
}

/** The fields every echo run shares, from the config. */
export function commonSpec(config: BenchConfig): Pick<LoadSpec, "procs" | "timeoutMs" | "rampMs" | "pin"> {
  return { procs: config.procs, timeoutMs: config.timeoutMs, rampMs: config.rampMs, pin: config.pin };
}

/** Echo drivers for the chosen transports (HTTP as keep-alive). */
export function echoDrivers(config: BenchConfig): DriverName[] {
  return config.transports;
}
