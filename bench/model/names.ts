// How runs are named, from the catalog: in tables, legends and metric subjects. Nothing here
// knows a driver or a pattern by name; the catalog's entries say everything.
import { DRIVERS, PATTERNS, type PushKind } from "../catalog.ts";
import { isLoadSpec, type RunSpec } from "./spec.ts";

/** "every 250 ms", "every 1 s": a polling interval as a legend says it. */
function every(intervalMs: number): string {
  return `every ${intervalMs >= 1000 && intervalMs % 1000 === 0 ? `${intervalMs / 1000} s` : `${intervalMs} ms`}`;
}

/** A pattern in tables: "WebSocket push", "HTTP short polling, every 250 ms". */
export function patternLabel(kind: PushKind, intervalMs: number): string {
  const p = PATTERNS[kind];
  return p.polls ? `${p.label}, every ${intervalMs} ms` : p.label;
}

/** A pattern in chart legends: "SSE", "short polling, every 1 s". */
export function patternLegend(kind: PushKind, intervalMs: number): string {
  const p = PATTERNS[kind];
  return p.polls ? `${p.legend}, ${every(intervalMs)}` : p.legend;
}

/**
 * How a run is named in metrics: its driver's subject ("ws", "http-close"), or its pattern's
 * with the polling interval ("short250"); in the distance section a pattern's own there ("ws-push").
 */
export function subjectOf(spec: RunSpec, inDistance = false): string {
  if (isLoadSpec(spec)) return DRIVERS[spec.driver].subject;
  const p = PATTERNS[spec.pattern];
  const subject = inDistance ? p.distanceSubject : p.subject;
  return p.polls ? `${subject}${spec.intervalMs}` : subject;
}

/**
 * A browser row in metric names: a push pattern as distance names it ("ws-push", "sse", "long",
 * "short250"), a request by its kind ("ws", "fetch", "fetch-new").
 */
export function browserSubject(row: { kind: "push" | "request"; subject: string; intervalMs: number }): string {
  if (row.kind === "request") return row.subject;
  const p = PATTERNS[row.subject as PushKind];
  return p.polls ? `${p.distanceSubject}${row.intervalMs}` : p.distanceSubject;
}

/** The figures of each browser row, by name: "fetch.browser.p50". */
export const BROWSER_FIGURES = ["p50", "p90", "p99", "max"] as const;

/** A run in tables and progress lines: the driver's label, or the pattern's. */
export function labelOf(spec: RunSpec): string {
  return isLoadSpec(spec) ? DRIVERS[spec.driver].label : patternLabel(spec.pattern, spec.intervalMs);
}
