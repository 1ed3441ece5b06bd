import { describe, expect, test } from "bun:test";
import { Pacer } from "./pacer.ts";
import { percentile } from "./percentile.ts";
import { seededRandom } from "./random.ts";

/** Resolves when the pacer has run everything, bounded by timeoutMs. */
async function drained(pacer: Pacer, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (pacer.pending > 0) {
    if (Date.now() > deadline) throw new Error(`${pacer.pending} callbacks still waiting after ${timeoutMs} ms`);
    await Bun.sleep(2);
  }
}

describe("Pacer", () => {
  test("runs callbacks in order of their instants, ties first come first served", async () => {
    const pacer = new Pacer();
    const random = seededRandom(1);
    const start = Bun.nanoseconds() + 1e6;
    const ran: number[] = [];
    const instants: number[] = [];
    for (let i = 0; i < 500; i++) {
      // Whole milliseconds, so many share an instant and the tie rule is exercised.
      const at = start + Math.floor(random() * 20) * 1e6;
      instants.push(at);
      pacer.at(at, () => ran.push(i));
    }
    await drained(pacer, 2000);
    const expected = instants
      .map((at, i) => ({ at, i }))
      .sort((a, b) => a.at - b.at || a.i - b.i)
      .map((e) => e.i);
    expect(ran).toEqual(expected);
  }, 5000);

  test("runs within microseconds of the instant, not on Bun's 1 ms timer grid", async () => {
    const pacer = new Pacer();
    const late: number[] = [];
    for (let i = 0; i < 60; i++) {
      const at = Bun.nanoseconds() + (2 + (i % 7) * 0.37) * 1e6;
      await new Promise<void>((resolve) =>
        pacer.at(at, () => {
          late.push(Bun.nanoseconds() - at);
          resolve();
        }),
      );
    }
    late.sort((a, b) => a - b);
    const p50Us = percentile(late, 50) / 1000;
    console.log(`pacer lateness: p50 ${p50Us.toFixed(1)} µs, p90 ${(percentile(late, 90) / 1000).toFixed(1)} µs, max ${(late.at(-1)! / 1000).toFixed(1)} µs`);
    expect(late[0]).toBeGreaterThanOrEqual(0); // never early
    expect(p50Us).toBeLessThan(100); // a setTimeout alone would be ~100-1000 µs late
  }, 10_000);

  test("spins only while something is due within a millisecond plus its margin: idle, or waiting far ahead, it burns no CPU", async () => {
    const pacer = new Pacer();
    let ran = false;
    pacer.at(Bun.nanoseconds() + 150e6, () => (ran = true));
    const before = process.cpuUsage();
    await Bun.sleep(100);
    expect(pacer.isSpinning).toBe(false);
    await drained(pacer, 1000);
    expect(ran).toBe(true);
    await Bun.sleep(50); // idle now
    expect(pacer.isSpinning).toBe(false);
    const used = process.cpuUsage(before);
    // ~200 ms of wall time; a spin over all of it would cost ~200 ms of CPU, the last 2.5 ms at most about 3.
    expect((used.user + used.system) / 1000).toBeLessThan(60);
  }, 5000);

  test("stats: lateness mean, median, p99 (rounded up to the microsecond) and worst, exactly", () => {
    let clock = 1e9;
    const pacer = new Pacer(() => clock);
    // Instants already past run at once, each exactly i µs late: 1..100 µs.
    for (let i = 1; i <= 100; i++) pacer.at(clock - i * 1000, () => {});
    expect(pacer.stats()).toMatchObject({
      ran: 100,
      meanLateUs: 50.5,
      p50LateUs: 50,
      p99LateUs: 99,
      maxLateUs: 100,
      lateOver1ms: 0,
      spinMs: 0,
      timerOvershootP90Us: 0,
      spinMarginUs: 1500,
    });
    // 1.5 µs rounds up to 2; 2.5 ms is over 1 ms and the new worst.
    clock += 10_000_000;
    pacer.at(clock - 1500, () => {});
    pacer.at(clock - 2_500_000, () => {});
    const s = pacer.stats();
    expect(s).toMatchObject({ ran: 102, maxLateUs: 2500, lateOver1ms: 1, p50LateUs: 50, p99LateUs: 100 });
    expect(s.meanLateUs).toBeCloseTo((5050 + 1.5 + 2500) / 102, 9);
  });

  test("the spin margin follows the timer's overshoot (p90 + 0.1 ms), starting from 1.5 ms; nothing runs early", async () => {
    const pacer = new Pacer();
    expect(pacer.spinMarginNs).toBe(1_500_000);
    const early: number[] = [];
    for (let i = 0; i < 24; i++) {
      // 3.4 ms ahead: one timer of 1 to 3 ms, then the spin.
      const at = Bun.nanoseconds() + 3.4e6;
      await new Promise<void>((resolve) =>
        pacer.at(at, () => {
          if (Bun.nanoseconds() < at) early.push(at - Bun.nanoseconds());
          resolve();
        }),
      );
    }
    const s = pacer.stats();
    console.log(
      `pacer: timer overshoot p90 ${s.timerOvershootP90Us.toFixed(0)} µs, margin ${s.spinMarginUs.toFixed(0)} µs, spin ${s.spinMs.toFixed(1)} ms for ${s.ran} callbacks, late p50 ${s.p50LateUs} µs, p99 ${s.p99LateUs} µs`,
    );
    expect(early).toEqual([]);
    expect(s.ran).toBe(24);
    // Every callback needed a timer, so the margin was learnt from real overshoots, not left at 1.5 ms.
    expect(s.timerOvershootP90Us).toBeGreaterThan(0);
    expect(s.spinMarginUs).toBeCloseTo(Math.min(1500, Math.max(50, s.timerOvershootP90Us + 100)), 6);
    expect(s.p50LateUs).toBeLessThanOrEqual(s.p99LateUs);
    expect(s.p99LateUs).toBeLessThanOrEqual(s.maxLateUs);
  }, 10_000);

  test("an instant already past runs at once when nothing earlier waits; cancel drops one owner's callbacks", async () => {
    const pacer = new Pacer();
    let now = false;
    pacer.at(Bun.nanoseconds() - 1000, () => (now = true));
    expect(now).toBe(true);

    const mine = {};
    const ran: string[] = [];
    const at = Bun.nanoseconds() + 3e6;
    pacer.at(at, () => ran.push("mine"), mine);
    pacer.at(at, () => ran.push("other"), {});
    pacer.cancel(mine);
    expect(pacer.pending).toBe(1);
    await drained(pacer, 1000);
    expect(ran).toEqual(["other"]);
  }, 5000);
});
