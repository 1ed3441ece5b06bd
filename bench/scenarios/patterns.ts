import type { BenchConfig } from "../cli/options.ts";
import type { PushKind } from "../run/worker-protocol.ts";

/** The ways of learning of events each scenario compares, and their names in metrics. */

export const PUSH_INTERVALS = [50, 250, 1000];
/** The suite polls at two intervals only, to stay within its minute. */
export const SUITE_PUSH_INTERVALS = [250, 1000];

export type Pattern = { kind: PushKind; intervalMs: number };

/**
 * The patterns a push run measures, given the options: WebSocket push where ws is chosen; SSE,
 * long polling and short polling at each interval where http is. --quick keeps one interval and
 * leaves SSE out. Fan-out compares the push patterns only (no short polling); distance compares
 * WebSocket push with long polling and short polling (every 250 ms unless --intervals says).
 */
export function pushPatterns(config: Pick<BenchConfig, "transports" | "intervals" | "quick">, use: "push" | "suite" | "fanout" | "distance"): Pattern[] {
  const list: Pattern[] = [];
  if (config.transports.includes("ws")) list.push({ kind: "ws", intervalMs: 0 });
  if (config.transports.includes("http")) {
    if ((!config.quick && use !== "distance") || use === "fanout") list.push({ kind: "sse", intervalMs: 0 });
    list.push({ kind: "long", intervalMs: 0 });
    if (use !== "fanout") {
      const intervals = config.intervals ?? (config.quick || use === "distance" ? [250] : use === "suite" ? SUITE_PUSH_INTERVALS : PUSH_INTERVALS);
      for (const ms of intervals) list.push({ kind: "short", intervalMs: ms });
    }
  }
  return list;
}

/** How a pattern is named in metrics: "ws", "sse", "long", "short250". */
export function patternSubject(p: Pattern): string {
  return p.kind === "short" ? `short${p.intervalMs}` : p.kind;
}

/** A distance row's subject: as patternSubject, but "ws-push", since "ws" names a request row there. */
export function distancePushSubject(p: Pattern): string {
  return p.kind === "ws" ? "ws-push" : patternSubject(p);
}
