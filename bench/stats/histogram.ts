import * as hdr from "hdr-histogram-js";
import type { Histogram } from "hdr-histogram-js";

/**
 * Latency histograms in nanoseconds, from 1 ns to 10 minutes at 3 significant digits
 * (every value within 0.1% of the truth). Values above the range are clamped and counted, never
 * dropped. Histograms travel between processes as compressed base64 and are merged exactly by
 * adding counts: percentiles are never averaged.
 */
const HIGHEST_NS = 600e9;
const SIGNIFICANT_DIGITS = 3;

export type { Histogram };

export function newHistogram(): Histogram {
  return hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_NS,
    numberOfSignificantValueDigits: SIGNIFICANT_DIGITS,
    bitBucketSize: 32,
    useWebAssembly: false,
  });
}

/** Records one value in nanoseconds; negative values (clock trouble) count as 0. */
export function record(histogram: Histogram, ns: number): void {
  histogram.recordValue(Math.min(HIGHEST_NS, Math.max(0, Math.round(ns))));
}

/** How many recorded values exceed `thresholdNs` (exact to the histogram's bucket): a search over ranks. */
export function countAbove(histogram: Histogram, thresholdNs: number): number {
  const total = histogram.totalCount;
  if (total === 0 || histogram.maxValue <= thresholdNs) return 0;
  // The smallest rank whose value exceeds the threshold; everything from it up is above.
  let lo = 1;
  let hi = total;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (histogram.getValueAtPercentile((100 * mid) / total) > thresholdNs) hi = mid;
    else lo = mid + 1;
  }
  return total - lo + 1;
}

export function encodeHistogram(histogram: Histogram): string {
  return hdr.encodeIntoCompressedBase64(histogram);
}

export function decodeHistogram(encoded: string): Histogram {
  const decoded = hdr.decodeFromCompressedBase64(encoded, 32, false);
  // Re-home into our standard shape so later merges never hit a range mismatch.
  const out = newHistogram();
  out.add(decoded);
  return out;
}

/** One histogram holding every count of the inputs. */
export function mergeHistograms(parts: Histogram[]): Histogram {
  const out = newHistogram();
  for (const part of parts) out.add(part);
  return out;
}

/** Encoded histograms (from several processes or runs) decoded and added into one. */
export function mergeEncoded(encoded: string[]): Histogram {
  return mergeHistograms(encoded.map(decodeHistogram));
}

/** The figures every latency table shows, in nanoseconds (count is a plain count). */
export interface LatencySummary {
  count: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  stdev: number;
}

export function summarize(histogram: Histogram): LatencySummary {
  const count = histogram.totalCount;
  if (count === 0) return { count: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, stdev: 0 };
  return {
    count,
    min: histogram.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : histogram.minNonZeroValue,
    p50: histogram.getValueAtPercentile(50),
    p90: histogram.getValueAtPercentile(90),
    p99: histogram.getValueAtPercentile(99),
    p999: histogram.getValueAtPercentile(99.9),
    // The 100th percentile, not maxValue: after encoding, the exact max is known only to bucket
    // precision, and a merged run must report the same figure as a single-process one.
    max: histogram.getValueAtPercentile(100),
    mean: histogram.mean,
    stdev: histogram.stdDeviation,
  };
}

/** Percentile spectrum for charts: value at each listed percentile. */
export function percentiles(histogram: Histogram, points: number[]): { p: number; ns: number }[] {
  return points.map((p) => ({ p, ns: histogram.totalCount ? histogram.getValueAtPercentile(p) : 0 }));
}
