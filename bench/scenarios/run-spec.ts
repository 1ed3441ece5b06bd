// The specs of a scenario's runs: its defaults, with what the user set on the command line
// winning; and the one way a planned run is measured.
import { DEFAULT_INTERVAL_MS } from "../stats/timeline.ts";
import { DRIVERS, TRANSPORT_DRIVERS, type BenchTransport, type DriverName } from "../catalog.ts";
import { roundShare, type BenchConfig } from "../model/config.ts";
import { latency } from "../model/format.ts";
import { labelOf } from "../model/names.ts";
import type { LoadResult, Progress, PushRunResult } from "../model/results.ts";
import type { LoadSpec, PushSpec } from "../model/spec.ts";
import { runLoad } from "../run/load-run.ts";
import { runPush } from "../run/push-run.ts";

/** How long a run lasts: measured time and warm-up before it. */
export interface Timing {
  durationMs: number;
  warmupMs: number;
}

const QUICK: Timing = { durationMs: 400, warmupMs: 100 };

/**
 * The timeline's interval: --interval, else 1 s, or a fifth of a shorter run (at least 100 ms),
 * so that every run has a few intervals to show over time. Absent when it is the 1 s default.
 */
function timelineOf(config: BenchConfig, durationMs: number | undefined): { timelineMs?: number } {
  const ms = config.intervalMs ?? (durationMs === undefined ? DEFAULT_INTERVAL_MS : Math.max(100, Math.min(DEFAULT_INTERVAL_MS, Math.round(durationMs / 5))));
  return ms === DEFAULT_INTERVAL_MS ? {} : { timelineMs: ms };
}

/** A round's run is at least this long: shorter, a run is mostly its own start and end. */
const MIN_ROUND_MS = 300;

/** A run `share` times shorter (the suite's rounds share one round's time), warm-up included. */
function shorter(t: Timing, share: number): Timing {
  if (share <= 1) return t;
  return { durationMs: Math.max(MIN_ROUND_MS, Math.round(t.durationMs / share)), warmupMs: Math.max(100, Math.round(t.warmupMs / share)) };
}

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
  const base = shorter(config.quick ? (d.quick ?? QUICK) : d.full, roundShare(config));
  // A server we did not write may take only so many messages in flight per connection: the
  // scenario's concurrency then comes from more connections instead.
  const perConnection = inFlightPerConnection(config);
  const window = perConnection ?? config.window ?? d.window;
  const clients = config.clients ?? (d.model === "closed" && window < d.window ? Math.ceil((d.clients * d.window) / window) : d.clients);
  const x = config.exchange;
  return {
    driver: d.driver,
    clients,
    procs: config.procs,
    size: x?.payloadBase64 !== undefined ? Buffer.from(x.payloadBase64, "base64").length : x && /^https?$/.test(x.scheme) ? 0 : d.size,
    model: d.model,
    window,
    ratePerSec: d.ratePerSec ?? 0,
    durationMs: config.count !== undefined ? undefined : (config.durationMs ?? base.durationMs),
    warmupMs: config.warmupMs ?? base.warmupMs,
    count: config.count,
    timeoutMs: config.timeoutMs,
    rampMs: config.rampMs,
    pin: config.pin,
    target: config.target,
    ...(x ? { exchange: x } : {}),
    ...timelineOf(config, config.count !== undefined ? undefined : (config.durationMs ?? base.durationMs)),
    net: config.net,
  };
}

/**
 * Messages in flight per connection a URL target takes: HTTP, its --pipeline (1 unless asked);
 * answers matched in order (--match any), --window or 1. Undefined: the scenario's own.
 */
function inFlightPerConnection(config: BenchConfig): number | undefined {
  const x = config.exchange;
  if (x === undefined) return undefined;
  if (x.scheme === "http" || x.scheme === "https") return x.newConnection ? 1 : x.pipeline;
  if (x.match === "any" || x.payloadBase64 !== undefined) return config.window ?? 1;
  return undefined;
}

/** The drivers that speak to a URL target: HTTP keep-alive, or a new connection per request with --new-connection. */
export function forTarget(config: BenchConfig, drivers: readonly DriverName[]): DriverName[] {
  const x = config.exchange;
  if (x === undefined) return [...drivers];
  return drivers.filter((d) => DRIVERS[d].operation !== "echo" || DRIVERS[d].perOperationConnection === x.newConnection);
}

/** The driver that carries a transport's echo load: against a URL target, the one forTarget keeps. */
export function echoDriver(config: BenchConfig, transport: BenchTransport): DriverName {
  return config.exchange ? forTarget(config, TRANSPORT_DRIVERS[transport].rtt)[0]! : TRANSPORT_DRIVERS[transport].echo;
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
    ...timelineOf(config, config.durationMs ?? (config.quick ? timing.quick : timing.full)),
    target: config.target,
    net: config.net,
  };
}

/** One echo run of the plan (rounds are made a whole section at a time: scenarios/rounds.ts). */
export function measure(spec: LoadSpec): Promise<LoadResult> {
  return runLoad(spec);
}

/** One push run of the plan, its progress reported. */
export async function measurePush(spec: PushSpec, progress: Progress, tag: string): Promise<PushRunResult> {
  const r = await runPush(spec);
  progress(
    `${tag}  ${labelOf(spec).padEnd(34)} ${String(spec.subscribers).padStart(5)} subscribers   p50 ${latency(r.latency.p50)}   p99 ${latency(r.latency.p99)}`,
  );
  return r;
}
