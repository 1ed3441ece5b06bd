import type { BenchConfig } from "../cli/options.ts";
import { DRIVERS } from "../run/bind.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { PushRunResult } from "../run/push-run.ts";
import type { Progress, Section } from "../model/results.ts";
import { latency } from "../model/format.ts";
import { distanceDrivers } from "../model/distance-rows.ts";
import { pushPatterns } from "./patterns.ts";
import { loadSpec, measure } from "./profile.ts";
import { runPatterns } from "./push.ts";

/**
 * How the lab's comparison changes with distance: the same requests and pushes through the
 * network relay at growing round-trip times. What a handshake or a request round trip costs
 * then shows as a slope: latency gained per millisecond of round trip, in round trips.
 */

/** Round-trip times emulated by default (ms): this host, a nearby server, another continent. */
export const DISTANCE_RTTS_MS = [0, 20, 100];
const QUICK_RTTS_MS = [0, 40];

/** The relay profile for a round-trip time: half of it each way (in µs, so odd values stay exact). */
function profileFor(rttMs: number): string {
  return `delay=${Math.round(rttMs * 500)}us`;
}

/**
 * Events per second for the push rows unless --event-rate says otherwise: a short poll then
 * brings back a whole polling cycle's worth of events at once, so a few polls already show the
 * latency spread over the cycle, and the median settles in a short run.
 */
const DISTANCE_EVENT_RATE = 100;

/**
 * Subscribers per push row unless --subscribers says otherwise. A short poller's latencies are
 * set by where its polls happen to fall, one random phase per subscriber: with 10 of them the
 * measured cost strays by about 0.09 round trips (one standard deviation, simulated), with 100
 * by 0.03. The other rows deliver each event as it comes, and 10 subscribers pin them down.
 */
const DISTANCE_SUBSCRIBERS = 10;
const DISTANCE_SHORT_POLLERS = 100;

/**
 * Long enough for a median at every distance: about twelve round trips, at least 0.5 s (0.3 s
 * with --quick), and for push rows at least two polling cycles (interval + round trip). Warm-up
 * only needs to swallow each connection's first, handshake-delayed operation, which is issued
 * during it and so never counted. The timeout stretches to at least four round trips and a
 * second, as a new WebSocket connection's first reply takes three.
 */
function pointConfig(config: BenchConfig, rttMs: number, pollIntervalMs: number): BenchConfig {
  const floor = config.quick ? 300 : 500;
  return {
    ...config,
    net: profileFor(rttMs),
    durationMs: config.durationMs ?? Math.max(floor, 12 * rttMs, pollIntervalMs > 0 ? 2 * (pollIntervalMs + rttMs) : 0),
    warmupMs: config.warmupMs ?? (config.quick ? 100 : 200),
    timeoutMs: Math.max(config.timeoutMs, 4 * rttMs + 1000),
  };
}

/**
 * Every chosen transport's request rows and push patterns (WebSocket push, long polling, short
 * polling at --intervals or every 250 ms), at each round-trip time in --rtts.
 */
export async function distance(config: BenchConfig, progress: Progress): Promise<Section> {
  const rttsMs = config.rtts ?? (config.quick ? QUICK_RTTS_MS : DISTANCE_RTTS_MS);
  const drivers = distanceDrivers(config);
  const patterns = pushPatterns(config, "distance");
  const runs: LoadResult[] = [];
  const push: PushRunResult[] = [];
  const longestPoll = Math.max(0, ...patterns.map((p) => p.intervalMs));
  for (const rttMs of rttsMs) {
    const at = pointConfig(config, rttMs, 0);
    for (const driver of drivers) {
      const r = await measure(at, loadSpec(at, { driver, size: config.sizes?.[0] ?? 64, model: "closed", clients: 4, window: 1, full: { durationMs: at.durationMs!, warmupMs: at.warmupMs! } }));
      progress(`distance  ${`${rttMs} ms`.padStart(7)}  ${DRIVERS[driver].label.padEnd(40)} p50 ${latency(r.latency.p50)}`);
      runs.push(r);
    }
    const pushAt = pointConfig(config, rttMs, longestPoll);
    const tag = `distance  ${`${rttMs} ms`.padStart(7)} `;
    const events = config.eventRate ?? DISTANCE_EVENT_RATE;
    for (const p of patterns) {
      const subscribers = config.subscribers?.[0] ?? (p.kind === "short" ? DISTANCE_SHORT_POLLERS : DISTANCE_SUBSCRIBERS);
      push.push(...(await runPatterns(pushAt, progress, [p], subscribers, events, pushAt.durationMs!, pushAt.durationMs!, tag)));
    }
  }
  return { kind: "distance", rttsMs, runs, push };
}
