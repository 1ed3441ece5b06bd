import { describe, expect, test } from "bun:test";
import { SequenceTracker } from "./sequence.ts";

describe("SequenceTracker", () => {
  test("a clean stream: nothing lost, reordered or duplicated, zero jitter at constant transit", () => {
    const t = new SequenceTracker();
    for (let i = 0; i < 100; i++) t.arrive(i, i * 1000, i * 1000 + 50_000);
    expect(t.report(100)).toEqual({ sent: 100, received: 100, lost: 0, reordered: 0, duplicated: 0, late: 0, jitterNs: 0 });
  });

  test("counts every 10th datagram lost", () => {
    const t = new SequenceTracker();
    for (let i = 0; i < 100; i++) if (i % 10 !== 9) t.arrive(i, 0, 10);
    expect(t.report(100)).toMatchObject({ received: 90, lost: 10 });
  });

  test("counts a late arrival as reordered and a repeat as duplicated", () => {
    const t = new SequenceTracker();
    for (const seq of [0, 2, 1, 3, 3, 4]) t.arrive(seq, 0, 10);
    expect(t.report(5)).toMatchObject({ received: 5, lost: 0, reordered: 1, duplicated: 1 });
  });

  test("jitter follows RFC 3550: J += (|D| - J) / 16", () => {
    const t = new SequenceTracker();
    // Transit times 100, 116, 100: D = 16 then 16; J = 1, then 1 + (16 - 1)/16 = 1.9375.
    t.arrive(0, 0, 100);
    t.arrive(1, 1000, 1116);
    t.arrive(2, 2000, 2100);
    expect(t.report(3).jitterNs).toBeCloseTo(1.9375, 10);
  });

  test("a negative or fractional sequence number counts as a duplicate, not a crash", () => {
    const t = new SequenceTracker();
    t.arrive(-1, 0, 1);
    t.arrive(1.5, 0, 1);
    expect(t.report(4)).toMatchObject({ received: 0, lost: 4, duplicated: 2 });
  });

  test("grows past its first allocation", () => {
    const t = new SequenceTracker();
    for (let i = 0; i < 100_000; i += 3) t.arrive(i, 0, 1);
    expect(t.report(100_000)).toMatchObject({ received: 33_334, lost: 66_666, reordered: 0 });
  });

  test("a reply after its timeout is late, not lost, and not timed", () => {
    const t = new SequenceTracker();
    t.arrive(0, 0, 10);
    t.arriveLate(1);
    t.arriveLate(1);
    expect(t.report(2)).toMatchObject({ received: 2, lost: 0, late: 1, duplicated: 1 });
  });
});
