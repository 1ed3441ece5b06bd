import { expect, test } from "bun:test";
import { bestOffset } from "./clock-offset.ts";

test("the fastest round trip gives the offset, and half of it is the uncertainty", () => {
  // The server's clock runs 250 ms ahead. Slow samples read it late or early; the fast one is exact.
  const samples = [
    { t0: 1000, server: 1262, t1: 1010 }, // 10 ms round trip, answer read late
    { t0: 2000, server: 2250.5, t1: 2001 }, // 1 ms round trip: the best
    { t0: 3000, server: 3249, t1: 3008 },
  ];
  const c = bestOffset(samples);
  expect(c.offsetMs).toBeCloseTo(250, 9);
  expect(c.uncertaintyMs).toBeCloseTo(0.5, 9);
  expect(c.samples).toBe(3);
});

test("no samples is an error, not a silent zero", () => {
  expect(() => bestOffset([])).toThrow(/no clock samples/);
});
