import { describe, expect, test } from "bun:test";
import { constantArrivals, RateRamp } from "./arrivals.ts";

const S = 1e9;

describe("arrivals", () => {
  test("a constant rate: operation k is due at k intervals, and dueBefore counts them", () => {
    const a = constantArrivals(1000);
    expect(a.dueNs(0)).toBe(0);
    expect(a.dueNs(250)).toBeCloseTo(0.25 * S, 0);
    expect(a.dueBefore(0.25 * S)).toBe(250);
    expect(a.dueBefore(0.25 * S + 1)).toBe(251);
  });

  test("a ramp from 0 to 1000/s over 1 s holds 500 operations, thickening as it goes", () => {
    const ramp = new RateRamp();
    ramp.append(1 * S, 0, 1000);
    expect(ramp.dueBefore(1 * S)).toBe(500);
    // Cumulative arrivals are 500 t²: operation 125 is due at t = 0.5 s.
    expect(ramp.dueNs(125)).toBeCloseTo(0.5 * S, -3);
    expect(ramp.dueNs(500)).toBe(Number.POSITIVE_INFINITY);
    const gaps = [1, 100, 400].map((k) => ramp.dueNs(k + 1) - ramp.dueNs(k));
    expect(gaps[0]!).toBeGreaterThan(gaps[1]!);
    expect(gaps[1]!).toBeGreaterThan(gaps[2]!);
  });

  test("segments follow one another: every due time is increasing, and dueBefore inverts dueNs", () => {
    const ramp = new RateRamp();
    ramp.append(1 * S, 0, 1000);
    ramp.append(2 * S, 1000, 3000);
    ramp.append(1 * S, 3000, 3000);
    ramp.append(0.5 * S, 3000, 0);
    // 500 + 4000 + 3000 + 750
    const total = ramp.dueBefore(ramp.endNs);
    expect(total).toBe(8250);
    let previous = -1;
    for (let k = 0; k < total; k++) {
      const due = ramp.dueNs(k);
      expect(due).toBeGreaterThan(previous);
      expect(ramp.dueBefore(due)).toBe(k);
      previous = due;
    }
    expect(ramp.dueNs(total)).toBe(Number.POSITIVE_INFINITY);
  });

  test("a stretch at rate 0 is quiet, and a segment appended later resumes the count", () => {
    const ramp = new RateRamp();
    ramp.append(1 * S, 100, 100);
    ramp.append(0.3 * S, 0, 0);
    expect(ramp.dueNs(100)).toBe(Number.POSITIVE_INFINITY);
    ramp.append(1 * S, 200, 200);
    expect(ramp.dueNs(100)).toBeCloseTo(1.3 * S, 0);
    expect(ramp.dueBefore(ramp.endNs)).toBe(300);
  });
});
