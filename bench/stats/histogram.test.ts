import { describe, expect, test } from "bun:test";
import { decodeHistogram, encodeHistogram, mergeHistograms, newHistogram, record, summarize } from "./histogram.ts";

describe("latency histograms", () => {
  test("percentiles of 1..10000 µs are within 0.1% of the exact values", () => {
    const h = newHistogram();
    for (let us = 1; us <= 10_000; us++) record(h, us * 1000);
    const s = summarize(h);
    expect(s.count).toBe(10_000);
    const near = (got: number, want: number) => expect(Math.abs(got - want) / want).toBeLessThanOrEqual(0.001);
    near(s.p50, 5_000_000);
    near(s.p90, 9_000_000);
    near(s.p99, 9_900_000);
    near(s.p999, 9_990_000);
    near(s.max, 10_000_000);
    near(s.min, 1000);
    near(s.mean, 5_000_500);
    near(s.stdev, 2_886_751); // population stdev of a uniform 1..N: sqrt((N^2 - 1) / 12)
  });

  test("one slow outlier in 1000 moves max but not p50 or p99.9", () => {
    const h = newHistogram();
    for (let i = 0; i < 999; i++) record(h, 20_000);
    record(h, 5_000_000_000);
    const s = summarize(h);
    expect(Math.abs(s.p50 - 20_000) / 20_000).toBeLessThanOrEqual(0.001);
    expect(Math.abs(s.p999 - 20_000) / 20_000).toBeLessThanOrEqual(0.001);
    expect(Math.abs(s.max - 5e9) / 5e9).toBeLessThan(0.001);
  });

  test("merging encoded parts equals recording everything in one", () => {
    const a = newHistogram();
    const b = newHistogram();
    const all = newHistogram();
    for (let i = 1; i <= 5000; i++) {
      const v = ((i * 7919) % 100_000) + 1;
      record(i % 2 ? a : b, v);
      record(all, v);
    }
    const merged = mergeHistograms([decodeHistogram(encodeHistogram(a)), decodeHistogram(encodeHistogram(b))]);
    expect(summarize(merged)).toEqual(summarize(all));
  });

  test("an empty histogram summarizes to zeros, and negative values clamp to 0", () => {
    expect(summarize(newHistogram())).toEqual({ count: 0, min: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, mean: 0, stdev: 0 });
    const h = newHistogram();
    record(h, -5);
    expect(summarize(h).count).toBe(1);
    expect(summarize(h).max).toBe(0);
  });
});
