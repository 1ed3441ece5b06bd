import { describe, expect, test } from "bun:test";
import { FRAME_HEADER_BYTES, FrameDecoder, FrameTooLargeError, encodeFrame, wholeFrames } from "./frame.ts";

function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (i * 31 + seed) & 0xff;
  return out;
}

function decodeAll(decoder: FrameDecoder, chunks: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const chunk of chunks) decoder.push(chunk, (frame, start, end) => out.push(frame.slice(start + FRAME_HEADER_BYTES, end)));
  return out;
}

describe("encodeFrame", () => {
  test("prefixes a big-endian length", () => {
    const frame = encodeFrame(bytes(258));
    expect(frame.length).toBe(262);
    expect([...frame.subarray(0, 4)]).toEqual([0, 0, 1, 2]);
    expect(frame.subarray(FRAME_HEADER_BYTES)).toEqual(bytes(258));
  });
});

describe("FrameDecoder", () => {
  const payloads = [bytes(0), bytes(1, 2), bytes(5, 3), bytes(0), bytes(300, 4)];
  const stream = Uint8Array.from(payloads.flatMap((p) => [...encodeFrame(p)]));

  test("decodes frames packed into one chunk, empty ones included", () => {
    expect(decodeAll(new FrameDecoder(1024), [stream])).toEqual(payloads);
  });

  test("decodes the same stream split at every possible point", () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const decoder = new FrameDecoder(1024);
      expect(decodeAll(decoder, [stream.subarray(0, cut), stream.subarray(cut)])).toEqual(payloads);
      expect(decoder.buffered).toBe(0);
    }
  });

  test("decodes the stream fed one byte at a time", () => {
    const chunks = [...stream].map((b) => Uint8Array.of(b));
    expect(decodeAll(new FrameDecoder(1024), chunks)).toEqual(payloads);
  });

  test("reports the bytes held for an incomplete frame", () => {
    const decoder = new FrameDecoder(1024);
    decodeAll(decoder, [encodeFrame(bytes(100)).subarray(0, 2)]);
    expect(decoder.buffered).toBe(2);
    decodeAll(decoder, [encodeFrame(bytes(100)).subarray(2, 50)]);
    expect(decoder.buffered).toBe(50);
  });

  test("reserves memory in step with the bytes received, not the length claimed", () => {
    const decoder = new FrameDecoder(1 << 20);
    const frame = encodeFrame(bytes(1 << 20));
    decodeAll(decoder, [frame.subarray(0, 1004)]);
    expect(decoder.reserved).toBeLessThanOrEqual(4096);
    decodeAll(decoder, [frame.subarray(1004, 300_000)]);
    expect(decoder.reserved).toBeLessThanOrEqual(600_000);
    const out = decodeAll(decoder, [frame.subarray(300_000)]);
    expect(out).toEqual([bytes(1 << 20)]);
    expect(decoder.reserved).toBe(0);
  });

  test("accepts a payload of exactly the limit and refuses one byte more", () => {
    expect(decodeAll(new FrameDecoder(64), [encodeFrame(bytes(64))])).toEqual([bytes(64)]);
    expect(() => decodeAll(new FrameDecoder(64), [encodeFrame(bytes(65))])).toThrow(FrameTooLargeError);
  });

  test("refuses a 4 GiB length before allocating anything, even when split", () => {
    const header = Uint8Array.of(0xff, 0xff, 0xff, 0xff);
    expect(() => decodeAll(new FrameDecoder(1 << 20), [header])).toThrow(/4294967295 bytes/);
    const decoder = new FrameDecoder(1 << 20);
    expect(() => decodeAll(decoder, [header.subarray(0, 3), header.subarray(3)])).toThrow(FrameTooLargeError);
  });

  test("hands out a whole frame including its header", () => {
    const seen: number[] = [];
    new FrameDecoder(16).push(encodeFrame(bytes(3)), (_frame, start, end) => seen.push(end - start));
    expect(seen).toEqual([FRAME_HEADER_BYTES + 3]);
  });
});

describe("wholeFrames", () => {
  const a = encodeFrame(new Uint8Array(10).fill(1));
  const b = encodeFrame(new Uint8Array(0));
  const both = new Uint8Array([...a, ...b, ...a]);
  test("a chunk of whole frames: how many", () => {
    expect(wholeFrames(a, 100)).toBe(1);
    expect(wholeFrames(both, 100)).toBe(3);
  });
  test("a chunk that ends mid-frame or mid-header, or holds a frame over the limit: -1", () => {
    expect(wholeFrames(both.subarray(0, both.length - 1), 100)).toBe(-1);
    expect(wholeFrames(both.subarray(0, a.length + 2), 100)).toBe(-1);
    expect(wholeFrames(a, 9)).toBe(-1);
    expect(wholeFrames(new Uint8Array(0), 100)).toBe(0);
  });
});
