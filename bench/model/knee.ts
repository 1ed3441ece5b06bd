import type { LoadResult } from "./results.ts";

/** Latency has "climbed" when p99 is this many times its value at the lowest rate (and above 1 ms). */
export const KNEE_P99_FACTOR = 5;
/** The server "fell behind" when it completed less than this share of the offered rate. */
export const KNEE_ACHIEVED_SHARE = 0.95;

/**
 * The first offered rate at which the system stopped keeping up: corrected p99 climbed well above
 * its low-load value, fewer operations completed than were offered, or sends piled up unsent.
 * Runs must be in increasing rate order.
 */
export function findKnee(runs: LoadResult[]): { rate?: number; reason?: string } {
  const base = runs[0]?.latency.p99 ?? 0;
  for (const r of runs) {
    const offered = r.spec.ratePerSec;
    if (r.opsPerSec < offered * KNEE_ACHIEVED_SHARE) return { rate: offered, reason: `completed ${Math.round(r.opsPerSec)}/s of ${offered}/s offered` };
    if (r.counts.unsent > 0.01 * r.counts.sent) return { rate: offered, reason: `${r.counts.unsent} sends never left` };
    if (r !== runs[0] && r.latency.p99 > KNEE_P99_FACTOR * base && r.latency.p99 > 1e6) {
      return { rate: offered, reason: `p99 ${(r.latency.p99 / 1e6).toFixed(1)} ms, ${KNEE_P99_FACTOR}× or more its low-load value` };
    }
  }
  return {};
}
