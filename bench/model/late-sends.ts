// Which open-loop sends were late: later than the longest pause the swarm's own sleeper saw in
// the same window (lib/pauses.ts), not than a fixed 1 ms. A send the machine's own pauses
// already explain is not a problem of the generator or the server; one later than any of them
// is. (Against the p99 of the pauses, about 1% of sends would count by chance alone.)
import type { LoadResult } from "./results.ts";
import { countAbove, decodeHistogram } from "../stats/histogram.ts";

/** The sends of an open-loop run later than its swarm's longest pause, or undefined where that cannot be told (no pauses or no lag histogram). */
export function lateSends(r: LoadResult): { count: number; thresholdNs: number } | undefined {
  if (r.spec.model !== "open" || !r.pauses || !r.histograms) return undefined;
  const thresholdNs = r.pauses.swarm.max;
  return { count: countAbove(decodeHistogram(r.histograms.lag), thresholdNs), thresholdNs };
}
