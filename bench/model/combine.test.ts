import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import { mergeResults, windowOverlap } from "./combine.ts";
import { mergeCommand } from "../cli/merge-command.ts";
import { readResult, resultProblem } from "./result-file.ts";
import { sectionRuns, type BenchResult, type LoadResult } from "./results.ts";
import { decodeHistogram, encodeHistogram, newHistogram, record, summarize, type Histogram, type LatencySummary } from "../stats/histogram.ts";

const EXAMPLE = new URL("../../test/fixtures/suite.json", import.meta.url).pathname;
const example = await readResult(EXAMPLE);

const copy = <T>(x: T): T => structuredClone(x);

/** Deterministic "latencies" (ns): a linear congruential generator, so every run records the same values. */
function latencies(n: number, seed: number, lowNs: number, spreadNs: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2 ** 31;
    return lowNs + (x / 2 ** 31) * spreadNs;
  });
}

function histogramOf(values: number[]): Histogram {
  const h = newHistogram();
  for (const v of values) record(h, v);
  return h;
}

/** The example's first rtt run (TCP), with its histograms and counts replaced by `values`. */
function half(values: number[], measuredSec: number): LoadResult {
  const rtt = example.sections.find((s) => s.kind === "rtt")!;
  const run = copy(rtt.runs[0]!);
  const h = histogramOf(values);
  const encoded = encodeHistogram(h);
  const n = values.length;
  run.latency = summarize(h);
  run.uncorrected = summarize(h);
  run.histograms = { latency: encoded, uncorrected: encoded, lag: encodeHistogram(newHistogram()) };
  run.lag = summarize(newHistogram());
  run.counts = { sent: n + 3, completed: n, timeouts: 3, behind: 0, unsent: 0, errors: { ECONNRESET: 1 } };
  run.measuredSec = measuredSec;
  run.opsPerSec = n / measuredSec;
  run.payloadBytesPerSec = run.opsPerSec * run.spec.size;
  return run;
}

/** A result holding one rtt section with one run. */
function resultWith(run: LoadResult, startedAt: string, finishedAt: string): BenchResult {
  return { ...copy(example), scenario: "rtt", startedAt, finishedAt, sections: [{ kind: "rtt", runs: [run], skipped: [] }] };
}

function expectClose(actual: LatencySummary, expected: LatencySummary, relative: number): void {
  for (const key of Object.keys(expected) as (keyof LatencySummary)[]) {
    const want = expected[key];
    expect(Math.abs(actual[key] - want)).toBeLessThanOrEqual(Math.abs(want) * relative + 1e-9);
  }
}

describe("mergeResults", () => {
  const valuesA = latencies(20_000, 7, 20_000, 60_000);
  const valuesB = latencies(15_000, 11, 40_000, 400_000);
  const a = resultWith(half(valuesA, 2.5), "2026-11-24T07:40:30.000Z", "2026-11-24T07:40:34.000Z");
  const b = resultWith(half(valuesB, 2.4), "2026-11-24T07:40:29.500Z", "2026-11-24T07:40:33.000Z");
  const merged = mergeResults([a, b], ["a.json", "b.json"]);
  const run = sectionRuns(merged.sections[0]!)[0] as LoadResult;

  test("percentiles come from the added histograms, as if one histogram held every value", () => {
    const all = histogramOf([...valuesA, ...valuesB]);
    // The merged histogram holds exactly the same counts as one that recorded everything ...
    expect(run.latency).toEqual(summarize(decodeHistogram(encodeHistogram(all))));
    // ... which is the truth to the histogram's precision (3 significant digits: 0.1%).
    expectClose(run.latency, summarize(all), 0.001);
    expect(run.latency.count).toBe(35_000);
    expect(run.uncorrected).toEqual(run.latency);
    // Not the average of the halves' p99: the slow half dominates the tail.
    expect(run.latency.p99).toBeGreaterThan((sectionRuns(a.sections[0]!)[0] as LoadResult).latency.p99 + 100_000);
  });

  test("counts, errors and rates add up; the window is the longest", () => {
    expect(run.counts).toEqual({ sent: 35_006, completed: 35_000, timeouts: 6, behind: 0, unsent: 0, errors: { ECONNRESET: 2 } });
    expect(run.opsPerSec).toBeCloseTo(20_000 / 2.5 + 15_000 / 2.4, 6);
    expect(run.payloadBytesPerSec).toBeCloseTo(run.opsPerSec * 64, 3);
    expect(run.measuredSec).toBe(2.5);
    expect(run.spec.clients).toBe(2);
    expect(run.spec.procs).toBe(2);
  });

  test("client CPU adds up, the shared server's is the largest reading", () => {
    const ra = sectionRuns(a.sections[0]!)[0] as LoadResult;
    expect(run.cost.client.userMs).toBeCloseTo(2 * ra.cost.client.userMs, 6);
    expect(run.cost.client.processes).toBe(2);
    expect(run.cost.server).toEqual(ra.cost.server);
    expect(run.cost.clientCpuPerOpUs).toBeCloseTo((2 * (ra.cost.client.userMs + ra.cost.client.sysMs) * 1000) / 35_000, 6);
  });

  test("the result says it has two parts, spans both, and names the files", () => {
    expect(merged.parts).toBe(2);
    expect(merged.startedAt).toBe("2026-11-24T07:40:29.500Z");
    expect(merged.finishedAt).toBe("2026-11-24T07:40:34.000Z");
    expect(merged.elapsedSec).toBe(4.5);
    expect(merged.command).toContain("merged from a.json, b.json");
    const again = mergeResults([merged, a]);
    expect(again.parts).toBe(3);
    expect((sectionRuns(again.sections[0]!)[0] as LoadResult).spec.clients).toBe(3);
  });

  test("merging the example suite with itself keeps every percentile and doubles every count", () => {
    const twice = mergeResults([example, copy(example)]);
    twice.sections.forEach((s, i) => {
      sectionRuns(s).forEach((r, j) => {
        const orig = sectionRuns(example.sections[i]!)[j]!;
        expect({ ...r.latency, count: 0, mean: 0, stdev: 0 }).toEqual({ ...orig.latency, count: 0, mean: 0, stdev: 0 });
        expect(r.latency.count).toBe(2 * orig.latency.count);
        expect(r.latency.mean).toBeCloseTo(orig.latency.mean, 3);
      });
    });
  });

  test("different scenarios are refused", () => {
    const push = { ...copy(a), scenario: "push" as const };
    expect(() => mergeResults([a, push], ["a.json", "b.json"])).toThrow(new UsageError("cannot merge: a.json is a rtt run and b.json a push run"));
  });

  test("runs of different sizes are refused, with every difference listed", () => {
    const big = copy(b);
    const r = sectionRuns(big.sections[0]!)[0] as LoadResult;
    r.spec.size = 1024;
    r.spec.window = 4;
    expect(() => mergeResults([a, big], ["a.json", "b.json"])).toThrow(
      new UsageError("cannot merge: rtt run 1 (TCP) differs between a.json and b.json: size 64 vs 1024, window 1 vs 4"),
    );
  });

  test("different sections or run counts are refused", () => {
    const more = copy(b);
    const rtt = more.sections[0]!;
    if (rtt.kind === "rtt") rtt.runs.push(copy(rtt.runs[0]!));
    expect(() => mergeResults([a, more], ["a.json", "b.json"])).toThrow("cannot merge: the rtt section has 1 runs in a.json and 2 in b.json");
    expect(() => mergeResults([example, a], ["a.json", "b.json"])).toThrow("cannot merge: a.json is a suite run and b.json a rtt run");
  });

  test("a file without histograms (trimmed, like a test fixture) cannot be merged", () => {
    const trimmed = copy(a);
    delete (sectionRuns(trimmed.sections[0]!)[0] as Partial<LoadResult>).histograms;
    expect(() => mergeResults([a, trimmed], ["a.json", "b.json"])).toThrow(
      "cannot merge: b.json has no histograms (rtt run 1, TCP): percentiles cannot be merged from summaries",
    );
  });
});

describe("mergeCommand", () => {
  const dir = mkdtempSync(join(tmpdir(), "socketlab-merge-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("writes the merged result, pretty-printed, and says so in one line", async () => {
    const a = join(dir, "a.json");
    const b = join(dir, "b.json");
    const out = join(dir, "out.json");
    writeFileSync(a, JSON.stringify(example));
    writeFileSync(b, JSON.stringify(example));
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    try {
      expect(await mergeCommand([a, b, "-o", out])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(lines).toEqual([`Written: ${out} (suite, 2 parts merged from ${a}, ${b})`]);
    expect(readFileSync(out, "utf8")).toContain('\n  "parts": 2,\n');
    expect((await readResult(out)).parts).toBe(2);
    expect(resultProblem(JSON.parse(readFileSync(out, "utf8")))).toBeUndefined();
  });

  test("needs two files and -o", async () => {
    await expect(mergeCommand([join(dir, "a.json")])).rejects.toThrow(UsageError);
    await expect(mergeCommand([join(dir, "a.json"), join(dir, "b.json")])).rejects.toThrow("merge needs -o OUT.json: where to write the merged result");
  });
});

describe("measured windows", () => {
  test("overlap is the common stretch over the longer window", () => {
    expect(windowOverlap({ startMs: 0, endMs: 1000 }, { startMs: 0, endMs: 1000 })).toBe(1);
    expect(windowOverlap({ startMs: 0, endMs: 1000 }, { startMs: 50, endMs: 1050 })).toBe(0.95);
    expect(windowOverlap({ startMs: 0, endMs: 1000 }, { startMs: 0, endMs: 2000 })).toBe(0.5);
    expect(windowOverlap({ startMs: 0, endMs: 1000 }, { startMs: 3000, endMs: 4000 })).toBe(0);
  });
});
