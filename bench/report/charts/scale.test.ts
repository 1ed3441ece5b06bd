import { expect, test } from "bun:test";
import {
  bandScale,
  fromNines,
  linearScale,
  log2Scale,
  logScale,
  niceCeil125,
  niceFloor125,
  niceStep,
  nines,
  percentileSamples,
  percentileScale,
} from "./scale.ts";
import { compact, latencyTick, size } from "./units.ts";

const labels = (ticks: { label: string }[]) => ticks.map((t) => t.label).filter(Boolean);

test("the percentile axis gives each nine the same room", () => {
  const s = percentileScale(99.99);
  expect(s.fraction(0)).toBe(0);
  expect(s.fraction(90)).toBeCloseTo(0.25, 12);
  expect(s.fraction(99)).toBeCloseTo(0.5, 12);
  expect(s.fraction(99.9)).toBeCloseTo(0.75, 12);
  expect(s.fraction(99.99)).toBeCloseTo(1, 12);
  expect(s.fraction(100)).toBe(1);
  expect(labels(s.ticks)).toEqual(["0%", "50%", "90%", "99%", "99.9%", "99.99%"]);
  expect(fromNines(3)).toBe(99.9);
  expect(nines(99)).toBeCloseTo(2, 12);
});

test("percentile samples run from p0 to the top and include every labelled tick", () => {
  const ps = percentileSamples(99.99);
  expect(ps[0]).toBe(0);
  expect(ps.at(-1)).toBe(99.99);
  for (const p of [50, 90, 99, 99.9]) expect(ps).toContain(p);
  expect([...ps].sort((a, b) => a - b)).toEqual(ps);
});

test("linear scales start at zero and end on a round step", () => {
  expect(niceStep(230, 5)).toBe(50);
  expect(niceStep(0.7, 5)).toBe(0.2);
  const s = linearScale([49_855, 199_807], (v) => String(v / 1000));
  expect(s.domain).toEqual([0, 200_000]);
  expect(labels(s.ticks)).toEqual(["0", "50", "100", "150", "200"]);
  expect(linearScale([199_807], String, { headroom: 0.1 }).domain[1]).toBe(250_000);
  // A flat series still gets an axis.
  expect(linearScale([0, 0], String).domain).toEqual([0, 1]);
});

test("log scales widen to 1-2-5 values and label what fits", () => {
  expect(niceFloor125(12_152)).toBe(10_000);
  expect(niceFloor125(49_000)).toBe(20_000);
  expect(niceCeil125(4_505_599)).toBe(5_000_000);
  expect(niceCeil125(1000)).toBe(1000);
  const narrow = logScale([12_152, 4_505_599], latencyTick);
  expect(narrow.domain).toEqual([10_000, 5_000_000]);
  expect(labels(narrow.ticks)).toEqual(["10 µs", "20 µs", "50 µs", "100 µs", "200 µs", "500 µs", "1 ms", "2 ms", "5 ms"]);
  // Push: 3.7 decades, still 1-2-5.
  expect(labels(logScale([243_199, 983_564_287], latencyTick).ticks)).toEqual([
    "200 µs",
    "500 µs",
    "1 ms",
    "2 ms",
    "5 ms",
    "10 ms",
    "20 ms",
    "50 ms",
    "100 ms",
    "200 ms",
    "500 ms",
    "1 s",
  ]);
  const wide = logScale([12_000, 983_564_287], latencyTick);
  expect(labels(wide.ticks)).toEqual(["10 µs", "100 µs", "1 ms", "10 ms", "100 ms", "1 s"]);
  expect(wide.ticks.length).toBeGreaterThan(4); // minor gridlines between the decades
  expect(wide.fraction(wide.domain[0])).toBe(0);
  expect(wide.fraction(wide.domain[1])).toBeCloseTo(1, 12);
  // Nothing positive to show: an axis all the same, not NaN.
  expect(logScale([0], String).domain).toEqual([1, 10]);
});

test("message sizes sit on powers of two with room at both ends", () => {
  const s = log2Scale([64, 16_384], size);
  expect(labels(s.ticks)).toEqual(["64 B", "256 B", "1 KiB", "4 KiB", "16 KiB"]);
  expect(s.fraction(64)).toBeGreaterThan(0);
  expect(s.fraction(16_384)).toBeLessThan(1);
  expect(labels(log2Scale([64, 1024], size).ticks)).toEqual(["64 B", "128 B", "256 B", "512 B", "1 KiB"]);
});

test("categories take equal bands", () => {
  const s = bandScale(["a", "b", "c", "d"]);
  expect([0, 1, 2, 3].map((i) => s.fraction(i))).toEqual([0.125, 0.375, 0.625, 0.875]);
});

test("tick labels", () => {
  expect(latencyTick(20_000)).toBe("20 µs");
  expect(latencyTick(1_500_000)).toBe("1.5 ms");
  expect(latencyTick(1e9)).toBe("1 s");
  expect(latencyTick(500)).toBe("500 ns");
  expect(compact(250_000)).toBe("250k");
  expect(compact(1_500_000)).toBe("1.5M");
  expect(compact(950)).toBe("950");
  expect(size(16_384)).toBe("16 KiB");
  expect(size(1 << 20)).toBe("1 MiB");
});
