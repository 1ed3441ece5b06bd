// The one median of repeated measurements. Of an even count it is the lower of the two middle
// values, so it is always a value that was measured: the run shown for a repeated measurement
// is the run that had it.

/** Index, in `sorted` order, of the median of `n` values. */
export function medianIndex(n: number): number {
  return Math.floor((n - 1) / 2);
}

/** The median of `values` (NaN for none). */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? sorted[medianIndex(sorted.length)]! : Number.NaN;
}
