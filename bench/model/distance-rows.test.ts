import { describe, expect, test } from "bun:test";
import { pushPatterns } from "../scenarios/patterns.ts";
import { agrees, distanceDrivers, distanceRows, expectedText, roundTripsOf, rttOfRun, runAt } from "./distance-rows.ts";
import type { LoadResult, PushRunResult } from "./results.ts";

/** Just enough of a run for the grouping: its spec and its p50 (a run with no samples has p50 0). */
function load(driver: LoadResult["spec"]["driver"], rttMs: number, p50Ns: number, count = 100): LoadResult {
  return { spec: { driver, net: { delayMs: rttMs / 2, jitterMs: 0, loss: 0 } }, latency: { p50: p50Ns, count } } as unknown as LoadResult;
}
function push(pattern: PushRunResult["spec"]["pattern"], intervalMs: number, rttMs: number, p50Ns: number): PushRunResult {
  return {
    spec: { pattern, intervalMs, eventsPerSec: 100, net: { delayMs: rttMs / 2, jitterMs: 0, loss: 0 } },
    label: `${pattern} ${intervalMs}`,
    latency: { p50: p50Ns, count: 100 },
  } as unknown as PushRunResult;
}

describe("distance rows", () => {
  test("the slope of p50 against the round trip is the cost in round trips; the cost on this host alone cancels out", () => {
    expect(
      roundTripsOf([
        { rttMs: 0, p50Ns: 400e3 },
        { rttMs: 20, p50Ns: 40.4e6 },
        { rttMs: 100, p50Ns: 200.4e6 },
      ]),
    ).toBeCloseTo(2, 9);
    expect(roundTripsOf([{ rttMs: 50, p50Ns: 25e6 }])).toBeCloseTo(0.5, 9); // one distance: p50 ÷ RTT
    expect(roundTripsOf([{ rttMs: 0, p50Ns: 1e5 }])).toBeUndefined(); // nothing to divide by
    expect(roundTripsOf([])).toBeUndefined();
  });

  test("a run's round trip is twice its profile's one-way delay", () => {
    expect(rttOfRun(load("ws", 100, 0))).toBe(100);
    expect(rttOfRun(load("ws", 25, 0))).toBe(25);
    expect(rttOfRun({ spec: { driver: "ws" } } as unknown as LoadResult)).toBe(0);
  });

  test("runs group into one row per driver or pattern, request rows first, each with its reasoning", () => {
    const rows = distanceRows({
      runs: [load("ws", 0, 1e5), load("ws-new", 0, 5e5), load("ws", 40, 40.1e6), load("ws-new", 40, 120.5e6)],
      push: [push("ws", 0, 0, 2e5), push("short", 250, 0, 125e6), push("ws", 0, 40, 20.2e6), push("short", 250, 40, 165e6)],
    });
    expect(rows.map((r) => r.subject)).toEqual(["ws", "ws-new", "ws-push", "short250"]);
    expect(rows.map((r) => r.label)).toEqual(["WebSocket message, open connection", "WebSocket message, new connection", "ws 0", "short 250"]);
    expect(rows.map((r) => r.runs.length)).toEqual([2, 2, 2, 2]);
    expect(rows.map((r) => expectedText(r.expected))).toEqual(["1", "3", "0.5", "1"]);
    expect(rows.map((r) => Number(r.roundTrips!.toFixed(3)))).toEqual([1, 3, 0.5, 1]);
  });

  test("a run that measured nothing is left out of the slope and shows as missing", () => {
    const [row] = distanceRows({ runs: [load("ws", 0, 1e5), load("ws", 20, 20.1e6), load("ws", 100, 0, 0)], push: [] });
    expect(row!.roundTrips).toBeCloseTo(1, 2);
    expect(runAt(row!, 100)).toBeUndefined();
    expect(runAt(row!, 20)?.latency.p50).toBe(20.1e6);
  });

  test("long polling should cost one round trip when events outpace round trips, ½ to 1½ when they are sparse", () => {
    const long = (eventsPerSec: number) => {
      const runs = [0, 20, 100].map(
        (rtt) =>
          ({
            spec: { pattern: "long", intervalMs: 0, eventsPerSec, net: { delayMs: rtt / 2, jitterMs: 0, loss: 0 } },
            label: "long",
            latency: { p50: rtt * 1e6, count: 1 },
          }) as unknown as PushRunResult,
      );
      return distanceRows({ runs: [], push: runs })[0]!.expected;
    };
    expect(long(100)).toMatchObject({ low: 1, high: 1 }); // an event every 10 ms, round trips of 20 ms and more
    expect(long(20)).toMatchObject({ low: 0.5, high: 1.5 }); // every 50 ms
  });

  test("agreement allows a tenth of a round trip either side of the reasoning", () => {
    const longPolling = { low: 0.5, high: 1.5, why: "" };
    expect(agrees(0.41, longPolling)).toBe(true);
    expect(agrees(1.59, longPolling)).toBe(true);
    expect(agrees(0.39, longPolling)).toBe(false);
    expect(agrees(1.61, longPolling)).toBe(false);
  });

  test("what runs: the suite keeps to WebSocket against HTTP; the scenario adds TCP; both add WSS and HTTPS on a new connection", () => {
    const transports = ["tcp", "udp", "ws", "http"] as const;
    const tls = ["wss-new", "https-close"] as const;
    expect(distanceDrivers({ scenario: "distance", transports: [...transports] })).toEqual(["tcp-new", "ws", "ws-new", "http", "http-close", ...tls]);
    expect(distanceDrivers({ scenario: "suite", transports: [...transports] })).toEqual(["ws", "ws-new", "http", "http-close", ...tls]);
    // Chosen themselves, the TLS transports bring all their rows, and nothing is added twice.
    expect(distanceDrivers({ scenario: "distance", transports: ["ws", "wss"] })).toEqual(["ws", "ws-new", "wss", "wss-new"]);
    expect(pushPatterns({ transports: ["ws", "http"], intervals: undefined, quick: false }, "distance")).toEqual([
      { kind: "ws", intervalMs: 0 },
      { kind: "long", intervalMs: 0 },
      { kind: "short", intervalMs: 250 },
    ]);
    expect(pushPatterns({ transports: ["http"], intervals: [100, 1000], quick: true }, "distance").map((p) => p.intervalMs)).toEqual([0, 100, 1000]);
  });
});
