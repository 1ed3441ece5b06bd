import { describe, expect, test } from "bun:test";
import { UsageError } from "../../lib/errors.ts";
import { parseBenchArgs, parseQuantity } from "./options.ts";
import type { BenchConfig } from "../model/config.ts";

const parse = (argv: string[]) => parseBenchArgs(argv) as BenchConfig;

function problemsOf(argv: string[]): string[] {
  try {
    parseBenchArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return err.problems;
    throw err;
  }
  return [];
}

describe("quantities", () => {
  test("sizes read k and m as KiB and MiB; rates as thousands and millions", () => {
    expect(parseQuantity("64", true)).toBe(64);
    expect(parseQuantity("64k", true)).toBe(65_536);
    expect(parseQuantity("1KiB", true)).toBe(1024);
    expect(parseQuantity("1m", true)).toBe(1 << 20);
    expect(parseQuantity("5k", false)).toBe(5000);
    expect(parseQuantity("1.5m", false)).toBe(1_500_000);
    expect(parseQuantity("1kb", true)).toBe(1000);
    expect(parseQuantity("12 parsecs", false)).toBeUndefined();
    expect(parseQuantity("0.5", true)).toBeUndefined();
  });
});

describe("bench options", () => {
  test("no arguments: the suite, all four transports, defaults left to the scenarios", () => {
    const c = parse([]);
    expect(c.scenario).toBe("suite");
    expect(c.transports).toEqual(["tcp", "udp", "ws", "http"]);
    expect(c.clients).toBeUndefined();
    expect(c.sizes).toBeUndefined();
    expect(c.pin).toBe("none");
    expect(c.timeoutMs).toBe(2000);
  });

  test("lists, durations and flags are read", () => {
    const c = parse(["throughput", "--transports", "tcp,ws", "-s", "64,1k", "-d", "500ms", "--warmup", "0", "-w", "8", "-c", "4", "--procs", "2", "-q"]);
    expect(c).toMatchObject({
      scenario: "throughput",
      transports: ["tcp", "ws"],
      sizes: [64, 1024],
      durationMs: 500,
      warmupMs: 0,
      window: 8,
      clients: 4,
      procs: 2,
      quick: true,
    });
  });

  test("every problem is reported at once, one line each", () => {
    expect(problemsOf(["rtt", "--transports", "tcp,quic", "--clients", "0", "--window", "4", "--timeout", "never"])).toEqual([
      '--transports: unknown transport "quic" (use tcp, udp, ws, http, https, wss)',
      '--clients must be a whole number from 1 to 10000, got "0"',
      '--timeout must be a duration such as 5, 2s or 250ms (at most 600 s), got "never"',
      "--window is 1 by definition in rtt: use throughput for a pipeline",
    ]);
  });

  test("limits that depend on other options", () => {
    expect(problemsOf(["throughput", "--size", "65536"])).toEqual([]); // UDP is skipped there, and the report says so
    expect(problemsOf(["load", "--clients", "2", "--procs", "4"])).toEqual([
      "--clients (2) must be at least --workers (4): every swarm process needs a connection",
    ]);
    expect(problemsOf(["rtt", "--subscribers", "5"])).toEqual(["--subscribers is for the push, fanout and distance scenarios, not rtt"]);
    expect(problemsOf(["push", "--rate", "5"])).toEqual(["--rate is for echo scenarios; push uses --event-rate and --event-size"]);
    expect(problemsOf(["udp", "--transports", "tcp"])).toEqual(["the udp scenario is UDP only: --transports does not apply"]);
  });

  test("distance: --rtts is its list of round-trip times; it sets its own delays, so --net is refused", () => {
    expect(parse(["distance", "--rtts", "0,20,150"])).toMatchObject({ scenario: "distance", rtts: [0, 20, 150] });
    expect(parse(["distance", "--rtts", "0ms,40ms"]).rtts).toEqual([0, 40]);
    expect(problemsOf(["distance", "--rtts", "20,1kb,20,3000"])).toEqual([
      '--rtts: "1kb" is not a round-trip time from 0 to 2000 ms (e.g. 0,20,100 or 20ms)',
      "--rtts: 20 ms is given twice",
      '--rtts: "3000" is not a round-trip time from 0 to 2000 ms (e.g. 0,20,100 or 20ms)',
    ]);
    expect(problemsOf(["distance", "--rtts", "50"])).toEqual([
      "--rtts needs at least two different round-trip times: a row's cost is the slope of its latency between them",
    ]);
    expect(problemsOf(["suite", "--net", "lan", "--rtts", "0,50"])).toEqual(["--rtts does nothing with --net: the suite then leaves its distance section out"]);
    expect(problemsOf(["suite", "--transports", "tcp,udp", "--rtts", "0,50"])).toEqual([
      "--rtts does nothing without ws or http in --transports: the suite then has no distance section",
    ]);
    expect(problemsOf(["distance", "--rtts", "0,0.0004"])).toEqual(["--rtts: 0 ms is given twice"]); // the relay's grid is 2 µs of round trip
    expect(problemsOf(["distance", "--net", "wifi", "--rtts", "0,x", "--rate", "5"])).toEqual([
      '--rtts: "x" is not a round-trip time from 0 to 2000 ms (e.g. 0,20,100 or 20ms)',
      "distance sets its own delays (--rtts): --net does not combine with it",
      "--rate does not apply to distance: each row is one message or event at a time",
    ]);
    expect(problemsOf(["distance", "--transports", "udp"])).toEqual([
      "distance compares tcp, ws, http, https and wss: --transports needs at least one of them",
    ]);
    expect(problemsOf(["rtt", "--rtts", "0,20"])).toEqual(["--rtts is for the distance scenario (and the suite's distance section), not rtt"]);
    expect(problemsOf(["suite", "--rtts", "0,50"])).toEqual([]);
  });

  test("stages and the capacity search: their options, where they apply, and what they exclude", () => {
    expect(problemsOf(["load", "--stages", "10s:1k,30s:10k,10s:10k"])).toEqual([]);
    expect(problemsOf(["load", "--stages", "500,2s:1k"])).toEqual([]);
    expect(problemsOf(["load", "--stages", "10s:1k,fast", "--rate", "5k", "-d", "3"])).toEqual([
      '--stages: "fast" is not a stage: write LENGTH:RATE, e.g. 10s:1k (at least 100ms long, at most 10m/s)',
      "--stages sets the rates and the length: --rate does not combine with it",
      "--stages sets the rates and the length: --duration does not combine with it",
    ]);
    expect(problemsOf(["load", "--stages", "10s:0"])).toEqual(["--stages: every stage is at rate 0: nothing would be sent"]);
    expect(problemsOf(["rtt", "--stages", "1s:1k"])).toEqual(["--stages ramps an open loop: it is for the load scenario, not rtt"]);
    expect(problemsOf(["capacity", "--slo", "p99<5ms,p50<500us", "--max-rate", "50k", "--precision", "2%"])).toEqual([]);
    expect(problemsOf(["capacity", "--slo", "p99 under 5ms", "--rate", "1k,2k", "-n", "100", "--workers", "2", "-c", "4"])).toEqual([
      '--slo: "p99 under 5ms" is not an objective: write a percentile below a time, e.g. "p99<5ms" or "p50<500us,max<1s"',
      "--rate in capacity is the first step's rate: give one value",
      "capacity steps by time (--duration is each step's length): --count does not apply",
      "capacity judges each step on the whole load, in one swarm process: --workers must be 1",
    ]);
    expect(problemsOf(["capacity", "--rate", "20k", "--max-rate", "10k", "--precision", "90"])).toEqual([
      '--precision: "90" is not a percentage from 0.5 to 50',
      "--rate 20000 is above --max-rate 10000",
    ]);
    expect(problemsOf(["load", "--slo", "p99<5ms"])).toEqual(["--slo is for the capacity scenario, not load"]);
  });

  test("--start-at: epoch ms, an ISO time or +DURATION, in the future and within a day", () => {
    const soon = Date.now() + 60_000;
    const at = (raw: string) => (parseBenchArgs(["rtt", "--start-at", raw]) as BenchConfig).startAtMs!;
    expect(at(String(soon))).toBe(soon);
    expect(at(new Date(soon).toISOString())).toBe(soon);
    expect(Math.abs(at("+30s") - (Date.now() + 30_000))).toBeLessThan(1000);
    expect(problemsOf(["rtt", "--start-at", "soon"])).toEqual([
      '--start-at: "soon" is not a time: give epoch milliseconds, an ISO time such as 2026-12-02T10:00:00Z, or +30s',
    ]);
    expect(problemsOf(["rtt", "--start-at", "2020-01-01T00:00:00Z"])[0]).toMatch(/^--start-at 2020-01-01T00:00:00Z is [\d.]+ s in the past$/);
    expect(problemsOf(["rtt", "--start-at", "+2d"])).toEqual([
      '--start-at: "+2d" is not a time: give epoch milliseconds, an ISO time such as 2026-12-02T10:00:00Z, or +30s',
    ]);
    expect(problemsOf(["rtt", "--start-at", "+1500m"])).toEqual(["--start-at +1500m is more than a day away"]);
  });

  test("--help wins over everything else", () => {
    expect(parseBenchArgs(["--help", "--bogus"])).toBe("help");
  });
});
