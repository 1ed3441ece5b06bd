import { afterAll, expect, test } from "bun:test";
import { parseBenchArgs } from "../bench/cli/options.ts";
import { metricsOf } from "../bench/model/figures.ts";
import type { BenchConfig } from "../bench/model/config.ts";
import { renderMarkdown } from "../bench/report/markdown.ts";
import { tlsFindings } from "../bench/report/tls-findings.ts";
import { run } from "../bench/scenarios/bench.ts";
import { killAll } from "./support/processes.ts";

afterAll(killAll);

function config(...argv: string[]): BenchConfig {
  return parseBenchArgs(argv) as BenchConfig;
}

test("https and wss: our TLS servers answer every message, keep-alive and on new connections", async () => {
  // Runs of a second: long enough for the kernel's byte counters to be read around the measured
  // phase (in a run of a few milliseconds they may not be).
  const result = await run(config("rtt", "--transports", "http,https,wss", "-d", "1", "--warmup", "0.1"), () => {});
  const s = result.sections[0]!;
  if (s.kind !== "rtt") throw new Error(s.kind);
  expect(s.runs.map((r) => r.spec.driver)).toEqual(["http", "http-close", "https", "https-close", "wss"]);
  for (const r of s.runs.filter((r) => r.spec.driver !== "http" && r.spec.driver !== "http-close")) {
    expect(r.tls).toEqual({ version: "TLSv1.3", cipher: expect.stringMatching(/^TLS_/) });
    expect(r.counts.completed).toBeGreaterThan(100);
    expect(r.counts.completed).toBe(r.counts.sent);
    expect(r.counts.errors).toEqual({});
    expect(r.counts.timeouts).toBe(0);
  }
  expect(renderMarkdown(result)).toContain(`TLS negotiated: HTTPS keep-alive, HTTPS (new connection), WSS: TLSv1.3, ${s.runs[2]!.tls!.cipher}.`);
  // The findings say what TLS adds beside plain HTTP: CPU on both sides, and bytes per request
  // (each record's header and tag, some tens of bytes).
  const [keepAlive, fresh] = tlsFindings(result);
  const bytes = Number(/; (\d+) more bytes per request and reply on the wire/.exec(keepAlive!)?.[1]);
  expect(keepAlive).toStartWith("What TLS adds to HTTP keep-alive: HTTPS keep-alive took server CPU ");
  // TLS 1.3: 5 bytes of record header, 1 of content type, 16 of tag, each way: 44 (an
  // occasional pure ACK among the segments counted would pull the per-segment figure a little).
  expect(bytes).toBeGreaterThanOrEqual(40);
  expect(bytes).toBeLessThanOrEqual(48);
  expect(fresh).toMatch(
    /^What TLS adds to HTTP \(new connection\): HTTPS \(new connection\) took server CPU .+ per operation against .+, client .+ against .+\.$/,
  );
}, 60_000);

test("distance: HTTPS on a new connection costs 3 round trips (TCP, TLS 1.3, request), WSS 4 (TCP, TLS, upgrade, message); TLS adds none once open", async () => {
  // A far point of 100 ms: a TLS handshake's CPU (several ms on a busy two-CPU machine, most of
  // the near point's latency) varies from run to run, and at 100 ms the same few ms move the
  // slope two and a half times less than at 40 ms.
  const result = await run(config("distance", "--quick", "--transports", "https,wss", "--rtts", "0,100"), () => {});
  const metrics = metricsOf(result);
  // The relay adds each delay in full (its tare takes off only its own cost), so a row can cost
  // less only through a wrong slope; the upper margin allows for a slow machine (a quarter of a
  // round trip is 25 ms here).
  for (const [subject, roundTrips] of [
    ["https", 1],
    ["https-close", 3],
    ["wss", 1],
    ["wss-new", 4],
  ] as const) {
    const measured = metrics.get(`${subject}.distance.rtts`)!.value;
    expect(measured).toBeGreaterThan(roundTrips - 0.05);
    expect(measured).toBeLessThan(roundTrips + 0.25);
  }
}, 90_000);
