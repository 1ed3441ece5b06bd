import { describe, expect, test } from "bun:test";
import { currentQuickSuiteFixture, exampleSuite, quickSuiteFixture } from "../../test/support/fixtures.ts";
import { evaluateAssertions, parseAssertions } from "./assertions.ts";
import { plannedMetricNames } from "../scenarios/index.ts";
import { parseBenchArgs } from "../cli/options.ts";
import { metricsOf } from "./figures.ts";
import type { BenchResult } from "./results.ts";
import type { BenchConfig } from "./config.ts";

const suite = parseBenchArgs([]) as BenchConfig;
const fixture = quickSuiteFixture();
const result = fixture;

function parse(...texts: string[]) {
  const problems: string[] = [];
  return { assertions: parseAssertions(texts, new Set(plannedMetricNames(suite)), suite.scenario, problems), problems };
}

describe("parsing thresholds", () => {
  test("times, shares and rates are converted to the metric's unit", () => {
    const { assertions, problems } = parse(
      "ws.rtt.p99 < 2ms",
      "udp.loss <= 0.1%",
      "tcp.throughput.rate > 100k/s",
      "http.load.p99 < 500us",
      "sse.push.requests < 0.5",
    );
    expect(problems).toEqual([]);
    expect(assertions.map((a) => [a.metric, a.op, a.bound])).toEqual([
      ["ws.rtt.p99", "<", 2e6],
      ["udp.loss", "<=", 0.001],
      ["tcp.throughput.rate", ">", 100_000],
      ["http.load.p99", "<", 500_000],
      ["sse.push.requests", "<", 0.5],
    ]);
  });

  test("a sweep point may be named", () => {
    expect(parse("tcp.throughput@1024B.rate > 1k/s").problems).toEqual([]);
    expect(parse("ws-new.distance@100ms.p50 < 350ms", "ws-new.distance.rtts < 3.2").problems).toEqual([]);
  });

  test("connect under --net names TCP by what it times there: a message on a new connection", () => {
    const names = (argv: string[]) => plannedMetricNames(parseBenchArgs(argv) as BenchConfig);
    expect(names(["connect"])).toContain("tcp.connect.p50");
    expect(names(["connect", "--net", "lan"])).toContain("tcp-new.connect.p50");
    expect(names(["connect", "--net", "lan"])).not.toContain("tcp.connect.p50");
  });

  test("bad syntax, unknown metrics and wrong units are each one clear problem", () => {
    const { problems } = parse("ws.rtt.p99 2ms", "quic.rtt.p99 < 1ms", "ws.rtt.p99 < 5%");
    expect(problems).toHaveLength(3);
    expect(problems[0]).toContain("write it as <metric> <op> <value>");
    expect(problems[1]).toContain('no metric "quic.rtt.p99" in a suite run; valid names include');
    expect(problems[2]).toBe('--assert "ws.rtt.p99 < 5%": ws.rtt.p99 is a time (use ns, us, ms or s); "%" does not fit');
  });

  test.each([
    ["a full suite", [] as string[], exampleSuite()],
    ["a quick suite", ["--quick"], currentQuickSuiteFixture()],
  ])("every name offered for %s is one a real run of it produces (or an optional figure)", (_name, argv, recorded) => {
    const produced = new Set([...metricsOf(recorded as unknown as BenchResult).keys()].map((k) => k.replace(/@[0-9]+(B|ms)?(?=\.)/, "")));
    const optional = /(\.uncorrected\.p99|\.late|\.loss|\.jitter|\.wire\.(up|down)|\.bytes)$/;
    const config = parseBenchArgs(argv) as BenchConfig;
    const missing = plannedMetricNames(config).filter((name) => !optional.test(name) && !produced.has(name));
    expect(missing).toEqual([]);
  });
});

describe("evaluating thresholds", () => {
  test("pass and fail against a recorded run; a metric the run lacks fails", () => {
    const ws = metricsOf(result).get("ws.rtt.p99")!.value;
    const { assertions } = parse(`ws.rtt.p99 < ${Math.ceil(ws / 1000) + 1}us`, `ws.rtt.p99 < ${Math.floor(ws / 1000) - 1}us`, "tcp.load@99999.p99 < 1ms");
    const outcomes = evaluateAssertions(assertions, result);
    expect(outcomes.map((o) => o.pass)).toEqual([true, false, false]);
    expect(outcomes[0]!.measured).toBe(ws);
    expect(outcomes[2]!.measured).toBeUndefined();
  });
});
