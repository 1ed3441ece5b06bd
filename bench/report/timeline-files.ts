// Latency over time as files other tools read: one CSV row per interval per run (--format csv),
// and an HdrHistogram interval log (--hlog FILE) that HdrHistogram's own tools read (Java's
// HistogramLogProcessor, hdr-histogram-js's HistogramLogReader), one tag per run.
import * as hdr from "hdr-histogram-js";
import { labelOf } from "../model/names.ts";
import { rttMsOf } from "../model/spec.ts";
import { isLoadRun, type BenchResult, type LoadResult, type Section } from "../model/results.ts";
import { decodeHistogram } from "../stats/histogram.ts";

/** Every run that recorded a timeline, with a name that tells it apart from the others of its report. */
export function timedRuns(result: BenchResult): { section: Section["kind"]; name: string; run: LoadResult }[] {
  const out: { section: Section["kind"]; name: string; run: LoadResult }[] = [];
  for (const section of result.sections) {
    const runs = "runs" in section ? (section.runs as unknown[]).filter((r): r is LoadResult => isLoadRun(r as LoadResult)) : [];
    for (const run of runs) {
      if (!run.timeline?.length) continue;
      const s = run.spec;
      const parts = [labelOf(s), `${s.size} B`, s.model === "open" ? `${s.ratePerSec}/s` : `${s.clients}x${s.window}`];
      if (s.net) parts.push(`rtt ${rttMsOf(s)} ms`);
      out.push({ section: section.kind, name: `${section.kind}: ${parts.join(", ")}`, run });
    }
  }
  return out;
}

const csvField = (v: string | number): string => (typeof v === "number" ? String(v) : /[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** One row per interval per run; times in microseconds, the interval's start and length in seconds. */
export function renderCsv(result: BenchResult): string {
  const rows: (string | number)[][] = [
    ["section", "run", "driver", "size_bytes", "offered_per_s", "start_s", "length_s", "count", "rate_per_s", "p50_us", "p99_us", "max_us", "errors"],
  ];
  for (const { section, name, run } of timedRuns(result)) {
    for (const i of run.timeline!) {
      const us = (ns: number) => Math.round(ns / 10) / 100;
      rows.push([
        section,
        name,
        run.spec.driver,
        run.spec.size,
        run.spec.ratePerSec,
        i.startMs / 1000,
        i.lengthMs / 1000,
        i.count,
        Math.round(i.rate),
        us(i.p50),
        us(i.p99),
        us(i.max),
        i.errors,
      ]);
    }
  }
  return `${rows.map((r) => r.map(csvField).join(",")).join("\n")}\n`;
}

/**
 * An HdrHistogram interval log (format 1.3): every run's intervals, tagged with the run's name
 * (commas and spaces in it replaced, as tags may hold neither), timestamps in seconds from the
 * start of the report's run, values in nanoseconds with maxima in milliseconds.
 */
export function renderHlog(result: BenchResult): string {
  let text = "";
  const writer = new hdr.HistogramLogWriter((line: string) => {
    text += line;
  });
  const started = Date.parse(result.startedAt);
  writer.outputLogFormatVersion();
  writer.outputComment(`socketlab ${result.scenario}: ${result.command}`);
  writer.outputStartTime(started);
  writer.outputLegend();
  // Each run's intervals are placed one after another on the report's clock: runs took turns.
  let offsetSec = 0;
  for (const { name, run } of timedRuns(result)) {
    for (const i of run.timeline!) {
      const h = decodeHistogram(i.histogram);
      h.tag = name.replace(/[, ]+/g, "_");
      writer.outputIntervalHistogram(h, offsetSec + i.startMs / 1000, offsetSec + (i.startMs + i.lengthMs) / 1000, 1e6);
    }
    const last = run.timeline!.at(-1)!;
    offsetSec += (last.startMs + last.lengthMs) / 1000;
  }
  return text;
}
