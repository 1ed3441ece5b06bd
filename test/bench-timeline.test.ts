import { afterAll, expect, test } from "bun:test";
import * as hdr from "hdr-histogram-js";
import { mkdtempSync, readFileSync, readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sectionRuns, type BenchResult, type LoadResult } from "../bench/model/results.ts";
import { decodeHistogram } from "../bench/stats/histogram.ts";
import { killAll, runCli } from "./support/processes.ts";

afterAll(killAll);

// Latency over time from a real run: the interval log HdrHistogram's own reader reads back, the
// CSV, and the chart, all from one run of two transports in 200 ms intervals.
test("--interval, --hlog and --format all: the interval log read back equals each run's histogram; one CSV row per interval", async () => {
  const out = mkdtempSync(join(tmpdir(), "socketlab-timeline-"));
  const hlog = join(out, "run.hlog");
  const r = await runCli(
    ["bench/cli/main.ts", "rtt", "--transports", "tcp,ws", "-d", "1", "--warmup", "0.2", "--interval", "200ms", "--hlog", hlog, "--format", "all", "-o", out],
    "",
    60_000,
  );
  expect(r.code === 0 ? "" : r.stderr).toBe("");
  const files = readdirSync(out);
  const json = files.find((f) => f.endsWith(".json"))!;
  const result = JSON.parse(readFileSync(join(out, json), "utf8")) as BenchResult;
  const runs = sectionRuns(result.sections[0]!) as LoadResult[];
  expect(runs.map((x) => x.spec.driver)).toEqual(["tcp", "ws"]);

  // HdrHistogram's reader: every interval of a run's tag, added, is the run's histogram.
  const reader = new hdr.HistogramLogReader(readFileSync(hlog, "utf8"));
  const byTag = new Map<string, hdr.Histogram>();
  for (let h = reader.nextIntervalHistogram(); h !== null; h = reader.nextIntervalHistogram()) {
    const sum = byTag.get(h.tag) ?? hdr.build({ bitBucketSize: 32, useWebAssembly: false });
    sum.add(h);
    byTag.set(h.tag, sum);
  }
  expect([...byTag.keys()]).toEqual(["rtt:_TCP_64_B_1x1", "rtt:_WebSocket_64_B_1x1"]);
  runs.forEach((run, i) => {
    const fromLog = [...byTag.values()][i]!;
    const whole = decodeHistogram(run.histograms!.latency);
    expect(fromLog.totalCount).toBe(run.counts.completed);
    expect(fromLog.totalCount).toBe(whole.totalCount);
    // Percentiles up to the largest value (the bucket's highest equivalent, as both report it).
    for (const p of [50, 90, 99, 99.9, 100]) expect(fromLog.getValueAtPercentile(p)).toBe(whole.getValueAtPercentile(p));
    // About five intervals of 200 ms in a second (a last sliver joins the one before).
    expect(run.timeline!.length).toBeGreaterThanOrEqual(4);
    expect(run.timeline!.length).toBeLessThanOrEqual(6);
    expect(run.timeline!.reduce((a, t) => a + t.count, 0)).toBe(run.counts.completed);
  });

  // The CSV: a header, then one row per interval per run.
  const csv = readFileSync(join(out, files.find((f) => f.endsWith(".csv"))!), "utf8")
    .trim()
    .split("\n");
  expect(csv[0]).toBe("section,run,driver,size_bytes,offered_per_s,start_s,length_s,count,rate_per_s,p50_us,p99_us,max_us,errors");
  expect(csv.length - 1).toBe(runs[0]!.timeline!.length + runs[1]!.timeline!.length);
  expect(csv[1]).toStartWith('rtt,"rtt: TCP, 64 B, 1x1",tcp,64,0,0,0.2,');
  // And the report has its latency-over-time chart.
  expect(files.some((f) => f.endsWith("-rtt-over-time.svg"))).toBe(true);
  expect(readFileSync(join(out, files.find((f) => f.endsWith(".md"))!), "utf8")).toContain("over-time.svg");
}, 60_000);
