import { expect, test } from "bun:test";
import { InflightTable } from "./inflight.ts";

test.each([
  ["grows as it needs", undefined],
  ["is held to 256 slots, so stragglers move to a map", 256],
])("the ring agrees with a map of the same operations through growth, holes and out-of-order ends: it %s", (_, maxSlots) => {
  const table = new InflightTable(maxSlots);
  const model = new Map<number, { intended: number; sent: number; measured: boolean }>();
  let mostStragglers = 0;
  let random = 12345;
  const next = (n: number): number => {
    random = (random * 1103515245 + 12345) & 0x7fffffff;
    return random % n;
  };
  for (let step = 0; step < 20_000; step++) {
    // Mostly adds at first, so the span grows past several doublings; then as many ends as adds.
    if (model.size === 0 || next(step < 5000 ? 4 : 2) === 0) {
      const op = { intended: step * 10, sent: step * 10 + next(5), measured: next(3) > 0 };
      const seq = table.add(op.intended, op.sent, op.measured);
      expect(seq).toBe(table.issued - 1);
      model.set(seq, op);
    } else {
      const inFlight = [...model.keys()];
      // The newest often (so old ones linger and the span outgrows a small ring), the oldest
      // sometimes (the usual case), else any, so holes open and close.
      const pick = next(4);
      const seq = pick === 0 ? Math.min(...inFlight) : pick === 1 ? Math.max(...inFlight) : inFlight[next(inFlight.length)]!;
      expect(table.has(seq)).toBe(true);
      const op = model.get(seq)!;
      expect([table.intendedOf(seq), table.sentOf(seq), table.measuredOf(seq)]).toEqual([op.intended, op.sent, op.measured]);
      table.remove(seq);
      model.delete(seq);
      expect(table.has(seq)).toBe(false);
    }
    expect(table.size).toBe(model.size);
    mostStragglers = Math.max(mostStragglers, table.stragglerCount);
    if (step % 997 === 0) {
      expect(table.inOrder()).toEqual([...model.keys()].sort((a, b) => a - b));
      expect(table.first()).toBe(model.size === 0 ? -1 : Math.min(...model.keys()));
    }
  }
  // Held to a small ring, operations really did fall behind it; unbounded, none ever did.
  if (maxSlots === undefined) expect(mostStragglers).toBe(0);
  else expect(mostStragglers).toBeGreaterThan(0);
  expect(table.has(-1)).toBe(false);
  expect(table.has(table.issued)).toBe(false);
});
