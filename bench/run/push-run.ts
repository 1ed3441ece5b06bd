// One push run: a push-mode server, the subscriber processes, and their shares combined into
// one result (bench/model/combine.ts), with each event's slowest delivery over every process.
import { mergeIntervals } from "../stats/timeline.ts";
import { pausesOf } from "../model/pauses.ts";
import { PATTERNS } from "../catalog.ts";
import { combinePush, pushResult } from "../model/combine.ts";
import { patternLabel } from "../model/names.ts";
import type { PushRunResult } from "../model/results.ts";
import type { PushSpec } from "../model/spec.ts";
import { newHistogram, record, summarize } from "../stats/histogram.ts";
import { perOperation } from "../stats/wire.ts";
import { runSwarm, split } from "./orchestrate.ts";
import type { PushJob, PushResult } from "./worker-protocol.ts";

export async function runPush(spec: PushSpec): Promise<PushRunResult> {
  const pattern = PATTERNS[spec.pattern];
  const label = patternLabel(spec.pattern, spec.intervalMs);
  // A poller can be one whole interval late by design, and through a relay a poll can take up to
  // a round trip and a half more: wait that long, with two round trips (delay and jitter each
  // way) as the margin, for the window's last events (the wait ends once every subscriber has
  // one from after it).
  const relayRoundTripMs = spec.net ? 2 * (spec.net.delayMs + spec.net.jitterMs) : 0;
  const graceMs = (pattern.polls ? spec.intervalMs : 0) + 500 + 2 * relayRoundTripMs;
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
    ...(spec.timelineMs !== undefined ? { timelineMs: spec.timelineMs } : {}),
  }));
  const outcome = await runSwarm<PushJob, PushResult>({
    server: { transport: pattern.transport, args: ["--mode", "push", "--rate", String(spec.eventsPerSec), "--event-size", String(spec.eventSize)] },
    remote: spec.target,
    net: spec.net,
    jobs,
    pin: spec.pin,
    readyTimeoutMs: spec.rampMs + spec.timeoutMs + 15_000,
    runTimeoutMs: spec.warmupMs + spec.durationMs + graceMs + spec.timeoutMs + 20_000,
    label: `${label}, ${spec.subscribers} subscribers`,
    metrics: { transport: spec.pattern },
    plannedMs: spec.warmupMs + spec.durationMs + graceMs,
  });
  const parts = outcome.results;
  // Per event, its slowest delivery over every subscriber of every process.
  const slowest = new Map<number, number>();
  for (const p of parts) for (const [id, ns] of p.slowestDelivery) slowest.set(id, Math.max(slowest.get(id) ?? 0, ns));
  const slowestHist = newHistogram();
  for (const ns of slowest.values()) record(slowestHist, ns);
  const ids = [...slowest.keys()];
  const events = ids.length ? Math.max(...ids) - Math.min(...ids) + 1 : 0;
  const push = combinePush(parts.map((p) => ({ ...p, histogram: p.latency, client: { ...p.cost, processes: 1 } })));
  const perEvent = perOperation(outcome.wire, push.delivered / (spec.durationMs / 1000));
  return pushResult(spec, label, push, {
    slowestDelivery: summarize(slowestHist),
    events,
    expected: events * spec.subscribers,
    bytesPerEvent: perEvent ? { up: perEvent.in, down: perEvent.out } : undefined,
    serverCost: outcome.serverCost,
    remote: outcome.remote,
    relay: outcome.relay,
    placement: outcome.placement,
    window: outcome.window,
    timeline: mergeIntervals(parts.map((p) => p.intervals)),
    pauses: pausesOf(
      parts.map((p) => p.pauses),
      outcome.serverPauses,
    ),
  });
}
