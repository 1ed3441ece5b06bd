import { DRIVERS, PATTERNS, TLS_PAIRS, TRANSPORT_DRIVERS, type DriverEntry, type DriverName, type PatternEntry } from "../catalog.ts";
import { inLabComparison, type BenchConfig } from "./config.ts";
import { latency } from "./format.ts";
import { labelOf, subjectOf } from "./names.ts";
import { isLoadRun, type LoadResult, type PushRunResult, type RunResult } from "./results.ts";
import { rttMsOf } from "./spec.ts";

// The distance section's rows, for the scenario and for everything that reports on it: what
// each row should cost in round trips by the lab's reasoning, and what it measured.

/**
 * The request drivers the distance section runs for these transports. The suite keeps to the
 * lab's comparison, WebSocket against HTTP (no plain TCP), to stay within its time, and both
 * add HTTPS and WSS on a new connection for HTTP and WebSocket.
 */
export function distanceDrivers(config: Pick<BenchConfig, "transports" | "scenario">): DriverName[] {
  const drivers = config.transports.flatMap((t) => TRANSPORT_DRIVERS[t].distance);
  // Each new-connection row's TLS twin (TLS_PAIRS): what TLS adds in round trips, beside the
  // plain rows, unless its transport was chosen and brings it anyway.
  const tls = drivers.flatMap((d) => {
    const twin = TLS_PAIRS.find(([plain]) => plain === d)?.[1];
    return twin && DRIVERS[d].perOperationConnection && !config.transports.includes(DRIVERS[twin].transport) ? [twin] : [];
  });
  return [...(config.scenario === "suite" ? drivers.filter(inLabComparison) : drivers), ...tls];
}

/** How far (in round trips) a measured cost may be from the reasoning and still agree with it. */
export const DISTANCE_TOLERANCE = 0.1;

/** Whether a measured cost agrees with the reasoning, within DISTANCE_TOLERANCE. */
export function agrees(measured: number, e: Expected): boolean {
  return measured >= e.low - DISTANCE_TOLERANCE && measured <= e.high + DISTANCE_TOLERANCE;
}

export interface Expected {
  /** Round trips, as a range where the cost depends on timing (long polling). */
  low: number;
  high: number;
  why: string;
}

/**
 * What a row should cost by the lab's reasoning. Long polling depends on the event rate: when
 * events come at least twice per round trip, every poll finds some waiting, so polls go back
 * to back, one per round trip, and an event waits half of one before going back one way (1);
 * sparser events usually find a poll waiting (½) but not always (up to 1½).
 */
function expectedFor(run: RunResult, shortestRttMs: number): Expected {
  if (isLoadRun(run)) {
    const d: DriverEntry = DRIVERS[run.spec.driver];
    return d.distance ? { low: d.distance.roundTrips, high: d.distance.roundTrips, why: d.distance.why } : { low: NaN, high: NaN, why: "" };
  }
  const p: PatternEntry = PATTERNS[run.spec.pattern];
  const busy = run.spec.eventsPerSec > 0 && 1000 / run.spec.eventsPerSec <= shortestRttMs / 2;
  return (busy && p.busyRoundTrips) || p.roundTrips;
}

/** The round-trip time a run was made at: twice its relay profile's one-way delay. */
export function rttOfRun(r: RunResult): number {
  return rttMsOf(r.spec);
}

/**
 * Round trips a row costs: the least-squares slope of its p50 against the round-trip time,
 * which cancels what the row costs on this host alone. With one distance only, p50 ÷ RTT.
 */
export function roundTripsOf(points: { rttMs: number; p50Ns: number }[]): number | undefined {
  const xs = points.map((p) => p.rttMs * 1e6);
  const distinct = new Set(xs).size;
  if (distinct === 0) return undefined;
  if (distinct === 1) return xs[0]! > 0 ? points[0]!.p50Ns / xs[0]! : undefined;
  const mx = xs.reduce((a, b) => a + b, 0) / xs.length;
  const my = points.reduce((a, p) => a + p.p50Ns, 0) / points.length;
  let num = 0;
  let den = 0;
  points.forEach((p, i) => {
    num += (xs[i]! - mx) * (p.p50Ns - my);
    den += (xs[i]! - mx) ** 2;
  });
  return num / den;
}

export interface DistanceRow {
  /** The metric subject: the driver's ("ws", "http-close"), or the pattern's ("ws-push", "long", "short250"). */
  subject: string;
  label: string;
  /** The runs of this row, one per round-trip time, in the section's order. */
  runs: RunResult[];
  expected: Expected;
  /** Measured cost in round trips (see roundTripsOf). */
  roundTrips?: number;
}

/** The row's run at a round-trip time, if it was made and measured anything. */
export function runAt(row: DistanceRow, rttMs: number): RunResult | undefined {
  return row.runs.find((r) => rttOfRun(r) === rttMs && r.latency.count > 0);
}

/** A row's p50 at a round-trip time, as a table shows it: "—" where that run measured nothing. */
export function p50At(row: DistanceRow | undefined, rttMs: number): string {
  const r = row && runAt(row, rttMs);
  return r ? latency(r.latency.p50) : "—";
}

/** "1", "0.5–1.5": a cost in round trips as the reasoning gives it. */
export function expectedText(e: Expected): string {
  return e.low === e.high ? String(e.low) : `${e.low}–${e.high}`;
}

function labelOfRow(r: RunResult): string {
  return isLoadRun(r) ? ((DRIVERS[r.spec.driver] as DriverEntry).distance?.label ?? labelOf(r.spec)) : r.label;
}

/** The section's runs grouped into rows (request rows first, then push), each with its slope. */
export function distanceRows(section: { runs: LoadResult[]; push: PushRunResult[] }): DistanceRow[] {
  const rows = new Map<string, DistanceRow>();
  const all = [...section.runs, ...section.push];
  const shortestRttMs = Math.min(...all.map(rttOfRun).filter((ms) => ms > 0));
  for (const r of all) {
    const subject = subjectOf(r.spec, true);
    const row = rows.get(subject) ?? { subject, label: labelOfRow(r), runs: [], expected: expectedFor(r, shortestRttMs) };
    row.runs.push(r);
    rows.set(subject, row);
  }
  // A run that measured nothing has no p50 (its summary says 0): it is left out of the slope.
  for (const row of rows.values())
    row.roundTrips = roundTripsOf(row.runs.filter((r) => r.latency.count > 0).map((r) => ({ rttMs: rttOfRun(r), p50Ns: r.latency.p50 })));
  return [...rows.values()];
}
