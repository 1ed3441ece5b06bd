// Stages (--stages) as the command line writes them, and the figures of a run's stretches
// (stages, capacity steps) once the swarm's shares are merged.
import { encodeHistogram, summarize } from "../stats/histogram.ts";
import { addShare, emptySegment, type MergedSegment } from "../stats/segments.ts";
import { parseDurationMs } from "../../lib/args.ts";
import type { CapacityResult, CapacityStep, SegmentFigures, StageResult } from "./results.ts";
import type { RampStage } from "./spec.ts";

/** How a rate is written: 500, 2k (2000), 1.5m. */
function parseRate(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(k|m)?\s*$/i.exec(raw);
  if (!m) return undefined;
  const value = Number(m[1]) * (m[2]?.toLowerCase() === "k" ? 1e3 : m[2]?.toLowerCase() === "m" ? 1e6 : 1);
  return Number.isFinite(value) ? Math.round(value) : undefined;
}

/** The largest total rate a stage may ask for, per second. */
export const MAX_STAGE_RATE = 10_000_000;

/**
 * `--stages "10s:1k,30s:10k,10s:10k"`: each stage ramps linearly from the rate before it to its
 * own over its length (k6's ramping arrival rate). The first starts from 0 unless the list
 * begins with a bare rate: "1k,30s:10k" ramps from 1k to 10k. A one-line problem when malformed.
 */
export function parseStages(raw: string): RampStage[] | string {
  const items = raw.split(",").map((s) => s.trim());
  let from = 0;
  if (items.length > 1 && !items[0]!.includes(":")) {
    const start = parseRate(items.shift()!);
    if (start === undefined || start > MAX_STAGE_RATE) return `the starting rate "${raw.split(",")[0]!.trim()}" is not a rate from 0 to 10m`;
    from = start;
  }
  const stages: RampStage[] = [];
  for (const item of items) {
    const [length, target, extra] = item.split(":");
    const lengthMs = length === undefined ? undefined : parseDurationMs(length);
    const to = target === undefined ? undefined : parseRate(target);
    if (extra !== undefined || lengthMs === undefined || lengthMs < 100 || to === undefined || to > MAX_STAGE_RATE)
      return `"${item}" is not a stage: write LENGTH:RATE, e.g. 10s:1k (at least 100ms long, at most 10m/s)`;
    stages.push({ lengthMs, fromPerSec: from, toPerSec: to });
    from = to;
  }
  if (stages.every((s) => s.fromPerSec === 0 && s.toPerSec === 0)) return "every stage is at rate 0: nothing would be sent";
  return stages;
}

/** The figures of one stretch of a run, `lengthMs` long. */
export function segmentFigures(s: MergedSegment, lengthMs: number): SegmentFigures {
  const sec = lengthMs / 1000;
  return {
    sent: s.sent,
    completed: s.completed,
    timeouts: s.timeouts,
    errors: s.errors,
    offeredPerSec: sec > 0 ? s.sent / sec : 0,
    achievedPerSec: sec > 0 ? s.completed / sec : 0,
    latency: summarize(s.latency),
    histogram: encodeHistogram(s.latency),
    lagP99: s.lag.totalCount ? s.lag.getValueAtPercentile(99) : 0,
  };
}

/**
 * The stages of runs made at once by several swarms (bench merge): rates and counts add up,
 * latency from the histograms added; the send lag's p99 is the worst part's (a p99 of p99s
 * cannot be had exactly, and the worst is the one to keep).
 */
export function mergeStageResults(parts: StageResult[][]): StageResult[] {
  return parts[0]!.map((first, i) => {
    const same = parts.map((p) => p[i]!);
    const merged = emptySegment();
    for (const st of same) addShare(merged, st);
    return {
      startMs: first.startMs,
      lengthMs: first.lengthMs,
      fromPerSec: same.reduce((a, st) => a + st.fromPerSec, 0),
      toPerSec: same.reduce((a, st) => a + st.toPerSec, 0),
      ...segmentFigures(merged, first.lengthMs),
      lagP99: Math.max(...same.map((st) => st.lagP99)),
    };
  });
}

/** A ramp's stages with what each measured. */
export function stageResults(stages: RampStage[], segments: MergedSegment[]): StageResult[] {
  let startMs = 0;
  return stages.map((stage, i) => {
    const r: StageResult = {
      startMs,
      lengthMs: stage.lengthMs,
      fromPerSec: stage.fromPerSec,
      toPerSec: stage.toPerSec,
      ...segmentFigures(segments[i] ?? emptySegment(), stage.lengthMs),
    };
    startMs += stage.lengthMs;
    return r;
  });
}

/** What the swarm's search decided, step by step, joined to each step's merged figures. */
export interface SearchOutcome {
  steps: { ratePerSec: number; segment: number; pass: boolean; broke?: CapacityStep["broke"]; unanswered?: number; confirmation?: boolean }[];
  ratePerSec?: number;
  failedAtPerSec?: number;
  confirmed?: boolean;
}

/** The step that last held at the rate found (the confirmation, when it held). */
export function bestStep(c: CapacityResult): CapacityStep | undefined {
  return c.steps.filter((s) => s.pass && s.ratePerSec === c.ratePerSec).at(-1);
}

export function capacityResult(objectives: string[], maxPerSec: number, stepMs: number, found: SearchOutcome, segments: MergedSegment[]): CapacityResult {
  return {
    objectives,
    ...(found.ratePerSec !== undefined ? { ratePerSec: found.ratePerSec } : {}),
    ...(found.failedAtPerSec !== undefined ? { failedAtPerSec: found.failedAtPerSec } : {}),
    ...(found.confirmed !== undefined ? { confirmed: found.confirmed } : {}),
    maxPerSec,
    steps: found.steps.map(({ segment, ...verdict }) => ({ ...verdict, ...segmentFigures(segments[segment] ?? emptySegment(), stepMs) })),
  };
}
