// The ways of learning of events each scenario compares.
import { PATTERNS, PUSH_KINDS, TRANSPORT_DRIVERS } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import type { Pattern } from "../model/spec.ts";

export const PUSH_INTERVALS = [50, 250, 1000];
/** The suite polls at two intervals only, to stay within its minute. */
export const SUITE_PUSH_INTERVALS = [250, 1000];

/**
 * The patterns a push run measures, given the options: every pattern the chosen transports
 * offer, a polling one at each interval. --quick keeps one interval and leaves SSE out. Fan-out
 * compares the patterns that push (no polling at an interval); distance compares WebSocket push
 * with long and short polling (every 250 ms unless --intervals says); the Bun rows beside the
 * browser's are every pattern, SSE included, short polling at one interval.
 */
export type PatternUse = "push" | "suite" | "fanout" | "distance" | "browser";

export function pushPatterns(config: Pick<BenchConfig, "transports" | "intervals" | "quick">, use: PatternUse): Pattern[] {
  const offered = new Set(config.transports.flatMap((t) => TRANSPORT_DRIVERS[t].push));
  const list: Pattern[] = [];
  for (const kind of PUSH_KINDS) {
    if (!offered.has(kind)) continue;
    // SSE says nothing long polling does not at a distance, and --quick has no time for it.
    if (kind === "sse" && use !== "fanout" && use !== "browser" && (config.quick || use === "distance")) continue;
    if (!PATTERNS[kind].polls) list.push({ kind, intervalMs: 0 });
    else if (use !== "fanout") {
      const intervals =
        config.intervals ?? (config.quick || use === "distance" || use === "browser" ? [250] : use === "suite" ? SUITE_PUSH_INTERVALS : PUSH_INTERVALS);
      for (const ms of intervals) list.push({ kind, intervalMs: ms });
    }
  }
  return list;
}
