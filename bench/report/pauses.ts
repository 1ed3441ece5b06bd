// What the machine's own pauses (lib/pauses.ts) say about a report: their level, what a wake-up
// costs, and which latency tails they explain.
import { latency } from "../model/format.ts";
import { sectionRuns, type BenchResult, type LoadResult, type PushRunResult } from "../model/results.ts";
import type { LatencySummary } from "../stats/histogram.ts";
import { median } from "../stats/median.ts";

type Measured = (LoadResult | PushRunResult) & { pauses: NonNullable<LoadResult["pauses"]> };

function measured(result: BenchResult): Measured[] {
  return result.sections.flatMap(sectionRuns).filter((r): r is Measured => r.pauses !== undefined);
}

function level(summaries: LatencySummary[]): string {
  return `p50 ${latency(median(summaries.map((s) => s.p50)))}, p99 up to ${latency(Math.max(...summaries.map((s) => s.p99)))}, the longest ${latency(Math.max(...summaries.map((s) => s.max)))}`;
}

/** One paragraph for the report's head: the pause level on each side, and what a wake-up costs. */
export function pausesNote(result: BenchResult): string {
  const runs = measured(result);
  if (!runs.length) return "";
  const servers = runs.flatMap((r) => (r.pauses.server ? [r.pauses.server] : []));
  return [
    `The machine's own pauses while measuring (a sleeper in every swarm and server process asks to wake every 5 ms, every 1 ms in an open loop's swarm, and records how late it woke, as jHiccup does):`,
    `swarm ${level(runs.map((r) => r.pauses.swarm))}${servers.length ? `; server ${level(servers)}` : ""}.`,
    "The p50 is what waking a sleeping process costs here (timer and scheduler together): every push to an idle subscriber and every request to an idle server pays about that once more than a busy one would.",
  ].join(" ");
}

/** A finding: which runs' slowest operations were no longer than the pauses of their own processes. */
export function pauseFindings(result: BenchResult): string[] {
  const runs = measured(result).filter((r) => r.latency.count > 0);
  if (!runs.length) return [];
  const worst = (r: Measured) => Math.max(r.pauses.swarm.max, r.pauses.server?.max ?? 0);
  const explained = runs.filter((r) => r.latency.max <= worst(r) * 1.1);
  if (!explained.length) return [];
  const longest = Math.max(...explained.map((r) => r.latency.max));
  return [
    `In ${explained.length} of ${runs.length} runs the slowest operation (up to ${latency(longest)}) took no longer than the machine's own longest pause in that run: those tails are the platform's, not the transport's.`,
  ];
}
