// The relays' own statistics: a nearest-rank percentile, on its own so that the relay process
// (the tare) needs none of the clients the round-trip tools load.

/** Nearest-rank percentile of values sorted ascending (p from 0 to 100); of an even count, p50 is the lower middle. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error("percentile of nothing");
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1]!;
}
