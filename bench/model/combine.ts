import { writeFile } from "node:fs/promises";
import { flagOpt, parseArgs, stringOpt } from "../../lib/args.ts";
import { RunError, UsageError, messageOf } from "../../lib/errors.ts";
import { DRIVERS } from "../run/bind.ts";
import type { LoadResult } from "../run/load-run.ts";
import { sumCounts } from "../load/session.ts";
import type { PushRunResult } from "../run/push-run.ts";
import { readResult } from "./result-file.ts";
import { RESULT_FORMAT, pushRuns, sectionRuns, type BenchResult, type Section } from "./results.ts";
import { findKnee } from "./knee.ts";
import { lossShare } from "../scenarios/udp.ts";
import { cpuPerOpUs, type ProcessCost } from "../stats/cost.ts";
import { encodeHistogram, mergeEncoded, summarize, type LatencySummary } from "../stats/histogram.ts";
import { sumSequences } from "../stats/sequence.ts";

/**
 * Merging results of one scenario made at the same time by several swarms (processes or hosts)
 * against the same server, as if one bigger swarm had made them. Runs are matched in order and
 * their specs must agree (each part's share of the load compared per part). What adds up is added (counts, histograms, rates of parallel
 * generators, client CPU); what every part measured of the one shared server is not (its CPU,
 * memory and counters: each part saw the same process, so the largest reading is kept).
 * docs/result-format.md lists every rule.
 */

export const MERGE_USAGE = "usage: bun run bench merge A.json B.json ... -o OUT.json";

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
export function mergeResults(parts: BenchResult[], names: string[] = parts.map((_, i) => `part ${i + 1}`)): BenchResult {
  const first = parts[0];
  if (first === undefined) throw new UsageError("cannot merge: no results given");
  parts.forEach((p, i) => checkSameShape(first, p, names[0] ?? "part 1", names[i] ?? `part ${i + 1}`));
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

function isLoad(r: LoadResult | PushRunResult): r is LoadResult {
  return "driver" in r.spec;
}

function runLabel(r: LoadResult | PushRunResult): string {
  return isLoad(r) ? DRIVERS[r.spec.driver].label : r.label;
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
      const has = isLoad(run) ? run.histograms !== undefined : run.histogram !== undefined;
      if (!has) throw new UsageError(`cannot merge: ${name} has no histograms (${s.kind} run ${j + 1}, ${runLabel(run)}): percentiles cannot be merged from summaries`);
    });
  }
}

function checkSameShape(a: BenchResult, b: BenchResult, aName: string, bName: string): void {
  checkHistograms(b, bName);
  if (a === b) return;
  if (a.scenario !== b.scenario) throw new UsageError(`cannot merge: ${aName} is a ${a.scenario} run and ${bName} a ${b.scenario} run`);
  const kinds = (r: BenchResult) => r.sections.map((s) => s.kind).join(", ") || "none";
  if (kinds(a) !== kinds(b)) throw new UsageError(`cannot merge: ${aName} has sections ${kinds(a)} and ${bName} has ${kinds(b)}`);
  a.sections.forEach((sa, i) => {
    const sb = b.sections[i]!;
    const ra = sectionRuns(sa);
    const rb = sectionRuns(sb);
    if (ra.length !== rb.length) throw new UsageError(`cannot merge: the ${sa.kind} section has ${ra.length} runs in ${aName} and ${rb.length} in ${bName}`);
    ra.forEach((x, j) => {
      const diff = differences(x.spec, rb[j]!.spec, a.parts ?? 1, b.parts ?? 1);
      if (diff.length) throw new UsageError(`cannot merge: ${sa.kind} run ${j + 1} (${runLabel(x)}) differs between ${aName} and ${bName}: ${diff.join(", ")}`);
    });
  });
}

// ---- Merging ---------------------------------------------------------------------------------

function mergeSection(parts: Section[]): Section {
  const s = parts[0]!;
  // Same kinds in the same places (checked), so each part's section is of s's kind.
  const loads = (f: (x: Section) => LoadResult[]) => zip(parts.map(f)).map(mergeLoadRuns);
  const pushes = () => zip(parts.map(pushRuns)).map(mergePushRuns);
  switch (s.kind) {
    case "hello":
    case "rtt":
    case "throughput":
      return { ...s, runs: loads((p) => p.runs as LoadResult[]) };
    case "connect": {
      const timeWait = s.timeWait.map((_, i) => maxOf(parts.map((p) => (p.kind === "connect" ? p.timeWait[i] : undefined))));
      return { ...s, runs: loads((p) => p.runs as LoadResult[]), timeWait };
    }
    case "load": {
      const runs = loads((p) => p.runs as LoadResult[]);
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

function maxOf(values: (number | undefined)[]): number | undefined {
  const known = values.filter((v): v is number => v !== undefined && v !== null);
  return known.length ? Math.max(...known) : undefined;
}

function lossBeginsAt(runs: LoadResult[]): number | undefined {
  return [...runs].sort((a, b) => a.spec.ratePerSec - b.spec.ratePerSec).find((r) => lossShare(r) > 0)?.spec.ratePerSec;
}

const sum = <T>(items: T[], f: (x: T) => number) => items.reduce((a, x) => a + f(x), 0);



/** Swarm processes of every part: CPU adds up, memory is the largest process's. */
function clientCost(costs: (ProcessCost & { processes: number })[]): ProcessCost & { processes: number } {
  return { userMs: sum(costs, (c) => c.userMs), sysMs: sum(costs, (c) => c.sysMs), peakRssBytes: Math.max(0, ...costs.map((c) => c.peakRssBytes)), processes: sum(costs, (c) => c.processes) };
}

/** The one server every part measured: each reading is of the same process, so the largest is kept. */
function serverCost(costs: ProcessCost[]): ProcessCost {
  return { userMs: Math.max(0, ...costs.map((c) => c.userMs)), sysMs: Math.max(0, ...costs.map((c) => c.sysMs)), peakRssBytes: Math.max(0, ...costs.map((c) => c.peakRssBytes)) };
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

export function mergeLoadRuns(runs: LoadResult[]): LoadResult {
  const first = runs[0]!;
  const latency = mergeEncoded(runs.map((r) => r.histograms.latency));
  const uncorrected = mergeEncoded(runs.map((r) => r.histograms.uncorrected));
  const lag = mergeEncoded(runs.map((r) => r.histograms.lag));
  const counts = sumCounts(runs.map((r) => r.counts));
  const client = clientCost(runs.map((r) => r.cost.client));
  const server = serverCost(runs.map((r) => r.cost.server));
  const oneWays = runs.map((r) => r.oneWay).filter((o) => o !== undefined);
  const oneWaySent = sum(oneWays, (o) => o.sent);
  const oneWayReceived = sum(oneWays, (o) => o.received);
  return {
    spec: additiveSpec(runs.map((r) => r.spec), ADDITIVE_LOAD),
    latency: summarize(latency),
    uncorrected: summarize(uncorrected),
    lag: summarize(lag),
    histograms: { latency: encodeHistogram(latency), uncorrected: encodeHistogram(uncorrected), lag: encodeHistogram(lag) },
    counts,
    sequence: sumSequences(runs.map((r) => r.sequence)),
    measuredSec: Math.max(...runs.map((r) => r.measuredSec)),
    // Parallel generators: their rates add up.
    opsPerSec: sum(runs, (r) => r.opsPerSec),
    payloadBytesPerSec: sum(runs, (r) => r.payloadBytesPerSec),
    cost: { client, server, clientCpuPerOpUs: cpuPerOpUs(client, counts.completed), serverCpuPerOpUs: cpuPerOpUs(server, counts.completed) },
    wirePerOp: weighted(runs.map((r) => ({ value: r.wirePerOp, weight: r.counts.completed }))),
    placement: { server: first.placement.server, swarm: runs.flatMap((r) => r.placement.swarm) },
    oneWay: oneWays.length ? { sent: oneWaySent, received: oneWayReceived, lost: Math.max(0, oneWaySent - oneWayReceived) } : undefined,
    serverRejected: maxRecords(runs.map((r) => r.serverRejected)),
    serverErrors: maxRecords(runs.map((r) => r.serverErrors)),
    // Each part's repetitions spread over its own runs, not over the merged one: not carried over.
    repeat: undefined,
  };
}

/**
 * The time until an event's last subscriber had it is a maximum over subscribers, and the parts
 * kept only its summary, not the per-event values: the largest of the parts' figures is the best
 * that can be said (for the percentiles, a lower bound of the merged run's).
 */
function slowestOf(summaries: LatencySummary[]): LatencySummary {
  const max = (f: (s: LatencySummary) => number) => Math.max(0, ...summaries.map(f));
  return { count: max((s) => s.count), min: max((s) => s.min), p50: max((s) => s.p50), p90: max((s) => s.p90), p99: max((s) => s.p99), p999: max((s) => s.p999), max: max((s) => s.max), mean: max((s) => s.mean), stdev: max((s) => s.stdev) };
}

export function mergePushRuns(runs: PushRunResult[]): PushRunResult {
  const first = runs[0]!;
  const latency = mergeEncoded(runs.map((r) => r.histogram));
  const delivered = sum(runs, (r) => r.delivered);
  const requests = sum(runs, (r) => r.requests);
  const bytes = weighted(runs.map((r) => ({ value: r.bytesPerEvent, weight: r.delivered })));
  return {
    spec: additiveSpec(runs.map((r) => r.spec), ADDITIVE_PUSH),
    label: first.label,
    latency: summarize(latency),
    slowestDelivery: slowestOf(runs.map((r) => r.slowestDelivery)),
    histogram: encodeHistogram(latency),
    // One server published one stream of events to every part's subscribers.
    events: Math.max(...runs.map((r) => r.events)),
    expected: sum(runs, (r) => r.expected),
    delivered,
    requests,
    emptyPolls: sum(runs, (r) => r.emptyPolls),
    missed: sum(runs, (r) => r.missed),
    clockAnomalies: sum(runs, (r) => r.clockAnomalies),
    requestsPerEvent: delivered > 0 ? requests / delivered : 0,
    bytesPerEvent: bytes ? { up: bytes.up, down: bytes.down } : undefined,
    cost: { client: clientCost(runs.map((r) => r.cost.client)), server: serverCost(runs.map((r) => r.cost.server)) },
    placement: { server: first.placement.server, swarm: runs.flatMap((r) => r.placement.swarm) },
    repeat: undefined,
  };
}

// ---- The command -----------------------------------------------------------------------------

/** `bun run bench merge A.json B.json ... -o OUT.json`: writes the merged result, says so on stdout. */
export async function mergeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { out: { type: "string", short: "o" }, help: { type: "boolean", short: "h" } });
  if (flagOpt(args, "help")) {
    console.log(`${MERGE_USAGE}\n\nCombines results of one scenario made at the same time by several swarms or hosts: histograms\nadded exactly, counts and rates summed. See docs/result-format.md.`);
    return 0;
  }
  const files = args.positionals;
  const out = stringOpt(args, "out");
  if (files.length < 2) args.problems.push(`merge needs at least two result files, got ${files.length}: ${MERGE_USAGE.replace("usage: ", "")}`);
  if (out === undefined && !args.problems.some((p) => p.includes("--out"))) args.problems.push("merge needs -o OUT.json: where to write the merged result");
  if (args.problems.length) throw new UsageError(args.problems);
  const parts = await Promise.all(files.map(readResult));
  const merged = mergeResults(parts, files);
  const apart = notTogether(parts, files);
  if (apart) console.error(`bench merge: note: ${apart}; rates add up only for parts that ran at the same time`);
  try {
    await writeFile(out!, `${JSON.stringify(merged, null, 2)}\n`);
  } catch (err) {
    throw new RunError(`cannot write ${out}: ${messageOf(err).split("\n")[0]}`);
  }
  console.log(`Written: ${out} (${merged.scenario}, ${merged.parts} parts merged from ${files.join(", ")})`);
  return 0;
}

/** Parts whose time windows do not overlap with the first one's, in words; undefined if all do. */
function notTogether(parts: BenchResult[], names: string[]): string | undefined {
  const [a, ...rest] = parts;
  if (!a) return undefined;
  const apart = rest
    .map((p, i) => ({ p, name: names[i + 1] }))
    .filter(({ p }) => Date.parse(p.startedAt) > Date.parse(a.finishedAt) || Date.parse(p.finishedAt) < Date.parse(a.startedAt));
  return apart.length ? `${apart.map((x) => x.name).join(", ")} did not run at the same time as ${names[0]}` : undefined;
}
