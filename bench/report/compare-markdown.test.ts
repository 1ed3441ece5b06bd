import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { UsageError } from "../../lib/errors.ts";
import { compareCommand } from "../cli/compare-command.ts";
import { DEFAULT_NOISE } from "../model/compare.ts";
import { formatMetric, loadFigures, metricsOf } from "../model/figures.ts";
import { readResult } from "../model/result-file.ts";
import { loadRuns, type BenchResult, type LoadResult } from "../model/results.ts";
import { compareResults } from "./compare-markdown.ts";
import type { LatencySummary } from "../stats/histogram.ts";

const EXAMPLE = new URL("../../test/fixtures/suite.json", import.meta.url).pathname;
const example = await readResult(EXAMPLE);
const copy = <T>(x: T): T => structuredClone(x);
/** When the fixture was recorded, as compare titles it: "2026-11-24 09:12 UTC". */
const RECORDED = `${example.startedAt.slice(0, 16).replace("T", " ")} UTC`;

const LATENCY_FIGURES = ["p50", "p90", "p99", "p999", "max", "mean"] as const;

function echoRuns(r: BenchResult): LoadResult[] {
  return r.sections.flatMap(loadRuns);
}

function scale(summary: LatencySummary, factor: number): void {
  for (const k of LATENCY_FIGURES) summary[k] *= factor;
}

describe("compareResults", () => {
  test("a result compared with itself is within noise everywhere", () => {
    const { rows, markdown } = compareResults(example, copy(example));
    expect(rows.length).toBeGreaterThan(300);
    expect(rows.every((r) => r.verdict === "within noise" && r.change === 0)).toBe(true);
    expect(markdown).toContain(`**0 worse, 0 better, ${rows.length} within noise**`);
    expect(markdown).toContain("no repetitions recorded: 10% assumed");
  });

  test("a planted 2x slowdown of one transport is worse on exactly its latency rows", () => {
    const slower = copy(example);
    for (const r of echoRuns(slower)) if (r.spec.driver === "ws") scale(r.latency, 2);
    const { rows, markdown } = compareResults(example, slower, { baseName: "before.json", nextName: "after.json" });
    // The distance section's WebSocket rows slow down too, and so does their cost in round trips.
    const planted = /^ws\.(rtt|throughput|load|distance)(@[^.]+)?\.(p50|p90|p99|p999|max|mean|rtts)$/;
    const worse = rows.filter((r) => r.verdict === "worse").map((r) => r.metric);
    expect(worse.length).toBeGreaterThan(20);
    expect(worse.every((m) => planted.test(m))).toBe(true);
    expect(rows.filter((r) => planted.test(r.metric)).every((r) => r.verdict === "worse" && r.change === 1 && (r.unit !== "ns" || r.ratio === 2))).toBe(true);
    expect(rows.filter((r) => r.verdict === "better")).toEqual([]);
    expect(markdown).toContain(`**${worse.length} worse, 0 better, ${rows.length - worse.length} within noise**`);
    const p50 = metricsOf(example).get("ws.rtt.p50")!.value;
    expect(markdown).toContain(`| ws.rtt.p50 | ${formatMetric(p50, "ns")} | ${formatMetric(2 * p50, "ns")} | +100% | 2.00× | ±10% (assumed) | worse |`);
    // Real changes come first in the table.
    const table = markdown.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith("| metric") && !l.startsWith("| ---"));
    expect(table.slice(0, worse.length).every((l) => l.endsWith("| worse |"))).toBe(true);
  });

  test("without --all, rows within noise show only key figures; --all shows every row", () => {
    const slower = copy(example);
    scale(echoRuns(slower)[0]!.latency, 2);
    const brief = compareResults(example, slower).markdown;
    expect(brief).toContain("| tcp.rtt.p50 |");
    expect(brief).toContain("| udp.rtt.p99 |");
    expect(brief).not.toContain("| udp.rtt.p90 |");
    expect(brief).toContain("--all shows every one");
    const all = compareResults(example, slower, { all: true }).markdown;
    expect(all).toContain("| udp.rtt.p90 |");
    expect(all).not.toContain("--all shows every one");
  });

  test("recorded spreads replace the assumed 10%", () => {
    // One rtt run, repeated: every figure ±20% around its value, so a relative spread of 40%.
    const withSpread = (r: BenchResult, factor: number): BenchResult => {
      const out = copy(r);
      const rtt = out.sections.find((s) => s.kind === "rtt")!;
      const run = rtt.runs[0]!;
      scale(run.latency, factor);
      const figures = Object.fromEntries(Object.entries(loadFigures(run)).map(([k, f]) => [k, { median: f, min: f * 0.8, max: f * 1.2 }]));
      run.repeat = { count: 5, figures };
      out.sections = [{ ...rtt, runs: [run] }];
      return out;
    };
    const base = withSpread(example, 1);
    const next = withSpread(example, 1.3);
    const { rows, markdown } = compareResults(base, next);
    const p50 = rows.find((r) => r.metric === "tcp.rtt.p50")!;
    expect(p50.noiseFrom).toBe("spread");
    expect(p50.noise).toBeCloseTo(0.4, 9);
    // +30% would be worse against the assumed 10%, but not against a 40% spread.
    expect(p50.change).toBeCloseTo(0.3, 9);
    expect(p50.verdict).toBe("within noise");
    // Only the loss over every run of a subject has no range (metricsOf gives none).
    expect(markdown).not.toContain("no repetitions recorded: 10% assumed");
    expect(markdown).toContain("BASE: no repetitions recorded for 1 of 14 figures (tcp.loss): 10% assumed for those.");
    // Beyond the spread it is a real change.
    const much = compareResults(base, withSpread(example, 1.5)).rows.find((r) => r.metric === "tcp.rtt.p50")!;
    expect(much.verdict).toBe("worse");
    // A spread on one side only: that side's spread or 10%, whichever is larger.
    const once = compareResults(base, copy(example)).rows.find((r) => r.metric === "tcp.rtt.p50")!;
    expect(once.noiseFrom).toBe("assumed");
    expect(once.noise).toBeCloseTo(Math.max(DEFAULT_NOISE, 0.4), 9);
  });

  test("higher-is-better figures: a faster rate is better, a slower one worse", () => {
    const faster = copy(example);
    echoRuns(faster)[0]!.opsPerSec *= 1.5;
    const slower = copy(example);
    echoRuns(slower)[0]!.opsPerSec *= 0.5;
    expect(compareResults(example, faster).rows.find((r) => r.metric === "tcp.rtt.rate")!.verdict).toBe("better");
    expect(compareResults(example, slower).rows.find((r) => r.metric === "tcp.rtt.rate")!.verdict).toBe("worse");
  });

  test("different scenarios: the shared names are compared, the rest listed briefly, the difference said", () => {
    const rttOnly: BenchResult = { ...copy(example), scenario: "rtt", sections: example.sections.filter((s) => s.kind === "rtt") };
    const { rows, markdown, onlyInBase, onlyInNext } = compareResults(example, rttOnly, { baseName: "suite.json", nextName: "rtt.json" });
    expect(rows.every((r) => r.metric.includes(".rtt.") || r.metric.endsWith(".loss"))).toBe(true);
    expect(onlyInNext).toEqual([]);
    expect(onlyInBase).toContain("ws.push.p50");
    expect(markdown).toContain("The scenarios differ (suite vs rtt)");
    expect(markdown).toMatch(/Only in suite\.json \(\d+\): ws\.push\.\* \(10\), /);
    expect(markdown).toStartWith(`# Comparison: suite of ${RECORDED} (suite.json) → rtt of ${RECORDED} (rtt.json)`);
  });
});

describe("compareCommand", () => {
  const dir = mkdtempSync(join(tmpdir(), "socketlab-compare-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test("one file is a usage error (exit 2 through the bench CLI)", async () => {
    await expect(compareCommand([EXAMPLE])).rejects.toThrow(UsageError);
    const run = Bun.spawnSync([process.execPath, "bench/cli/main.ts", "compare", EXAMPLE], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { ...process.env, CI: "true" },
    });
    expect(run.exitCode).toBe(2);
    expect(run.stderr.toString()).toContain("compare needs two result files, got 1");
  });

  test("an unreadable file fails the run (exit 1), naming it", async () => {
    const garbage = join(dir, "garbage.json");
    writeFileSync(garbage, "{");
    await expect(compareCommand([EXAMPLE, garbage])).rejects.toThrow(`${garbage}: not JSON`);
    const run = Bun.spawnSync([process.execPath, "bench/cli/main.ts", "compare", EXAMPLE, garbage], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { ...process.env, CI: "true" },
    });
    expect(run.exitCode).toBe(1);
  });

  test("two files: the Markdown on stdout and exit 0, changes or not", () => {
    const slower = copy(example);
    scale(echoRuns(slower)[0]!.latency, 3);
    const next = join(dir, "slower.json");
    writeFileSync(next, JSON.stringify(slower));
    const run = Bun.spawnSync([process.execPath, "bench/cli/main.ts", "compare", EXAMPLE, next], {
      cwd: new URL("../..", import.meta.url).pathname,
      env: { ...process.env, CI: "true" },
    });
    expect(run.exitCode).toBe(0);
    const out = run.stdout.toString();
    expect(out).toStartWith(`# Comparison: suite of ${RECORDED} (suite.json) → suite of ${RECORDED} (slower.json)`);
    expect(out).toContain("**6 worse, 0 better,");
    const p99 = metricsOf(example).get("tcp.rtt.p99")!.value;
    expect(out).toContain(`| tcp.rtt.p99 | ${formatMetric(p99, "ns")} | ${formatMetric(3 * p99, "ns")} | +200% | 3.00× | ±10% (assumed) | worse |`);
  });
});
