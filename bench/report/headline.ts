import { tlsFindings } from "./tls-findings.ts";
import { rankText, ranged, ratioText } from "./ranking.ts";
import { pauseFindings } from "./pauses.ts";
import type { BenchResult, Section, SectionOf, LoadResult, PushRunResult } from "../model/results.ts";
import { count, latency, rate, times } from "../model/format.ts";
import { problems } from "./problems.ts";
import { agrees, distanceRows, expectedText, runAt } from "../model/distance-rows.ts";
import { DRIVERS, LAB, type DriverName } from "../catalog.ts";

export function sectionOf<K extends Section["kind"]>(result: BenchResult, kind: K): SectionOf<K> | undefined {
  return result.sections.find((s): s is SectionOf<K> => s.kind === kind);
}

export function runFor(runs: LoadResult[], driver: DriverName, size?: number): LoadResult | undefined {
  return runs.find((r) => r.spec.driver === driver && (size === undefined || r.spec.size === size));
}

export function pushRun(runs: PushRunResult[], kind: PushRunResult["spec"]["pattern"], intervalMs?: number): PushRunResult | undefined {
  return runs.find((r) => r.spec.pattern === kind && (intervalMs === undefined || r.spec.intervalMs === intervalMs));
}

export function wireTotal(r: PushRunResult): number | undefined {
  return r.bytesPerEvent ? r.bytesPerEvent.up + r.bytesPerEvent.down : undefined;
}

/** The findings in plain words, with measured ratios. */
export function headline(result: BenchResult): string[] {
  const lines: string[] = [];
  const push = sectionOf(result, "push");
  if (push) {
    const ws = pushRun(push.runs, LAB.websocket.push);
    const shorts = push.runs.filter((r) => r.spec.pattern === LAB.http.shortPolling);
    const short = shorts.find((r) => r.spec.intervalMs === LAB.findingsPollMs) ?? shorts[0];
    const long = pushRun(push.runs, LAB.http.longPolling);
    if (ws && short) {
      const wsBytes = wireTotal(ws);
      const shortBytes = wireTotal(short);
      const bytesText =
        wsBytes !== undefined && shortBytes !== undefined ? `, and spent ${count(shortBytes)} bytes on the wire per event against ${count(wsBytes)}` : "";
      const slower = ratioText(ranged("", short.latency.p50, short.repeat, "p50"), ranged("", ws.latency.p50, ws.repeat, "p50"), times);
      lines.push(
        `WebSocket push delivered events in ${latency(ws.latency.p50)} at p50; ${short.spec.intervalMs} ms polling took ${latency(short.latency.p50)}, ${slower ? `${slower} slower` : "not told apart from it on this machine"}${bytesText}.`,
      );
    }
    if (ws && long) {
      lines.push(
        `Long polling came closer (${latency(long.latency.p50)} at p50, ${times(long.latency.p50 / ws.latency.p50)} WebSocket's) but paid ${long.requestsPerEvent.toFixed(2)} HTTP requests per delivered event${long.bytesPerEvent ? ` and ${count(long.bytesPerEvent.up + long.bytesPerEvent.down)} bytes` : ""}.`,
      );
    }
  }
  const rtt = sectionOf(result, "rtt");
  if (rtt) {
    const size = rtt.runs[0]?.spec.size ?? 64;
    const runs = rtt.runs.filter((r) => r.spec.size === size);
    if (runs.length)
      lines.push(
        `A ${size}-byte round trip (p50), fastest first: ${rankText(
          runs.map((r) => ranged(DRIVERS[r.spec.driver].short, r.latency.p50, r.repeat, "p50")),
          latency,
          true,
        )}.`,
      );
  }
  const distance = sectionOf(result, "distance");
  if (distance) lines.push(...distanceFindings(distance));
  lines.push(...tlsFindings(result));
  lines.push(...pauseFindings(result));
  const tp = sectionOf(result, "throughput");
  if (tp?.runs.length) {
    const size = tp.runs[0]!.spec.size;
    const runs = tp.runs.filter((r) => r.spec.size === size);
    lines.push(
      `With ${tp.runs[0]!.spec.window} messages in flight at ${size} B: ${rankText(
        runs.map((r) => ranged(label(r), r.opsPerSec, r.repeat, "rate")),
        rate,
      )}.`,
    );
  }
  const load = sectionOf(result, "load");
  if (load) {
    const knees = load.knees.filter((k) => k.rate !== undefined);
    const rates = [...new Set(load.runs.map((r) => r.spec.ratePerSec))];
    const staged = load.runs.filter((r) => r.stages?.length);
    for (const r of staged)
      lines.push(
        `${label(r)} through ${r.stages!.length} stages, p99 stage by stage: ${r.stages!.map((st) => `${latency(st.latency.p99)} at ${rate(st.toPerSec)}`).join(", ")}.`,
      );
    if (staged.length) {
      // A ramp has no knee of its own: its stages say where latency turned.
    } else if (knees.length)
      lines.push(`Under open-loop load, latency climbed at: ${knees.map((k) => `${shortLabel(k.driver)} ${rate(k.rate!)}`).join(", ")}.`);
    else
      lines.push(
        `Every transport kept up with ${rates.map(rate).join(", ")} offered (corrected p99: ${load.runs.map((r) => `${label(r)} ${latency(r.latency.p99)}`).join(", ")}).`,
      );
  }
  const capacity = sectionOf(result, "capacity");
  if (capacity?.runs.length)
    lines.push(
      `Highest rate holding ${capacity.objectives.join(" and ")}: ${rankText(
        capacity.runs.map((r) => ranged(label(r), r.capacity?.ratePerSec ?? 0, r.repeat, "rate")),
        rate,
      )}.`,
    );
  const found = problems(result.sections);
  lines.push(
    found.length === 0
      ? "Nothing went wrong: no errors, timeouts, losses or rejected input."
      : `${found.length} problem${found.length > 1 ? "s" : ""} recorded: see "What went wrong" below.`,
  );
  return lines;
}

/** Each row's cost in round trips, its p50 at the longest round trip, and any row the reasoning does not explain. */
function distanceFindings(s: SectionOf<"distance">): string[] {
  const far = Math.max(...s.rttsMs);
  const rows = distanceRows(s);
  const costs = rows.filter((row) => row.roundTrips !== undefined).map((row) => `${row.label} ${row.roundTrips!.toFixed(2)}`);
  const farthest = rows.flatMap((row) => {
    const r = runAt(row, far);
    return r ? [`${row.label} ${latency(r.latency.p50)}`] : [];
  });
  const lines: string[] = [];
  if (costs.length) lines.push(`Cost in round trips (the slope of p50 over round trips of ${s.rttsMs.join(", ")} ms): ${costs.join("; ")}.`);
  if (farthest.length) lines.push(`At a ${far} ms round trip, p50: ${farthest.join("; ")}.`);
  const off = rows.filter((row) => row.roundTrips !== undefined && !agrees(row.roundTrips, row.expected));
  if (off.length)
    lines.push(
      `Not as reasoned: ${off.map((row) => `${row.label} cost ${row.roundTrips!.toFixed(2)} round trips, not ${expectedText(row.expected)}`).join("; ")}.`,
    );
  return lines;
}

export function shortLabel(driver: DriverName): string {
  return DRIVERS[driver].short;
}

export function label(r: LoadResult): string {
  return shortLabel(r.spec.driver);
}
