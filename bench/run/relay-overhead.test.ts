import { describe, expect, test } from "bun:test";
import { relaysOf } from "./relay-overhead.ts";

describe("which relays a run goes through (and so which overheads it measures first)", () => {
  const all = ["tcp", "udp", "ws", "http"] as const;
  test("without --net: the distance scenario and the suite's distance section relay TCP; nothing else relays", () => {
    expect(relaysOf({ scenario: "distance", transports: ["ws", "http"] })).toEqual(["tcp"]);
    expect(relaysOf({ scenario: "suite", transports: [...all] })).toEqual(["tcp"]);
    expect(relaysOf({ scenario: "suite", transports: ["udp"] })).toEqual([]);
    expect(relaysOf({ scenario: "suite", transports: ["tcp", "udp"] })).toEqual([]); // no WebSocket or HTTP: no distance section
    expect(relaysOf({ scenario: "rtt", transports: [...all] })).toEqual([]);
  });

  test("with --net: TCP for the stream transports, UDP where the scenario runs UDP", () => {
    expect(relaysOf({ scenario: "rtt", net: "wifi", transports: [...all] })).toEqual(["tcp", "udp"]);
    expect(relaysOf({ scenario: "rtt", net: "wifi", transports: ["udp"] })).toEqual(["udp"]);
    expect(relaysOf({ scenario: "udp", net: "wifi", transports: [...all] })).toEqual(["udp"]);
    expect(relaysOf({ scenario: "push", net: "wifi", transports: [...all] })).toEqual(["tcp"]);
    expect(relaysOf({ scenario: "connect", net: "lan", transports: [...all] })).toEqual(["tcp"]);
  });
});
