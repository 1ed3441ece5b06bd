import type { BenchConfig } from "../cli/options.ts";
import { DRIVERS } from "../run/bind.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { Knee, Progress, Section } from "../model/results.ts";
import { findKnee } from "../model/knee.ts";
import { echoDrivers, loadSpec, measure } from "./profile.ts";
import { latency } from "../model/format.ts";

export const LOAD_RATES = [2000, 5000, 10_000, 20_000, 40_000];

/**
 * Open loop at fixed rates (a sweep finds the knee), corrected and uncorrected percentiles side
 * by side. A sweep stops at the knee plus one rate: beyond it the numbers only say "overloaded".
 */
export async function load(config: BenchConfig, progress: Progress, defaultRates = LOAD_RATES): Promise<Section> {
  const rates = [...(config.rates ?? (config.quick ? [2000] : defaultRates))].sort((a, b) => a - b);
  const runs: LoadResult[] = [];
  const knees: Knee[] = [];
  for (const driver of echoDrivers(config)) {
    const mine: LoadResult[] = [];
    for (const rate of rates) {
      const r = await measure(config, loadSpec(config, { driver, size: config.sizes?.[0] ?? 64, model: "open", clients: 8, window: 1000, ratePerSec: rate, full: { durationMs: 2000, warmupMs: 300 } }), "p99");
      progress(`load  ${DRIVERS[driver].label.padEnd(16)} ${String(rate).padStart(7)}/s   p99 ${latency(r.latency.p99)} (uncorrected ${latency(r.uncorrected.p99)})`);
      mine.push(r);
      const knee = findKnee(mine);
      if (knee.rate !== undefined && rate > knee.rate) break;
    }
    runs.push(...mine);
    knees.push({ driver, ...findKnee(mine) });
  }
  return { kind: "load", runs, knees };
}
