import { UsageError } from "../../lib/errors.ts";
import { DRIVERS } from "../catalog.ts";
import { sumCounts, type SessionCounts } from "../stats/counts.ts";
import { cpuPerOpUs, type ProcessCost } from "../stats/cost.ts";
import { encodeHistogram, mergeEncoded, summarize, type LatencySummary } from "../stats/histogram.ts";
import { sumSequences, type SequenceReport } from "../stats/sequence.ts";
import { findKnee } from "./knee.ts";
import { lossShare } from "./figures.ts";
import {
  RESULT_FORMAT,
  isLoadRun,
  pushRuns,
  sectionRuns,
  type BenchResult,
  type ClockOffset,
  type EchoHistograms,
  type LoadResult,
  type MeasuredWindow,
  type PushRunResult,
  type RunResult,
  type Section,
  type SwarmCost,
} from "./results.ts";
import { recordedSpec, type LoadSpec, type PushSpec } from "./spec.ts";
import { mergeIntervals } from "../stats/timeline.ts";
import { mergeStageResults } from "./ramp.ts";

// Merging runs measured at the same time by several swarms against the same server, as if one
// bigger swarm had made them: the shares of one run (its swarm processes, in bench/run/) and the
// parts of a `bench merge` (whole results of several hosts) go through the same additions. Runs of
// parts are matched in order and their specs must agree (each part's share of the load compared
// per part). What adds up is added (counts, histograms, rates of parallel generators, client
// CPU); what every part measured of the one shared server is not (its CPU, memory and counters:
// each part saw the same process, so the largest reading is kept). docs/result-format.md lists
// every rule.

/**
 * Spec fields that describe one part's share of the load: the merged run has their sum, so its
 * spec describes the whole swarm. A part that is itself a merge of N parts is compared per part
 * (its sum / N), so merged results can be merged again.
 */
const ADDITIVE_LOAD = ["clients", "procs", "ratePerSec", "count"] as const;
const ADDITIVE_PUSH = ["subscribers", "procs"] as const;
const ADDITIVE = new Set<string>([...ADDITIVE_LOAD, ...ADDITIVE_PUSH]);

/**
 * One result holding every part. `names` (file names) only make the messages clearer.
 * Throws a UsageError, one line, when the parts are not the same scenario and runs.
 */
export function mergeResults(parts: BenchResult[], names: string[] = parts.map((_, i) => `part ${i + 1}`), opts: { allowApart?: boolean } = {}): BenchResult {
  const first = parts[0];
  if (first === undefined) throw new UsageError("cannot merge: no results given");
  for (const [i, p] of parts.entries()) checkSameShape(first, p, names[0] ?? "part 1", names[i] ?? `part ${i + 1}`, opts.allowApart === true);
  const started = Math.min(...parts.map((p) => Date.parse(p.startedAt)));
  const finished = Math.max(...parts.map((p) => Date.parse(p.finishedAt)));
  return {
    format: { name: RESULT_FORMAT.name, version: RESULT_FORMAT.version },
    tool: first.tool,
    parts: parts.reduce((a, p) => a + (p.parts ?? 1), 0),
    scenario: first.scenario,
    config: first.config,
    // The report shows this under "Reproduce", so it stays a command with the merge as a comment.
    command: `${first.command}  # run as ${parts.length} parts at once; merged from ${names.join(", ")}`,
    environment: first.environment,
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    elapsedSec: (finished - started) / 1000,
    sections: first.sections.map((_, i) => mergeSection(parts.map((p) => p.sections[i]!))),
    // Each part measured the relay on its own machine; the first part's stands for the merge, as its environment does.
    ...(first.relayOverhead ? { relayOverhead: first.relayOverhead } : {}),
    // Thresholds were judged on each part; the merged figures have not been judged.
    assertions: undefined,
  };
}

// ---- Checking that the parts can be merged -------------------------------------------------

function runLabel(r: RunResult): string {
  return isLoadRun(r) ? DRIVERS[r.spec.driver].label : r.label;
}

function show(v: unknown): string {
  return v === undefined ? "none" : typeof v === "object" ? JSON.stringify(v) : String(v);
}

/** "size 64 vs 1024, window 1 vs 32": every field whose value differs (additive ones per part). */
function differences(a: object, b: object, aParts: number, bParts: number): string[] {
  const perPart = (spec: object, k: string, parts: number) => {
    const v = (spec as Record<string, unknown>)[k];
    return ADDITIVE.has(k) && typeof v === "number" ? v / parts : v;
  };
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  const note = aParts > 1 || bParts > 1 ? " per part" : "";
  return keys
    .map((k) => ({ k, x: perPart(a, k, aParts), y: perPart(b, k, bParts) }))
    .filter(({ x, y }) => show(x) !== show(y))
    .map(({ k, x, y }) => `${k} ${show(x)} vs ${show(y)}${ADDITIVE.has(k) ? note : ""}`);
}

/** Histograms are what makes percentiles mergeable; a file trimmed of them (a fixture) cannot be merged. */
function checkHistograms(r: BenchResult, name: string): void {
  for (const s of r.sections) {
    sectionRuns(s).forEach((run, j) => {
      const has = isLoadRun(run) ? run.histograms !== undefined : run.histogram !== undefined;
      if (!has)
        throw new UsageError(`cannot merge: ${name} has no histograms (${s.kind} run ${j + 1}, ${runLabel(run)}): percentiles cannot be merged from summaries`);
    });
  }
}

function checkSameShape(a: BenchResult, b: BenchResult, aName: string, bName: string, allowApart: boolean): void {
  checkHistograms(b, bName);
  if (a === b) return;
  if (a.scenario !== b.scenario) throw new UsageError(`cannot merge: ${aName} is a ${a.scenario} run and ${bName} a ${b.scenario} run`);
  const kinds = (r: BenchResult) => r.sections.map((s) => s.kind).join(", ") || "none";
  if (kinds(a) !== kinds(b)) throw new UsageError(`cannot merge: ${aName} has sections ${kinds(a)} and ${bName} has ${kinds(b)}`);
  if (a.sections.some((s) => s.kind === "capacity"))
    throw new UsageError("cannot merge capacity searches: each swarm chose its steps from its own load, so their steps do not line up");
  a.sections.forEach((sa, i) => {
    const sb = b.sections[i]!;
    const ra = sectionRuns(sa);
    const rb = sectionRuns(sb);
    if (ra.length !== rb.length) throw new UsageError(`cannot merge: the ${sa.kind} section has ${ra.length} runs in ${aName} and ${rb.length} in ${bName}`);
    ra.forEach((x, j) => {
      const diff = differences(x.spec, rb[j]!.spec, a.parts ?? 1, b.parts ?? 1);
      if (diff.length) throw new UsageError(`cannot merge: ${sa.kind} run ${j + 1} (${runLabel(x)}) differs between ${aName} and ${bName}: ${diff.join(", ")}`);
      const wa = x.window;
      const wb = rb[j]!.window;
      if (!allowApart && wa && wb && windowOverlap(wa, wb) < MIN_WINDOW_OVERLAP)
        throw new UsageError(
          `cannot merge: ${sa.kind} run ${j + 1} (${runLabel(x)}) measured at different times in ${aName} and ${bName}: its windows overlap ${Math.round(100 * windowOverlap(wa, wb))}% (at least ${100 * MIN_WINDOW_OVERLAP}% needed), started ${(Math.abs(wb.startMs - wa.startMs) / 1000).toFixed(1)} s apart; start the agents together with --start-at, or merge anyway with --allow-apart`,
        );
    });
  });
}

// ---- Merging ---------------------------------------------------------------------------------

function mergeSection(parts: Section[]): Section {
  const s = parts[0]!;
  // One browser's figures: they do not add up with another's.
  if (s.kind === "browser") throw new UsageError("cannot merge: a browser section is one browser's measurement; merge results without one");
  // Same kinds in the same places (checked), so each part's section is of s's kind.
  const loads = (f: (x: Section) => LoadResult[]) => zip(parts.map(f)).map(mergeLoadRuns);
  const pushes = () => zip(parts.map(pushRuns)).map(mergePushRuns);
  switch (s.kind) {
    case "hello":
    case "rtt":
    case "throughput":
    case "capacity":
      return { ...s, runs: loads((p) => (p as { runs: LoadResult[] }).runs) };
    case "connect": {
      const timeWait = s.timeWait.map((_, i) => maxOf(parts.map((p) => (p.kind === "connect" ? p.timeWait[i] : undefined))) ?? null);
      return { ...s, runs: loads((p) => (p as { runs: LoadResult[] }).runs), timeWait };
    }
    case "load": {
      const runs = loads((p) => (p as { runs: LoadResult[] }).runs);
      // The knee is a conclusion from the runs, so it is drawn again from the merged ones.
      const knees = s.knees.map((k) => ({ driver: k.driver, ...findKnee(runs.filter((r) => r.spec.driver === k.driver)) }));
      return { kind: "load", runs, knees };
    }
    case "udp": {
      const runs = loads((p) => (p.kind === "udp" ? p.runs : []));
      const oneWay = loads((p) => (p.kind === "udp" ? p.oneWay : []));
      return { kind: "udp", runs, lossBeginsAt: lossBeginsAt(runs), oneWay, oneWayLossBeginsAt: lossBeginsAt(oneWay) };
    }
    case "push":
      return { ...s, runs: pushes(), subscribers: parts.reduce((a, p) => a + (p.kind === "push" ? p.subscribers : 0), 0) };
    case "fanout":
      return { ...s, runs: pushes() };
    case "distance":
      return { ...s, runs: loads((p) => (p.kind === "distance" ? p.runs : [])), push: pushes() };
  }
}

function zip<T>(lists: T[][]): T[][] {
  return (lists[0] ?? []).map((_, i) => lists.map((l) => l[i]!));
}

function maxOf(values: (number | null | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && v !== null);
  return known.length ? Math.max(...known) : undefined;
}

function lossBeginsAt(runs: LoadResult[]): number | undefined {
  return [...runs].sort((a, b) => a.spec.ratePerSec - b.spec.ratePerSec).find((r) => lossShare(r) > 0)?.spec.ratePerSec;
}

const sum = <T>(items: T[], f: (x: T) => number) => items.reduce((a, x) => a + f(x), 0);

// ---- The one merge: shares of a run measured at once -----------------------------------------
// A share is what one swarm process measured (bench/run/ combines them into a run) or one whole
// run of a part (bench merge combines those): either way the same additions.

/** What one share of an echo run measured on the swarm's side. */
export interface EchoShare {
  histograms: EchoHistograms;
  counts: SessionCounts;
  sequence: SequenceReport;
  measuredSec: number;
  /** Operations per second this share completed. */
  opsPerSec: number;
  client: SwarmCost;
}

/**
 * The swarm's side of an echo run, from its shares: histograms added exactly, counts summed.
 * Shares that measured one window together (the processes of one run, started together and
 * told when to stop) have the run's rate: everything completed over the longest of them, so a
 * process that ended early (a --count share) does not count as if it had kept its pace. Shares
 * that are separate runs (the parts of `bench merge`) are parallel generators: their rates add up.
 */
export function combineEcho(shares: EchoShare[], window: "shared" | "separate") {
  const hist = (key: keyof EchoHistograms) => mergeEncoded(shares.map((s) => s.histograms[key]));
  const latency = hist("latency");
  const uncorrected = hist("uncorrected");
  const lag = hist("lag");
  const counts = sumCounts(shares.map((s) => s.counts));
  const client = clientCost(shares.map((s) => s.client));
  const measuredSec = Math.max(0, ...shares.map((s) => s.measuredSec));
  return {
    latency: summarize(latency),
    uncorrected: summarize(uncorrected),
    lag: summarize(lag),
    histograms: { latency: encodeHistogram(latency), uncorrected: encodeHistogram(uncorrected), lag: encodeHistogram(lag) },
    counts,
    sequence: sumSequences(shares.map((s) => s.sequence)),
    measuredSec,
    opsPerSec: window === "separate" ? sum(shares, (s) => s.opsPerSec) : measuredSec > 0 ? counts.completed / measuredSec : 0,
    client,
  };
}

/** What was measured of the server, once per run (or the largest of the parts' readings). */
export type ServerSide = Pick<
  LoadResult,
  | "wirePerOp"
  | "placement"
  | "remote"
  | "relay"
  | "tls"
  | "oneWay"
  | "serverRejected"
  | "serverErrors"
  | "timeline"
  | "pauses"
  | "stages"
  | "capacity"
  | "window"
> & {
  cost: ProcessCost;
};

/** An echo run's result from its swarm's totals and what was measured of its server. */
export function loadResult(spec: LoadSpec, echo: ReturnType<typeof combineEcho>, server: ServerSide): LoadResult {
  const { cost, ...serverFacts } = server;
  return {
    spec: recordedSpec(spec),
    latency: echo.latency,
    uncorrected: echo.uncorrected,
    lag: echo.lag,
    histograms: echo.histograms,
    counts: echo.counts,
    sequence: echo.sequence,
    measuredSec: echo.measuredSec,
    opsPerSec: echo.opsPerSec,
    payloadBytesPerSec: echo.opsPerSec * spec.size,
    cost: {
      client: echo.client,
      server: cost,
      clientCpuPerOpUs: cpuPerOpUs(echo.client, echo.counts.completed),
      serverCpuPerOpUs: cpuPerOpUs(cost, echo.counts.completed),
    },
    ...serverFacts,
  };
}

/** What one share of a push run measured on the subscribers' side. */
export interface PushShare {
  histogram: string;
  delivered: number;
  requests: number;
  emptyPolls: number;
  missed: number;
  clockAnomalies: number;
  client: SwarmCost;
  clock?: ClockOffset;
}

/** The subscribers' side of a push run, from its shares. */
export function combinePush(shares: PushShare[]) {
  const latency = mergeEncoded(shares.map((s) => s.histogram));
  const delivered = sum(shares, (s) => s.delivered);
  const requests = sum(shares, (s) => s.requests);
  return {
    latency: summarize(latency),
    histogram: encodeHistogram(latency),
    delivered,
    requests,
    emptyPolls: sum(shares, (s) => s.emptyPolls),
    missed: sum(shares, (s) => s.missed),
    clockAnomalies: sum(shares, (s) => s.clockAnomalies),
    requestsPerEvent: delivered > 0 ? requests / delivered : 0,
    client: clientCost(shares.map((s) => s.client)),
    // Every latency is as uncertain as the least certain offset applied to it.
    clock: shares.map((s) => s.clock).reduce<ClockOffset | undefined>((a, c) => (c && (!a || c.uncertaintyMs > a.uncertaintyMs) ? c : a), undefined),
  };
}

/** A push run's result from its subscribers' totals and what the run knows of its events and server. */
export function pushResult(
  spec: PushSpec,
  label: string,
  push: ReturnType<typeof combinePush>,
  rest: Pick<
    PushRunResult,
    "slowestDelivery" | "events" | "expected" | "bytesPerEvent" | "remote" | "relay" | "placement" | "timeline" | "pauses" | "window"
  > & {
    serverCost: ProcessCost;
  },
): PushRunResult {
  const { client, clock, ...totals } = push;
  const { serverCost: server, ...facts } = rest;
  return { spec, label, ...totals, ...facts, cost: { client, server }, ...(clock ? { clock } : {}) };
}

/** Swarm processes: CPU adds up, memory is the largest process's, processes are counted. */
export function clientCost(costs: SwarmCost[]): SwarmCost {
  return {
    userMs: sum(costs, (c) => c.userMs),
    sysMs: sum(costs, (c) => c.sysMs),
    peakRssBytes: Math.max(0, ...costs.map((c) => c.peakRssBytes)),
    processes: sum(costs, (c) => c.processes),
  };
}

/** The one server every part measured: each reading is of the same process, so the largest is kept. */
function serverCost(costs: ProcessCost[]): ProcessCost {
  return {
    userMs: Math.max(0, ...costs.map((c) => c.userMs)),
    sysMs: Math.max(0, ...costs.map((c) => c.sysMs)),
    peakRssBytes: Math.max(0, ...costs.map((c) => c.peakRssBytes)),
  };
}

/** The server's own counters, read by every part from the same server: the largest per key. */
function maxRecords(records: Record<string, number>[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of records) for (const [k, v] of Object.entries(r)) out[k] = Math.max(out[k] ?? 0, v);
  return out;
}

/** An average of per-operation figures, each part weighted by how many operations it completed. */
function weighted<W extends Record<string, number>>(items: { value: W | undefined; weight: number }[]): W | undefined {
  const known = items.filter((x): x is { value: W; weight: number } => x.value !== undefined && x.weight > 0);
  const total = sum(known, (x) => x.weight);
  const head = known[0];
  if (head === undefined || total === 0) return undefined;
  const out: Record<string, number> = {};
  for (const key of Object.keys(head.value)) out[key] = sum(known, (x) => (x.value[key] ?? 0) * x.weight) / total;
  return out as W;
}

function additiveSpec<S extends object>(specs: S[], keys: readonly string[]): S {
  const out: Record<string, unknown> = { ...specs[0] };
  for (const k of keys) {
    const values = specs.map((s) => (s as Record<string, unknown>)[k]);
    if (values.every((v) => typeof v === "number")) out[k] = sum(values as number[], (v) => v);
  }
  return out as S;
}

/** Runs of several parts as one: their shares combined, the server's readings taken once. */
export function mergeLoadRuns(runs: LoadResult[]): LoadResult {
  const first = runs[0]!;
  const oneWays = runs.map((r) => r.oneWay).filter((o) => o !== undefined);
  const oneWaySent = sum(oneWays, (o) => o.sent);
  const oneWayReceived = sum(oneWays, (o) => o.received);
  // Every part has its histograms: checkHistograms refused the merge otherwise.
  const echo = combineEcho(
    runs.map((r) => ({
      histograms: r.histograms!,
      counts: r.counts,
      sequence: r.sequence,
      measuredSec: r.measuredSec,
      opsPerSec: r.opsPerSec,
      client: r.cost.client,
    })),
    "separate",
  );
  const spec = additiveSpec(
    runs.map((r) => r.spec),
    ADDITIVE_LOAD,
  );
  // Each part ramped through the same stages at its own rates: together, the rates add up.
  if (spec.stages)
    spec.stages = spec.stages.map((st, i) => ({
      ...st,
      fromPerSec: sum(runs, (r) => r.spec.stages?.[i]?.fromPerSec ?? 0),
      toPerSec: sum(runs, (r) => r.spec.stages?.[i]?.toPerSec ?? 0),
    }));
  return loadResult(spec, echo, {
    cost: serverCost(runs.map((r) => r.cost.server)),
    wirePerOp: weighted(runs.map((r) => ({ value: r.wirePerOp, weight: r.counts.completed }))),
    placement: { server: first.placement.server, swarm: runs.flatMap((r) => r.placement.swarm) },
    remote: first.remote,
    relay: first.relay,
    tls: first.tls,
    oneWay: oneWays.length ? { sent: oneWaySent, received: oneWayReceived, lost: Math.max(0, oneWaySent - oneWayReceived) } : undefined,
    serverRejected: maxRecords(runs.map((r) => r.serverRejected)),
    serverErrors: maxRecords(runs.map((r) => r.serverErrors)),
    // Parts made at once: their i-th intervals lie side by side, and add up.
    ...(runs.every((r) => r.timeline) ? { timeline: mergeIntervals(runs.map((r) => r.timeline!)) } : {}),
    ...windowOf(runs),
    ...(runs.every((r) => r.stages) ? { stages: mergeStageResults(runs.map((r) => r.stages!)) } : {}),
  });
}

/**
 * The time until an event's last subscriber had it is a maximum over subscribers, and the parts
 * kept only its summary, not the per-event values: the largest of the parts' figures is the best
 * that can be said (for the percentiles, a lower bound of the merged run's).
 */
function slowestOf(summaries: LatencySummary[]): LatencySummary {
  const max = (f: (s: LatencySummary) => number) => Math.max(0, ...summaries.map(f));
  return {
    count: max((s) => s.count),
    min: max((s) => s.min),
    p50: max((s) => s.p50),
    p90: max((s) => s.p90),
    p99: max((s) => s.p99),
    p999: max((s) => s.p999),
    max: max((s) => s.max),
    mean: max((s) => s.mean),
    stdev: max((s) => s.stdev),
  };
}

export function mergePushRuns(runs: PushRunResult[]): PushRunResult {
  const first = runs[0]!;
  const push = combinePush(runs.map((r) => ({ ...r, histogram: r.histogram!, client: r.cost.client })));
  return pushResult(
    additiveSpec(
      runs.map((r) => r.spec),
      ADDITIVE_PUSH,
    ),
    first.label,
    push,
    {
      slowestDelivery: slowestOf(runs.map((r) => r.slowestDelivery)),
      // One server published one stream of events to every part's subscribers.
      events: Math.max(...runs.map((r) => r.events)),
      expected: sum(runs, (r) => r.expected),
      bytesPerEvent: weighted(runs.map((r) => ({ value: r.bytesPerEvent, weight: r.delivered }))),
      serverCost: serverCost(runs.map((r) => r.cost.server)),
      remote: first.remote,
      relay: first.relay,
      placement: { server: first.placement.server, swarm: runs.flatMap((r) => r.placement.swarm) },
      ...(runs.every((r) => r.timeline) ? { timeline: mergeIntervals(runs.map((r) => r.timeline!)) } : {}),
      ...windowOf(runs),
    },
  );
}

/** Parts measured at once: together they measured from the first one's start to the last one's end. */
function windowOf(runs: (LoadResult | PushRunResult)[]): { window?: MeasuredWindow } {
  if (!runs.every((r) => r.window)) return {};
  return { window: { startMs: Math.min(...runs.map((r) => r.window!.startMs)), endMs: Math.max(...runs.map((r) => r.window!.endMs)) } };
}

/** How much two measured windows share: their common stretch over the longer one's length (1: the same). */
export function windowOverlap(a: MeasuredWindow, b: MeasuredWindow): number {
  const common = Math.max(0, Math.min(a.endMs, b.endMs) - Math.max(a.startMs, b.startMs));
  const longer = Math.max(a.endMs - a.startMs, b.endMs - b.startMs);
  return longer > 0 ? common / longer : a.startMs === b.startMs ? 1 : 0;
}

/** Shares must overlap at least this much to be merged as one load (unless --allow-apart). */
export const MIN_WINDOW_OVERLAP = 0.9;
