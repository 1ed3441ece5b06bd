import { describe, expect, test } from "bun:test";
import { CLIENT_BINARY, OP_CLOSE, OP_PING, ServerFrameReader, WsProtocolError, controlFrame } from "./ws-frames.ts";

/** Reads one masked client frame back: opcode, FIN, payload unmasked. */
function unmask(frame: Uint8Array): { fin: boolean; opcode: number; payload: Uint8Array } {
  expect(frame[1]! & 0x80).toBe(0x80);
  let length = frame[1]! & 0x7f;
  let at = 2;
  if (length === 126) {
    length = (frame[2]! << 8) | frame[3]!;
    at = 4;
  } else if (length === 127) {
    length = Number(new DataView(frame.buffer, frame.byteOffset).getBigUint64(2));
    at = 10;
  }
  const key = frame.subarray(at, at + 4);
  const payload = frame.subarray(at + 4).map((b, i) => b ^ key[i & 3]!);
  expect(payload.length).toBe(length);
  return { fin: (frame[0]! & 0x80) !== 0, opcode: frame[0]! & 0x0f, payload };
}

/** An unmasked server frame. */
function serverFrame(opcode: number, payload: Uint8Array, fin = true, extra = 0): Uint8Array {
  const n = payload.length;
  const head = n < 126 ? [n] : n < 65536 ? [126, n >> 8, n & 255] : [127, 0, 0, 0, 0, n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
  return new Uint8Array([(fin ? 0x80 : 0) | extra | opcode, ...head, ...payload]);
}

function reader(max = 1 << 20) {
  const messages: { text: boolean; bytes: number[] }[] = [];
  const controls: { opcode: number; bytes: number[] }[] = [];
  const r = new ServerFrameReader(max, {
    message: (bytes, start, end, text) => messages.push({ text, bytes: [...bytes.subarray(start, end)] }),
    control: (opcode, payload) => controls.push({ opcode, bytes: [...payload] }),
  });
  return { r, messages, controls };
}

const pattern = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);

describe("client frames", () => {
  test.each([0, 1, 3, 125, 126, 255, 256, 1021, 65535, 65536, 70001])("a %d-byte message is masked, sized and unmasks to itself, aligned or not", (n) => {
    const payload = pattern(n);
    for (const offset of [0, 1, 2, 3]) {
      const into = new Uint8Array(offset + CLIENT_BINARY.headerBytes(n) + n);
      CLIENT_BINARY.encode(payload, into, offset);
      const frame = unmask(into.subarray(offset));
      expect(frame).toMatchObject({ fin: true, opcode: 2 });
      expect(frame.payload).toEqual(payload);
    }
  });

  test("every frame gets its own key", () => {
    const a = controlFrame(OP_PING, pattern(8));
    const b = controlFrame(OP_PING, pattern(8));
    expect([...a.subarray(2, 6)]).not.toEqual([...b.subarray(2, 6)]);
    expect(unmask(a).payload).toEqual(unmask(b).payload);
  });
});

describe("ServerFrameReader", () => {
  test("whole frames in one chunk, then the same stream a byte at a time: the same messages", () => {
    const stream = new Uint8Array([
      ...serverFrame(2, pattern(10)),
      ...serverFrame(1, new TextEncoder().encode("hi")),
      ...serverFrame(2, pattern(300)),
      ...serverFrame(2, pattern(70_000)),
      ...serverFrame(2, new Uint8Array(0)),
    ]);
    const whole = reader();
    whole.r.push(stream);
    const bytewise = reader();
    for (let i = 0; i < stream.length; i++) bytewise.r.push(stream.subarray(i, i + 1));
    expect(whole.messages.map((m) => m.bytes.length)).toEqual([10, 2, 300, 70_000, 0]);
    expect(whole.messages[1]!.text).toBe(true);
    expect(bytewise.messages).toEqual(whole.messages);
    expect(whole.messages[3]!.bytes).toEqual([...pattern(70_000)]);
  });

  test("a fragmented message is joined, with a control frame between its fragments", () => {
    const { r, messages, controls } = reader();
    r.push(serverFrame(2, pattern(5), false));
    r.push(serverFrame(OP_PING, new Uint8Array([9])));
    r.push(serverFrame(0, pattern(3), false));
    expect(messages).toEqual([]);
    r.push(serverFrame(0, pattern(2)));
    expect(messages).toEqual([{ text: false, bytes: [...pattern(5), ...pattern(3), ...pattern(2)] }]);
    expect(controls).toEqual([{ opcode: OP_PING, bytes: [9] }]);
    r.push(serverFrame(OP_CLOSE, new Uint8Array([3, 232])));
    expect(controls.at(-1)).toEqual({ opcode: OP_CLOSE, bytes: [3, 232] });
  });

  test.each([
    ["a reserved bit", serverFrame(2, pattern(4), true, 0x40), /reserved bit/],
    ["a masked frame", new Uint8Array([0x82, 0x81, 1, 2, 3, 4, 5]), /masked frame/],
    ["a continuation with nothing begun", serverFrame(0, pattern(4)), /no message begun/],
    ["a fragmented ping", serverFrame(OP_PING, pattern(4), false), /control frame/],
    ["a ping over 125 bytes", serverFrame(OP_PING, pattern(126)), /control frame/],
    ["an unknown opcode", serverFrame(3, pattern(4)), /unknown opcode 3/],
    ["a message over the limit", serverFrame(2, pattern(101)), /over the 100-byte limit/],
    [
      "a new message inside a fragmented one",
      new Uint8Array([...serverFrame(2, pattern(4), false), ...serverFrame(2, pattern(4))]),
      /before the last one's final fragment/,
    ],
    [
      "fragments that add up over the limit",
      new Uint8Array([...serverFrame(2, pattern(60), false), ...serverFrame(0, pattern(60))]),
      /over the 100-byte limit/,
    ],
  ])("%s is a protocol error", (_what, bytes, message) => {
    const { r } = reader(100);
    expect(() => r.push(bytes)).toThrow(WsProtocolError);
    expect(() => reader(100).r.push(bytes)).toThrow(message);
  });

  test("a length claiming far more than arrives holds what arrived, not what was claimed", () => {
    const { r, messages } = reader();
    // A header that claims 1,000,000 bytes (0x0f4240), then 1000 of them.
    const head = new Uint8Array([0x82, 127, 0, 0, 0, 0, 0, 0x0f, 0x42, 0x40, ...pattern(1000)]);
    r.push(head);
    expect(messages).toEqual([]);
    expect((r as unknown as { partial: Uint8Array }).partial.length).toBeLessThanOrEqual(64 * 1024);
  });
});
