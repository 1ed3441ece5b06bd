import { describe, expect, test } from "bun:test";
import { decodeHistogram } from "./histogram.ts";
import { IntervalRecorder, mergeIntervals } from "./timeline.ts";

const MS = 1e6;

describe("IntervalRecorder", () => {
  test("a completion lands in the interval it completes in; a quiet stretch leaves empty intervals", () => {
    const r = new IntervalRecorder(100 * MS);
    r.start(1000 * MS);
    r.roll(1010 * MS);
    r.record(2 * MS);
    r.roll(1050 * MS);
    r.record(4 * MS);
    r.error();
    // Nothing for 250 ms, then one slow completion.
    r.roll(1360 * MS);
    r.record(300 * MS);
    const shares = r.finish(1400 * MS);
    expect(shares.map((s) => [s.startMs, s.lengthMs, s.count, s.errors])).toEqual([
      [0, 100, 2, 1],
      [100, 100, 0, 0],
      [200, 100, 0, 0],
      [300, 100, 1, 0],
    ]);
    expect(decodeHistogram(shares[3]!.histogram).maxValue).toBeGreaterThanOrEqual(300 * MS);
  });

  test("a last sliver shorter than half an interval joins the one before; a longer one stands alone", () => {
    const sliver = new IntervalRecorder(100 * MS);
    sliver.start(0);
    sliver.record(1 * MS);
    sliver.roll(120 * MS);
    sliver.record(9 * MS);
    const joined = sliver.finish(120 * MS);
    expect(joined.map((s) => [s.startMs, s.lengthMs, s.count])).toEqual([[0, 120, 2]]);
    expect(decodeHistogram(joined[0]!.histogram).totalCount).toBe(2);

    const half = new IntervalRecorder(100 * MS);
    half.start(0);
    half.record(1 * MS);
    half.roll(170 * MS);
    half.record(9 * MS);
    expect(half.finish(170 * MS).map((s) => [s.startMs, s.lengthMs, s.count])).toEqual([
      [0, 100, 1],
      [100, 70, 1],
    ]);
  });
});

describe("mergeIntervals", () => {
  test("the i-th intervals of several processes add up; figures come from the added histograms", () => {
    const part = (values: number[]) => {
      const r = new IntervalRecorder(1000 * MS);
      r.start(0);
      for (const v of values) r.record(v);
      return r.finish(1000 * MS);
    };
    const [merged] = mergeIntervals([part([1 * MS, 2 * MS]), part([3 * MS, 100 * MS])]);
    expect(merged!.count).toBe(4);
    expect(merged!.rate).toBe(4);
    expect(merged!.max).toBeGreaterThanOrEqual(100 * MS);
    expect(merged!.p50).toBeGreaterThanOrEqual(2 * MS);
    expect(merged!.p50).toBeLessThan(2.01 * MS);
    expect(decodeHistogram(merged!.histogram).totalCount).toBe(4);
  });
});
