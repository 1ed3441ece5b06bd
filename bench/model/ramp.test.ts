import { describe, expect, test } from "bun:test";
import { parseObjectives } from "../stats/objective.ts";
import { newHistogram, record } from "../stats/histogram.ts";
import { mergeStageResults, parseStages, segmentFigures } from "./ramp.ts";
import type { StageResult } from "./results.ts";

describe("--stages and --slo, as written", () => {
  test("stages ramp from the rate before them; a bare rate first sets where the ramp starts", () => {
    expect(parseStages("10s:1k,30s:10k,10s:10k")).toEqual([
      { lengthMs: 10_000, fromPerSec: 0, toPerSec: 1000 },
      { lengthMs: 30_000, fromPerSec: 1000, toPerSec: 10_000 },
      { lengthMs: 10_000, fromPerSec: 10_000, toPerSec: 10_000 },
    ]);
    expect(parseStages("500, 2s:1.5k, 500ms:0")).toEqual([
      { lengthMs: 2000, fromPerSec: 500, toPerSec: 1500 },
      { lengthMs: 500, fromPerSec: 1500, toPerSec: 0 },
    ]);
    expect(parseStages("50ms:1k")).toContain("is not a stage");
    expect(parseStages("1s:1k:2")).toContain("is not a stage");
    expect(parseStages("x,1s:1k")).toContain("starting rate");
  });

  test("objectives: percentiles (or max) below a time, in ns", () => {
    expect(parseObjectives("p99<5ms, p50<500us,max<1s,p99.9<2ms")).toEqual([
      { percentile: 99, boundNs: 5e6, text: "p99<5ms" },
      { percentile: 50, boundNs: 5e5, text: "p50<500us" },
      { percentile: 100, boundNs: 1e9, text: "max<1s" },
      { percentile: 99.9, boundNs: 2e6, text: "p99.9<2ms" },
    ]);
    for (const bad of ["p99>5ms", "p99<5", "p0<1ms", "rate<5ms", "p99<0ms"]) expect(parseObjectives(bad)).toBeTypeOf("string");
  });
});

test("stages of runs made at once merge: counts and rates add, latency from the histograms added", () => {
  const stage = (values: number[], from: number, to: number): StageResult => {
    const h = newHistogram();
    for (const v of values) record(h, v);
    const merged = { sent: values.length, completed: values.length, timeouts: 0, errors: 0, latency: h, lag: newHistogram() };
    return { startMs: 0, lengthMs: 1000, fromPerSec: from, toPerSec: to, ...segmentFigures(merged, 1000) };
  };
  const a = [stage([1000, 2000, 3000], 0, 100)];
  const b = [stage([4000, 5000, 6000, 7000], 0, 100)];
  const [m] = mergeStageResults([a, b]);
  expect(m!.sent).toBe(7);
  expect(m!.toPerSec).toBe(200);
  expect(m!.achievedPerSec).toBe(7);
  expect(m!.latency.max).toBeGreaterThanOrEqual(7000);
  expect(m!.latency.max).toBeLessThan(7010);
  expect(m!.latency.p50).toBeGreaterThanOrEqual(4000);
  expect(m!.latency.p50).toBeLessThan(4010);
});
