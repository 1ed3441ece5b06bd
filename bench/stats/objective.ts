// A service-level objective on latency (`--slo "p99<5ms"`, several joined by commas), and
// whether a histogram of corrected latencies holds it.
import type { Histogram } from "./histogram.ts";

export interface Objective {
  /** The percentile bounded, 0–100 (max is 100). */
  percentile: number;
  /** The bound, ns: the percentile must stay below it. */
  boundNs: number;
  /** As written: "p99<5ms". */
  text: string;
}

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, ms: 1e6, s: 1e9 };
const PATTERN = /^\s*(p(\d{1,2}(?:\.\d+)?)|max)\s*<\s*(\d+(?:\.\d+)?)\s*(ns|us|µs|ms|s)\s*$/i;

/** Objectives from "p99<5ms,p50<1ms" (p0–p99.999 or max; ns, us, ms, s); a one-line problem when malformed. */
export function parseObjectives(raw: string): Objective[] | string {
  const out: Objective[] = [];
  for (const item of raw.split(",")) {
    const m = PATTERN.exec(item);
    const percentile = m?.[1]?.toLowerCase() === "max" ? 100 : Number(m?.[2]);
    const bound = Number(m?.[3]) * (UNIT_NS[m?.[4]?.toLowerCase() ?? ""] ?? Number.NaN);
    if (!m || !(percentile > 0 && percentile <= 100) || !(bound > 0))
      return `"${item.trim()}" is not an objective: write a percentile below a time, e.g. "p99<5ms" or "p50<500us,max<1s"`;
    out.push({ percentile, boundNs: bound, text: item.replace(/\s+/g, "") });
  }
  return out;
}

/** The first objective the histogram breaks, with the value that broke it; undefined when all hold. */
export function brokenObjective(h: Histogram, objectives: readonly Objective[]): { objective: Objective; valueNs: number } | undefined {
  for (const objective of objectives) {
    const valueNs = h.getValueAtPercentile(objective.percentile);
    if (valueNs >= objective.boundNs) return { objective, valueNs };
  }
  return undefined;
}
