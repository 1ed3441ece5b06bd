import type { Profile } from "../../netem/profile.ts";
import { DRIVERS, PATTERNS } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import { distanceDrivers } from "../model/distance-rows.ts";
import { latency } from "../model/format.ts";
import { labelOf } from "../model/names.ts";
import type { LoadResult, Progress, PushRunResult, SectionOf } from "../model/results.ts";
import { isLoadSpec, rttMsOf, type RunSpec } from "../model/spec.ts";
import { pushPatterns } from "./patterns.ts";
import type { SectionPlan } from "./plan.ts";
import { loadSpec, measure, measurePush, pushSpec } from "./run-spec.ts";

// How the lab's comparison changes with distance: the same requests and pushes through the
// network relay at growing round-trip times. What a handshake or a request round trip costs
// then shows as a slope: latency gained per millisecond of round trip, in round trips.

/** Round-trip times emulated by default (ms): this host, a nearby server, another continent. */
export const DISTANCE_RTTS_MS = [0, 20, 100];
/**
 * In the suite: this host and a distant server only. Two points give the slope, and the suite
 * stays within its time with the TLS rows in it.
 */
const SUITE_RTTS_MS = [0, 50];
const QUICK_RTTS_MS = [0, 40];

/** The relay's conditions for a round-trip time: half of it each way (on the relay's 1 µs grid). */
function profileFor(rttMs: number): Profile {
  return { delayMs: Math.round(rttMs * 500) / 1000, jitterMs: 0, loss: 0 };
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

/** Each request row makes at least this many operations at every distance, one at a time. */
const OPERATIONS_PER_ROW = 16;

/**
 * Long enough for a median at every distance: about twelve round trips, at least 0.5 s (0.3 s
 * with --quick), time for OPERATIONS_PER_ROW operations of the row's cost one after another (a
 * WSS message on a new connection takes four round trips), and for push rows at least two
 * polling cycles (interval + round trip). Warm-up only needs to swallow the connection's first,
 * handshake-delayed operation, which is issued during it and so never counted. The timeout
 * stretches to at least four round trips and a second, as a new WebSocket connection's first
 * reply takes three.
 */
function pointConfig(config: BenchConfig, rttMs: number, pollIntervalMs: number, operationRoundTrips = 1): BenchConfig {
  const floor = config.quick ? 300 : 500;
  return {
    ...config,
    net: profileFor(rttMs),
    durationMs:
      config.durationMs ?? Math.max(floor, 12 * rttMs, OPERATIONS_PER_ROW * operationRoundTrips * rttMs, pollIntervalMs > 0 ? 2 * (pollIntervalMs + rttMs) : 0),
    warmupMs: config.warmupMs ?? (config.quick ? 100 : 200),
    timeoutMs: Math.max(config.timeoutMs, 4 * rttMs + 1000),
  };
}

/**
 * Every chosen transport's request rows and push patterns (WebSocket push, long polling, short
 * polling at --intervals or every 250 ms), at each round-trip time in --rtts.
 */
export function plan(config: BenchConfig): SectionPlan<"distance"> & { rttsMs: number[] } {
  const rttsMs = config.rtts ?? (config.quick ? QUICK_RTTS_MS : config.scenario === "suite" ? SUITE_RTTS_MS : DISTANCE_RTTS_MS);
  const patterns = pushPatterns(config, "distance");
  const longestPoll = Math.max(0, ...patterns.map((p) => p.intervalMs));
  const events = config.eventRate ?? DISTANCE_EVENT_RATE;
  const specs: RunSpec[] = [];
  for (const rttMs of rttsMs) {
    for (const driver of distanceDrivers(config)) {
      const at = pointConfig(config, rttMs, 0, (DRIVERS[driver] as { distance?: { roundTrips: number } }).distance?.roundTrips ?? 1);
      specs.push(
        loadSpec(at, {
          driver,
          size: config.sizes?.[0] ?? 64,
          model: "closed",
          // One operation at a time: four at once queued for the two CPUs at the near point,
          // which tripled its p50 there (not at 40 ms, where they wait on the relay) and pulled
          // every slope down by up to a tenth of a round trip.
          clients: 1,
          window: 1,
          full: { durationMs: at.durationMs!, warmupMs: at.warmupMs! },
        }),
      );
    }
    const pushAt = pointConfig(config, rttMs, longestPoll);
    for (const p of patterns) {
      const subscribers = config.subscribers?.[0] ?? (PATTERNS[p.kind].polls ? DISTANCE_SHORT_POLLERS : DISTANCE_SUBSCRIBERS);
      specs.push(pushSpec(pushAt, p, subscribers, events, { full: pushAt.durationMs!, quick: pushAt.durationMs! }));
    }
  }
  return { kind: "distance", specs, skipped: [], rttsMs };
}

export async function run(p: ReturnType<typeof plan>, progress: Progress): Promise<SectionOf<"distance">> {
  const runs: LoadResult[] = [];
  const push: PushRunResult[] = [];
  for (const spec of p.specs) {
    const tag = `distance  ${`${rttMsOf(spec)} ms`.padStart(7)} `;
    if (!isLoadSpec(spec)) {
      push.push(await measurePush(spec, progress, tag));
      continue;
    }
    const r = await measure(spec);
    progress(`${tag} ${labelOf(spec).padEnd(40)} p50 ${latency(r.latency.p50)}`);
    runs.push(r);
  }
  return { kind: "distance", rttsMs: p.rttsMs, runs, push };
}
