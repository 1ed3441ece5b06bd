import { describe, expect, test } from "bun:test";
import { SseDecoder, encodeSse, sharedClockMs, type ServerEvent } from "./events.ts";

const events: ServerEvent[] = [
  { id: 1, t: 1000.5, data: "first" },
  { id: 2, t: 1001.25, data: "line\nbreak and : colon" },
];

describe("SSE encoding", () => {
  test("round-trips events through the decoder, split at every point", () => {
    const wire = `retry: 1000\n\n: comment\n\n${events.map(encodeSse).join("")}`;
    for (let cut = 0; cut <= wire.length; cut++) {
      const decoder = new SseDecoder();
      expect([...decoder.push(wire.slice(0, cut)), ...decoder.push(wire.slice(cut))]).toEqual(events);
    }
  });

  test("accepts CRLF line endings", () => {
    expect(new SseDecoder().push(encodeSse(events[0]!).replace(/\n/g, "\r\n"))).toEqual([events[0]!]);
  });

  test("rejects data that is not an event", () => {
    expect(() => new SseDecoder().push('data: {"nope":1}\n\n')).toThrow(/not an event/);
  });
});

test("the shared clock reads the wall clock", () => {
  expect(Math.abs(sharedClockMs() - Date.now())).toBeLessThan(50);
});
