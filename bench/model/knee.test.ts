import { expect, test } from "bun:test";
import { findKnee } from "./knee.ts";
import type { LoadResult } from "./results.ts";

function run(rate: number, opsPerSec: number, p99Ns: number, unsent = 0): LoadResult {
  return { spec: { ratePerSec: rate }, opsPerSec, latency: { p99: p99Ns }, counts: { sent: rate, unsent } } as unknown as LoadResult;
}

test("no knee while latency stays flat and every offered message completes", () => {
  expect(findKnee([run(1000, 1000, 200e3), run(5000, 4990, 300e3), run(10_000, 9980, 400e3)])).toEqual({});
});

test("the knee is the first rate whose p99 climbs 5x above the low-load p99 (and past 1 ms)", () => {
  const knee = findKnee([run(1000, 1000, 300e3), run(5000, 5000, 800e3), run(10_000, 10_000, 2e6), run(20_000, 19_000, 50e6)]);
  expect(knee.rate).toBe(10_000);
  expect(knee.reason).toContain("p99 2.0 ms");
});

test("the knee is where the server completes less than 95% of the offered rate", () => {
  expect(findKnee([run(1000, 1000, 100e3), run(50_000, 40_000, 150e3)])).toEqual({ rate: 50_000, reason: "completed 40000/s of 50000/s offered" });
});

test("sends piling up unsent mark the knee too", () => {
  expect(findKnee([run(1000, 1000, 100e3), run(8000, 7990, 120e3, 500)]).rate).toBe(8000);
});
