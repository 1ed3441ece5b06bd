// Stages and the capacity search, for real: a ramp through our own TCP server reaches each
// stage's rate; a search against a server built to answer at most 2,000 messages a second finds
// that limit.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sectionRuns, type BenchResult, type LoadResult } from "../bench/model/results.ts";
import { FOREIGN, startForeign, type ForeignServer } from "./support/foreign.ts";
import { killAll, runCli } from "./support/processes.ts";

const servers: ForeignServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  killAll();
});

async function bench(args: string[], out: string, timeoutMs: number): Promise<BenchResult> {
  const r = await runCli(["bench/cli/main.ts", ...args, "-o", out], "", timeoutMs);
  expect(r.code === 0 ? "" : r.stderr).toBe("");
  const json = readdirSync(out).find((f) => f.endsWith(".json"))!;
  return JSON.parse(readFileSync(join(out, json), "utf8")) as BenchResult;
}

test("--stages: each stage offers and gets its rate within 2%, on one set of connections; the over-time chart marks the stages", async () => {
  const out = mkdtempSync(join(tmpdir(), "socketlab-stages-"));
  const result = await bench(["load", "--transports", "tcp", "--stages", "1s:1k,1s:3k,1s:3k"], out, 60_000);
  const run = sectionRuns(result.sections[0]!)[0] as LoadResult;
  const stages = run.stages!;
  expect(stages.map((s) => [s.fromPerSec, s.toPerSec])).toEqual([
    [0, 1000],
    [1000, 3000],
    [3000, 3000],
  ]);
  // The rate line's area in each stage: 500, 2000 and 3000 messages.
  const expected = [500, 2000, 3000];
  stages.forEach((s, i) => {
    console.log(`stage ${i + 1}: sent ${s.sent}, answered ${s.completed} of ${expected[i]} due, p99 ${(s.latency.p99 / 1e3).toFixed(0)} µs`);
    expect(Math.abs(s.sent - expected[i]!)).toBeLessThanOrEqual(expected[i]! * 0.02);
    expect(Math.abs(s.completed - expected[i]!)).toBeLessThanOrEqual(expected[i]! * 0.02);
    expect(s.timeouts + s.errors).toBe(0);
  });
  expect(run.spec.clients).toBe(8);
  expect(run.counts.errors).toEqual({});
  const svg = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith("-load-over-time.svg"))!), "utf8");
  expect(svg).toContain("→ 3k/s");
  const md = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith(".md"))!), "utf8");
  expect(md).toContain("TCP, by stage:");
}, 90_000);

test("capacity --slo: against a server that answers at most 2,000/s, the highest rate holding p99<30ms is found within 10%", async () => {
  const server = await startForeign("bun", FOREIGN.tcpRateLimited, { RATE: "2000" });
  servers.push(server);
  const out = mkdtempSync(join(tmpdir(), "socketlab-capacity-"));
  const result = await bench(
    ["capacity", "--target", `tcp://127.0.0.1:${server.port}`, "--slo", "p99<30ms", "--rate", "500", "--duration", "1s", "--clients", "4"],
    out,
    120_000,
  );
  const section = result.sections[0]!;
  expect(section.kind).toBe("capacity");
  const c = (sectionRuns(section)[0] as LoadResult).capacity!;
  console.log(`capacity ${c.ratePerSec}/s (broke at ${c.failedAtPerSec}/s) in ${c.steps.length} steps; confirmed: ${c.confirmed}`);
  expect(c.ratePerSec).toBeGreaterThanOrEqual(1800);
  expect(c.ratePerSec).toBeLessThanOrEqual(2200);
  expect(c.failedAtPerSec).toBeGreaterThan(c.ratePerSec!);
  // The curve rises past the limit: the broken steps' p99 is above the objective, the held ones' below.
  for (const s of c.steps) expect(s.pass ? s.latency.p99 < 30e6 : s.latency.p99 >= 30e6 || (s.unanswered ?? 0) > 0).toBe(true);
  expect(readdirSync(out).some((f) => f.endsWith("-capacity-curve.svg"))).toBe(true);
}, 150_000);
