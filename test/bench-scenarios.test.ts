import { afterAll, expect, test } from "bun:test";
import { parseBenchArgs } from "../bench/cli/options.ts";
import { evaluateAssertions } from "../bench/model/assertions.ts";
import { metricsOf } from "../bench/model/figures.ts";
import { renderMarkdown } from "../bench/report/markdown.ts";
import { run } from "../bench/scenarios/bench.ts";
import type { Section } from "../bench/model/results.ts";
import { killAll } from "./support/processes.ts";
import type { BenchConfig } from "../bench/model/config.ts";

afterAll(killAll);

async function scenario(argv: string[]): Promise<Section> {
  const config = parseBenchArgs(argv) as BenchConfig;
  const result = await run(config, () => {});
  expect(result.sections).toHaveLength(1);
  expect(renderMarkdown(result)).toContain("## Reproduce"); // every section renders
  return result.sections[0]!;
}

test("connect: TCP connects, WebSocket handshakes and HTTP per-request connections are counted", async () => {
  const s = await scenario(["connect", "-c", "2", "-d", "0.3", "--warmup", "0.05"]);
  if (s.kind !== "connect") throw new Error(s.kind);
  expect(s.runs.map((r) => r.spec.driver)).toEqual(["tcp-connect", "ws-connect", "http-close"]);
  expect(s.skipped).toEqual(["UDP: connectionless, nothing to set up"]);
  for (const r of s.runs) {
    expect(r.counts.completed).toBeGreaterThan(50);
    expect(r.counts.errors).toEqual({});
  }
  expect(s.timeWait).toHaveLength(3);
}, 30_000);

test("udp: an echoed sweep and a one-way sweep, each with its loss accounted", async () => {
  const s = await scenario(["udp", "-r", "2000,4000", "-d", "0.3", "--warmup", "0.05"]);
  if (s.kind !== "udp") throw new Error(s.kind);
  expect(s.runs.map((r) => r.spec.ratePerSec)).toEqual([2000, 4000]);
  expect(s.oneWay.map((r) => r.spec.driver)).toEqual(["udp-oneway", "udp-oneway"]);
  for (const r of s.runs) expect(r.sequence.received + r.sequence.lost).toBe(r.sequence.sent);
  for (const r of s.oneWay) {
    expect(r.oneWay!.sent).toBeGreaterThan(0);
    expect(r.oneWay!.received + r.oneWay!.lost).toBe(r.oneWay!.sent);
  }
}, 30_000);

test("fanout: every subscriber gets every event, for each pattern and subscriber count", async () => {
  const s = await scenario(["fanout", "--subscribers", "5,20", "--event-rate", "20", "-d", "0.5", "--warmup", "0.1"]);
  if (s.kind !== "fanout") throw new Error(s.kind);
  expect(s.runs.map((r) => `${r.spec.pattern}:${r.spec.subscribers}`)).toEqual(["ws:5", "sse:5", "long:5", "ws:20", "sse:20", "long:20"]);
  for (const r of s.runs) {
    expect(r.delivered).toBe(r.expected);
    expect(r.events).toBeGreaterThan(0);
  }
}, 60_000);

test("load: a rate sweep runs in increasing order and reports a knee (or none) per transport", async () => {
  const s = await scenario(["load", "--transports", "tcp,ws", "-r", "3000,1000", "-c", "2", "-d", "0.3", "--warmup", "0.05"]);
  if (s.kind !== "load") throw new Error(s.kind);
  expect(s.runs.map((r) => `${r.spec.driver}@${r.spec.ratePerSec}`)).toEqual(["tcp@1000", "tcp@3000", "ws@1000", "ws@3000"]);
  expect(s.knees.map((k) => k.driver)).toEqual(["tcp", "ws"]);
  for (const r of s.runs) expect(r.uncorrected.count).toBe(r.latency.count);
}, 30_000);

test("throughput: a size sweep, with UDP skipped (and said so) above its datagram limit", async () => {
  const s = await scenario(["throughput", "--transports", "udp,tcp", "-s", "64,65536", "-w", "4", "-n", "500", "--warmup", "0"]);
  if (s.kind !== "throughput") throw new Error(s.kind);
  expect(s.runs.map((r) => `${r.spec.driver}:${r.spec.size}`)).toEqual(["udp:64", "tcp:64", "tcp:65536"]);
  expect(s.skipped).toEqual(["UDP at 65536 B: a datagram carries at most 65507 B"]);
  for (const r of s.runs) expect(r.counts.completed).toBe(500);
}, 30_000);

test("distance: through the relay at two round-trip times, each row costs the round trips the lab's reasoning gives it", async () => {
  const config = parseBenchArgs([
    "distance",
    "--quick",
    "--transports",
    "ws,http",
    "--rtts",
    "0,40",
    "--intervals",
    "100",
    "--assert",
    "ws-new.distance.rtts < 3.3",
  ]) as BenchConfig;
  const result = await run(config, () => {});
  const s = result.sections[0]!;
  if (s.kind !== "distance") throw new Error(s.kind);
  expect(s.rttsMs).toEqual([0, 40]);
  expect(s.runs.map((r) => `${r.spec.driver}@${r.spec.net?.delayMs}ms`)).toEqual([
    "ws@0ms",
    "ws-new@0ms",
    "http@0ms",
    "http-close@0ms",
    "wss-new@0ms",
    "https-close@0ms",
    "ws@20ms",
    "ws-new@20ms",
    "http@20ms",
    "http-close@20ms",
    "wss-new@20ms",
    "https-close@20ms",
  ]);
  expect(s.push.map((r) => `${r.spec.pattern}${r.spec.intervalMs || ""}`)).toEqual(["ws", "long", "short100", "ws", "long", "short100"]);
  for (const r of s.runs) expect(r.counts.errors).toEqual({});
  for (const r of s.push) expect(r.delivered).toBe(r.expected);
  const metrics = metricsOf(result);
  // The relay adds each delay in full (its tare takes off only its own cost), so a row can cost
  // less only through a wrong slope; the upper margin allows for a slow machine (a quarter of a
  // round trip is 10 ms here).
  for (const [subject, roundTrips] of [
    ["ws", 1],
    ["ws-new", 3],
    ["http", 1],
    ["http-close", 2],
    ["wss-new", 4],
    ["https-close", 3],
    ["ws-push", 0.5],
  ] as const) {
    const measured = metrics.get(`${subject}.distance.rtts`)!.value;
    expect(measured).toBeGreaterThan(roundTrips - 0.05);
    expect(measured).toBeLessThan(roundTrips + 0.25);
  }
  expect(metrics.get("long.distance.rtts")!.value).toBeGreaterThan(0.45);
  const [threshold] = evaluateAssertions(config.assertions, result);
  expect(threshold).toMatchObject({ metric: "ws-new.distance.rtts", pass: true, unit: "ratio" });
  expect(metrics.get("ws.distance@40ms.p50")!.value).toBeGreaterThanOrEqual(40e6);
  const markdown = renderMarkdown(result);
  expect(markdown).toContain("| WebSocket message, new connection | 3 (TCP handshake, upgrade, message) |");
  expect(markdown).toContain("p50 at 40 ms");
  expect(markdown).not.toContain("Network conditions:"); // each run's own conditions, stated in the section
  // What the relay itself adds was measured first, and the report says so.
  expect(result.relayOverhead?.map((o) => o.transport)).toEqual(["tcp"]);
  expect(result.relayOverhead![0]!.addedP50Ns).toBeLessThan(1e6);
  expect(result.relayOverhead![0]!.relayedP50Ns).toBeGreaterThan(0);
  expect(markdown).toContain("The distance section runs through a relay in user space. The relay itself adds");
  expect(markdown).toMatch(
    /It released bytes at most [\d.]+ [µm]?s \(p50\) and [\d.]+ [µm]?s \(p99\) after they were due, \d+ of [\d,]+ releases over 1 ms late\./,
  );
}, 60_000);
