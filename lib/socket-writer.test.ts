import { describe, expect, test } from "bun:test";
import { LENGTH_PREFIXED } from "../protocol/frame.ts";
import { GatheringWriter, SocketWriter } from "./socket-writer.ts";

/** A socket that records each write, taking at most `take` bytes of each (all by default). */
function recorder(take = Number.POSITIVE_INFINITY) {
  const writes: number[][] = [];
  const socket = {
    write(d: Uint8Array) {
      const n = Math.min(take, d.length);
      writes.push([...d.subarray(0, n)]);
      return n;
    },
  };
  return { writes, writer: new SocketWriter(socket, 1 << 20) };
}

describe("GatheringWriter", () => {
  test("a lone message goes at once; a turn of several leaves together as the turn ends, each length-prefixed", async () => {
    const { writes, writer } = recorder();
    const g = new GatheringWriter(writer, LENGTH_PREFIXED);
    g.write(new Uint8Array([1, 2]));
    g.write(new Uint8Array([3]));
    g.write(new Uint8Array([4, 5, 6]));
    expect(writes).toEqual([[0, 0, 0, 2, 1, 2]]);
    await Promise.resolve();
    expect(writes).toEqual([
      [0, 0, 0, 2, 1, 2],
      [0, 0, 0, 1, 3, 0, 0, 0, 3, 4, 5, 6],
    ]);
    // After a turn of several, the next turn's first message waits for the rest of its turn too.
    g.write(new Uint8Array([7]));
    g.write(new Uint8Array([8]));
    expect(writes).toHaveLength(2);
    await Promise.resolve();
    expect(writes.at(-1)).toEqual([0, 0, 0, 1, 7, 0, 0, 0, 1, 8]);
    // A turn with one message, and the one after it goes straight out again.
    g.write(new Uint8Array([9]));
    await Promise.resolve();
    g.write(new Uint8Array([10]));
    expect(writes.at(-1)).toEqual([0, 0, 0, 1, 10]);
  });

  test("what the kernel does not take is kept as a copy: the reused buffer cannot change it", async () => {
    const { writes, writer } = recorder(3);
    const g = new GatheringWriter(writer);
    g.write(new Uint8Array([1, 2, 3, 4, 5]));
    expect(writer.pending).toBe(2);
    g.write(new Uint8Array([9, 9, 9]));
    await Promise.resolve();
    writer.drain();
    expect(writes.flat()).toEqual([1, 2, 3, 4, 5, 9, 9, 9]);
  });

  test("a large message goes on its own, after what was gathered; a full writer refuses", async () => {
    const { writes, writer } = recorder();
    const g = new GatheringWriter(writer);
    g.write(new Uint8Array([1]));
    g.write(new Uint8Array([2]));
    g.write(new Uint8Array(10_000).fill(3));
    expect(writes.map((w) => w.length)).toEqual([1, 1, 10_000]);
    const small = new SocketWriter({ write: () => 0 }, 4);
    const h = new GatheringWriter(small);
    expect(h.write(new Uint8Array(3))).toBe(true);
    expect(h.write(new Uint8Array(3))).toBe(false);
  });
});
