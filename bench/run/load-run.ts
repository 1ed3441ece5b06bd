// One echo run: the server, the swarm processes sharing its load, and their shares combined
// into one result (bench/model/combine.ts: the same additions bench merge makes).
import { DRIVERS } from "../catalog.ts";
import { combineEcho, loadResult } from "../model/combine.ts";
import { labelOf } from "../model/names.ts";
import type { LoadResult } from "../model/results.ts";
import type { LoadSpec } from "../model/spec.ts";
import { perOperation } from "../stats/wire.ts";
import { mergeIntervals } from "../stats/timeline.ts";
import { mergeSegments } from "../stats/segments.ts";
import { capacityResult, stageResults } from "../model/ramp.ts";
import { pausesOf } from "../model/pauses.ts";
import { runSwarm, split } from "./orchestrate.ts";
import { MAX_CAPACITY_STEPS } from "../load/capacity.ts";
import type { EchoJob, EchoResult } from "./worker-protocol.ts";

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const driver = DRIVERS[spec.driver];
  const pipes = split(spec.clients, spec.procs);
  const counts = spec.count === undefined ? undefined : split(spec.count, spec.procs);
  const jobs: Omit<EchoJob, "target">[] = pipes.map((n, i) => ({
    kind: "echo",
    driver: spec.driver,
    pipes: n,
    size: spec.size,
    model: spec.model,
    window: spec.window,
    ratePerSec: (spec.ratePerSec * n) / spec.clients,
    warmupMs: spec.warmupMs,
    durationMs: spec.durationMs,
    count: counts?.[i],
    timeoutMs: spec.timeoutMs,
    rampMs: spec.rampMs,
    ...(spec.timelineMs !== undefined ? { timelineMs: spec.timelineMs } : {}),
    ...(spec.exchange ? { exchange: spec.exchange } : {}),
    // Each process offers its connections' share of every rate.
    ...(spec.stages
      ? { stages: spec.stages.map((st) => ({ ...st, fromPerSec: (st.fromPerSec * n) / spec.clients, toPerSec: (st.toPerSec * n) / spec.clients })) }
      : {}),
    ...(spec.capacity ? { capacity: spec.capacity } : {}),
  }));
  if (spec.capacity && spec.procs > 1) throw new Error("a capacity search runs in one swarm process: its steps are judged on the whole load");
  const outcome = await runSwarm<EchoJob, EchoResult>({
    server: { transport: driver.transport, args: ["--mode", driver.serverMode, ...(spec.serverArgs ?? [])] },
    remote: spec.target,
    probe: { driver: spec.driver, size: spec.size, exchange: spec.exchange },
    net: spec.net,
    jobs,
    pin: spec.pin,
    readyTimeoutMs: spec.rampMs + spec.timeoutMs + 15_000,
    runTimeoutMs: spec.warmupMs + (spec.capacity ? capacityBoundMs(spec) : (spec.durationMs ?? 300_000)) + spec.timeoutMs + 20_000,
    label: `${labelOf(spec)}, ${spec.size} B${spec.model === "open" ? `, ${spec.ratePerSec}/s` : ""}`,
    metrics: { transport: spec.driver, ...(spec.model === "open" && !spec.capacity ? { offeredPerSec: spec.ratePerSec } : {}) },
    plannedMs: spec.durationMs === undefined ? undefined : spec.warmupMs + spec.durationMs,
  });
  const echo = combineEcho(
    outcome.results.map((p) => {
      const measuredSec = p.measuredNs / 1e9;
      return {
        histograms: p.histograms,
        counts: p.counts,
        sequence: p.sequence,
        measuredSec,
        opsPerSec: measuredSec > 0 ? p.counts.completed / measuredSec : 0,
        client: { ...p.cost, processes: 1 },
      };
    }),
    "shared",
  );
  const sent = echo.sequence.sent;
  const segments = mergeSegments(outcome.results.map((p) => p.segments ?? []));
  const found = outcome.results[0]?.capacity;
  return loadResult(spec, echo, {
    timeline: mergeIntervals(outcome.results.map((p) => p.intervals)),
    pauses: pausesOf(
      outcome.results.map((p) => p.pauses),
      outcome.serverPauses,
    ),
    cost: outcome.serverCost,
    wirePerOp: driver.wireMeasurable ? perOperation(outcome.wire, echo.opsPerSec) : undefined,
    placement: outcome.placement,
    remote: outcome.remote,
    relay: outcome.relay,
    tls: outcome.tls,
    // Nothing comes back in a one-way run: what arrived is what the server counted.
    oneWay:
      driver.operation === "one-way" && !outcome.remote
        ? { sent, received: outcome.serverReceived, lost: Math.max(0, sent - outcome.serverReceived) }
        : undefined,
    serverRejected: outcome.serverRejected,
    serverErrors: outcome.serverErrors,
    window: outcome.window,
    ...(spec.stages ? { stages: stageResults(spec.stages, segments) } : {}),
    ...(spec.capacity && found
      ? {
          capacity: capacityResult(
            spec.capacity.objectives.map((o) => o.text),
            spec.capacity.maxPerSec,
            spec.capacity.stepMs,
            found,
            segments,
          ),
        }
      : {}),
  });
}

/** The longest a capacity search can take: every step, and after each the quiet its timeouts allow. */
function capacityBoundMs(spec: LoadSpec): number {
  return MAX_CAPACITY_STEPS * (spec.capacity!.stepMs + spec.timeoutMs + 300);
}
