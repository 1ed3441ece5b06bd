// Which open-loop sends were late: later than the longest pause the swarm's own sleeper saw in
// the same window (lib/pauses.ts), not than a fixed 1 ms. A send the machine's own pauses
// already explain is not a problem of the generator or the server; one later than any of them
// is. (Against the p99 of the pauses, about 1% of sends would count by chance alone.) The
// sleeper sees a pause only from its own due time on, up to one period after the pause began,
// while a send due as the pause began sees all of it: the period is added to the bound.
import type { LoadResult } from "./results.ts";
import { countAbove, decodeHistogram } from "../stats/histogram.ts";
import { OPEN_LOOP_PAUSE_MS } from "../../lib/pauses.ts";

/** The sends of an open-loop run later than its swarm's longest pause (and the sleeper's period), or undefined where that cannot be told (no pauses or no lag histogram). */
export function lateSends(r: LoadResult): { count: number; thresholdNs: number } | undefined {
  if (r.spec.model !== "open" || !r.pauses || !r.histograms) return undefined;
  const thresholdNs = r.pauses.swarm.max + OPEN_LOOP_PAUSE_MS * 1e6;
  return { count: countAbove(decodeHistogram(r.histograms.lag), thresholdNs), thresholdNs };
}
