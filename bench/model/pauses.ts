// The pauses the swarm processes and the server measured of themselves (lib/pauses.ts), as one
// summary per side: the swarm's histograms added, the server's read as it is.
import type { Pauses } from "./results.ts";
import { decodeHistogram, mergeHistograms, summarize } from "../stats/histogram.ts";

export function pausesOf(swarm: (string | undefined)[], server: string | undefined): Pauses | undefined {
  const parts = swarm.filter((p): p is string => p !== undefined);
  if (parts.length === 0) return undefined;
  return {
    swarm: summarize(mergeHistograms(parts.map(decodeHistogram))),
    ...(server ? { server: summarize(decodeHistogram(server)) } : {}),
  };
}
