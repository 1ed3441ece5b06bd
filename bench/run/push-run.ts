import type { Target } from "../../clients/types.ts";
import { parseProfile } from "../../netem/profile.ts";
import type { ClockOffset } from "./clock-offset.ts";
import { PUSH_PATTERNS } from "./bind.ts";
import { runSwarm, split, swarmCost, type PinMode, type RelayOutcome, type SwarmOutcome } from "./orchestrate.ts";
import type { Repetitions } from "./repeat.ts";
import type { ProcessCost } from "../stats/cost.ts";
import { decodeHistogram, encodeHistogram, mergeHistograms, newHistogram, record, summarize, type LatencySummary } from "../stats/histogram.ts";
import { perOperation } from "../stats/wire.ts";
import type { PushJob, PushKind, PushResult } from "./worker-protocol.ts";

export interface PushSpec {
  pattern: PushKind;
  /** Short polling interval, ms. */
  intervalMs: number;
  subscribers: number;
  procs: number;
  eventsPerSec: number;
  eventSize: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  rampMs: number;
  pin: PinMode;
  /** A push-mode server started elsewhere: nothing is started locally, and clocks are reconciled. */
  target?: Target;
  /** Network conditions (a netem profile) applied between the subscribers and the server. */
  net?: string;
}

export interface PushRunResult {
  spec: PushSpec;
  label: string;
  /** Publish-to-receipt latency of every delivery. */
  latency: LatencySummary;
  /** Per event, the time until its last subscriber had it. */
  slowestDelivery: LatencySummary;
  histogram: string;
  /** Events published in the window (by id range) and deliveries expected / made. */
  events: number;
  expected: number;
  delivered: number;
  requests: number;
  emptyPolls: number;
  missed: number;
  clockAnomalies: number;
  requestsPerEvent: number;
  /** Kernel-counted TCP payload bytes per delivered event, each direction; undefined if not measured. */
  bytesPerEvent?: { up: number; down: number };
  cost: { client: ProcessCost & { processes: number }; server: ProcessCost };
  /** "host:port" of a remote server, and the clock offset estimated to it (the widest uncertainty of the swarm's). */
  remote?: string;
  clock?: ClockOffset;
  relay?: RelayOutcome;
  placement: SwarmOutcome<PushResult>["placement"];
  /** With --repeat: how many times the run was made, and each figure's range (the run shown is the median one). */
  repeat?: Repetitions;
}

/** The longest round trip a relay profile adds: twice its delay plus jitter (0 without a relay). */
function relayRoundTripMs(net: string | undefined): number {
  if (net === undefined) return 0;
  const p = parseProfile(net);
  return 2 * (p.delayMs + p.jitterMs);
}

export async function runPush(spec: PushSpec): Promise<PushRunResult> {
  const pattern = PUSH_PATTERNS[spec.pattern];
  // A short poller can be one whole interval late by design, and through a relay a poll can take
  // up to a round trip and a half more: wait that long, with two round trips as the margin, for
  // the window's last events (the wait ends once every subscriber has one from after it).
  const graceMs = (spec.pattern === "short" ? spec.intervalMs : 0) + 500 + 2 * relayRoundTripMs(spec.net);
  const jobs: Omit<PushJob, "target">[] = split(spec.subscribers, spec.procs).map((n) => ({
    kind: "push",
    pattern: spec.pattern,
    intervalMs: spec.intervalMs,
    subscribers: n,
    warmupMs: spec.warmupMs,
    durationMs: spec.durationMs,
    graceMs,
    timeoutMs: spec.timeoutMs,
    rampMs: spec.rampMs,
    remoteClock: spec.target !== undefined,
  }));
  const outcome = await runSwarm<PushJob, PushResult>({
    server: { transport: pattern.server, args: ["--mode", "push", "--rate", String(spec.eventsPerSec), "--event-size", String(spec.eventSize)] },
    remote: spec.target,
    net: spec.net,
    jobs,
    pin: spec.pin,
    readyTimeoutMs: spec.rampMs + spec.timeoutMs + 15_000,
    runTimeoutMs: spec.warmupMs + spec.durationMs + graceMs + spec.timeoutMs + 20_000,
    label: `${pattern.label(spec.intervalMs)}, ${spec.subscribers} subscribers`,
    plannedMs: spec.warmupMs + spec.durationMs + graceMs,
  });
  return mergePush(spec, pattern.label(spec.intervalMs), outcome);
}

function mergePush(spec: PushSpec, label: string, outcome: SwarmOutcome<PushResult>): PushRunResult {
  const parts = outcome.results;
  const sum = (f: (p: PushResult) => number) => parts.reduce((a, p) => a + f(p), 0);
  const slowest = new Map<number, number>();
  for (const p of parts) for (const [id, ns] of p.slowestDelivery) slowest.set(id, Math.max(slowest.get(id) ?? 0, ns));
  const slowestHist = newHistogram();
  for (const ns of slowest.values()) record(slowestHist, ns);
  const ids = [...slowest.keys()];
  const events = ids.length ? Math.max(...ids) - Math.min(...ids) + 1 : 0;
  const delivered = sum((p) => p.delivered);
  const requests = sum((p) => p.requests);
  const latency = mergeHistograms(parts.map((p) => decodeHistogram(p.latency)));
  const perEvent = perOperation(outcome.wire, delivered / (spec.durationMs / 1000));
  return {
    spec,
    label,
    latency: summarize(latency),
    slowestDelivery: summarize(slowestHist),
    histogram: encodeHistogram(latency),
    events,
    expected: events * spec.subscribers,
    delivered,
    requests,
    emptyPolls: sum((p) => p.emptyPolls),
    missed: sum((p) => p.missed),
    clockAnomalies: sum((p) => p.clockAnomalies),
    requestsPerEvent: delivered > 0 ? requests / delivered : 0,
    bytesPerEvent: perEvent ? { up: perEvent.in, down: perEvent.out } : undefined,
    cost: { client: swarmCost(parts.map((p) => p.cost)), server: outcome.serverCost },
    remote: outcome.remote,
    relay: outcome.relay,
    clock: parts.map((p) => p.clock).reduce<ClockOffset | undefined>((a, c) => (c && (!a || c.uncertaintyMs > a.uncertaintyMs) ? c : a), undefined),
    placement: outcome.placement,
  };
}
