import { describe, expect, test } from "bun:test";
import { parseBenchArgs } from "../cli/options.ts";
import type { BenchConfig } from "../model/config.ts";
import { relaysOf } from "./bench.ts";
import { planOf } from "./index.ts";

/** The relays a command line's plan goes through. */
function relays(...argv: string[]): ("tcp" | "udp")[] {
  const config = parseBenchArgs(argv);
  if (config === "help" || "listMetrics" in config) throw new Error("not a run");
  return relaysOf(planOf(config as BenchConfig));
}

describe("which relays a run goes through (and so which overheads it measures first)", () => {
  test("without --net: the distance scenario and the suite's distance section relay TCP; nothing else relays", () => {
    expect(relays("distance", "--transports", "ws,http")).toEqual(["tcp"]);
    expect(relays("suite")).toEqual(["tcp"]);
    expect(relays("suite", "--transports", "udp")).toEqual([]);
    expect(relays("suite", "--transports", "tcp,udp")).toEqual([]); // no WebSocket or HTTP: no distance section
    expect(relays("rtt")).toEqual([]);
  });

  test("with --net: TCP for the stream transports, UDP where the scenario runs UDP", () => {
    expect(relays("rtt", "--net", "wifi")).toEqual(["tcp", "udp"]);
    expect(relays("rtt", "--net", "wifi", "--transports", "udp")).toEqual(["udp"]);
    expect(relays("udp", "--net", "wifi")).toEqual(["udp"]);
    expect(relays("push", "--net", "wifi")).toEqual(["tcp"]);
    expect(relays("connect", "--net", "lan")).toEqual(["tcp"]);
  });
});
