// Stages and the capacity search on virtual time: exact counts, a known limit found.
import { describe, expect, test } from "bun:test";
import { FakeScheduler, fakeServerPipe } from "../../test/support/fake-scheduler.ts";
import { capacitySearch, type CapacityOptions } from "./capacity.ts";
import { Session } from "./session.ts";
import { stagedLoop } from "./stages.ts";

const MS = 1_000_000;
const S = 1_000_000_000;

function setup(opts: Parameters<typeof fakeServerPipe>[2], pipes: number) {
  const clock = new FakeScheduler();
  const session = new Session(clock, 2 * S);
  for (let i = 0; i < pipes; i++) session.add(fakeServerPipe(clock, session.eventsFor(session.pipes), opts));
  return { clock, session };
}

/** A capacity search on virtual time, with the options every test here shares unless given. */
function search(session: Session, clock: FakeScheduler, opts: Partial<CapacityOptions> & Pick<CapacityOptions, "objectives" | "startPerSec">) {
  const options: CapacityOptions = { maxPerSec: 1_000_000, stepNs: 1 * S, precision: 0.05, warmupNs: 0, maxInflightPerPipe: 1000, ...opts };
  return drive(clock, capacitySearch(session, options), 120 * S);
}

/** Advances virtual time in small steps, letting awaiting code run between them, until `p` settles. */
async function drive<T>(clock: FakeScheduler, p: Promise<T>, horizonNs: number): Promise<T> {
  let settled = false;
  p.finally(() => (settled = true));
  for (let t = 0; !settled && t <= horizonNs; t += MS) {
    clock.run(t);
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (!settled) throw new Error("did not finish within the horizon");
  return p;
}

describe("stages", () => {
  test("each stage sends what its rate line encloses, and its figures are its own", async () => {
    const { clock, session } = setup({ serviceNs: 1 * MS, parallel: true }, 4);
    const stages = [
      { lengthNs: 1 * S, fromPerSec: 0, toPerSec: 1000 },
      { lengthNs: 2 * S, fromPerSec: 1000, toPerSec: 3000 },
      { lengthNs: 1 * S, fromPerSec: 3000, toPerSec: 3000 },
    ];
    await drive(clock, stagedLoop(session, stages, { warmupNs: 200 * MS, maxInflightPerPipe: 100 }), 20 * S);
    const shares = session.segments!.shares();
    expect(shares.map((s) => s.sent)).toEqual([500, 4000, 3000]);
    expect(shares.map((s) => s.completed)).toEqual([500, 4000, 3000]);
    expect(session.result().counts.sent).toBe(7500);
  });
});

describe("capacity search", () => {
  test("finds a server's limit: two connections, each served one at a time in 200 µs (10,000/s in all)", async () => {
    const { clock, session } = setup({ serviceNs: 200_000 }, 2);
    const found = await search(session, clock, { objectives: [{ percentile: 99, boundNs: 5 * MS, text: "p99<5ms" }], startPerSec: 1000, warmupNs: 100 * MS });
    expect(found.ratePerSec).toBeDefined();
    expect(found.ratePerSec!).toBeGreaterThanOrEqual(9000);
    expect(found.ratePerSec!).toBeLessThanOrEqual(10_000);
    expect(found.failedAtPerSec!).toBeGreaterThan(found.ratePerSec!);
    expect((found.failedAtPerSec! - found.ratePerSec!) / found.ratePerSec!).toBeLessThanOrEqual(0.05);
    expect(found.confirmed).toBe(true);
    // Doubling went 1k, 2k, 4k, 8k, then 16k broke it.
    expect(found.steps.slice(0, 5).map((s) => [s.ratePerSec, s.pass])).toEqual([
      [1000, true],
      [2000, true],
      [4000, true],
      [8000, true],
      [16_000, false],
    ]);
    expect(found.steps.at(-1)!.confirmation).toBe(true);
  });

  test("a server no rate satisfies: the search steps down and says none held", async () => {
    const { clock, session } = setup({ serviceNs: 20 * MS, parallel: true }, 1);
    const found = await search(session, clock, { objectives: [{ percentile: 50, boundNs: 5 * MS, text: "p50<5ms" }], startPerSec: 8, maxPerSec: 100 });
    expect(found.ratePerSec).toBeUndefined();
    expect(found.steps.map((s) => s.ratePerSec)).toEqual([8, 4, 2, 1]);
    expect(found.steps.every((s) => !s.pass && s.broke?.objective === "p50<5ms")).toBe(true);
  });
});
