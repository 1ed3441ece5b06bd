import { describe, expect, test } from "bun:test";
import { encodeFrame } from "../protocol/frame.ts";
import { replyCutter, type StreamOptions } from "./tcp.ts";

const text = (s: string): Uint8Array => new TextEncoder().encode(s);

/** The replies a stream is cut into, fed as the given chunks, each copied out of its range. */
function cut(options: StreamOptions, chunks: Uint8Array[]): string[] {
  const replies: string[] = [];
  const push = replyCutter(options, (bytes, start, end) => replies.push(new TextDecoder().decode(bytes.slice(start, end))));
  for (const chunk of chunks) push(chunk);
  return replies;
}

/** Every way of splitting `stream` in two, and one byte at a time, must cut into the same replies. */
function splits(stream: Uint8Array): Uint8Array[][] {
  const out: Uint8Array[][] = [[stream], Array.from(stream, (b) => Uint8Array.of(b))];
  for (let at = 1; at < stream.length; at++) out.push([stream.subarray(0, at), stream.subarray(at)]);
  return out;
}

describe("replies cut from a TCP stream, however it is split", () => {
  test("length framing: each frame's payload", () => {
    const stream = Uint8Array.from([...encodeFrame(text("ab")), ...encodeFrame(text("")), ...encodeFrame(text("cde"))]);
    for (const chunks of splits(stream)) expect(cut({ frame: "length" }, chunks)).toEqual(["ab", "", "cde"]);
  });

  test("no framing with a reply size: every that many bytes", () => {
    for (const chunks of splits(text("abcdefghijkl"))) expect(cut({ frame: "none", replyBytes: 4 }, chunks)).toEqual(["abcd", "efgh", "ijkl"]);
  });

  test("line framing: each line without its LF and the CR before it; an unfinished line waits", () => {
    for (const chunks of splits(text("PONG\r\n\nsecond\nthird\r\npart"))) expect(cut({ frame: "line" }, chunks)).toEqual(["PONG", "", "second", "third"]);
  });

  test("no framing and no size: each read is a reply", () => {
    expect(cut({ frame: "none" }, [text("ab"), text("c")])).toEqual(["ab", "c"]);
  });
});
