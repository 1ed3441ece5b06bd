// Open loop at fixed rates (a sweep finds the knee), corrected and uncorrected percentiles side
// by side. A sweep stops at the knee plus one rate: beyond it the numbers only say "overloaded".
import { DRIVERS } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import { latency } from "../model/format.ts";
import { findKnee } from "../model/knee.ts";
import type { Knee, LoadResult, Progress, SectionOf } from "../model/results.ts";
import type { LoadPlan } from "./plan.ts";
import type { RampStage } from "../model/spec.ts";
import { echoDriver, loadSpec, measure } from "./run-spec.ts";

export const LOAD_RATES = [2000, 5000, 10_000, 20_000, 40_000];

export function plan(config: BenchConfig, defaultRates = LOAD_RATES): LoadPlan<"load"> {
  if (config.stages) return stagedPlan(config, config.stages);
  const rates = [...(config.rates ?? (config.quick ? [2000] : defaultRates))].sort((a, b) => a - b);
  const specs = config.transports.flatMap((t) =>
    rates.map((rate) =>
      loadSpec(config, {
        driver: echoDriver(config, t),
        size: config.sizes?.[0] ?? 64,
        model: "open",
        clients: 8,
        window: 1000,
        ratePerSec: rate,
        full: { durationMs: 2000, warmupMs: 300 },
      }),
    ),
  );
  return { kind: "load", specs, skipped: [] };
}

/** One run per transport whose rate ramps through the stages, on the same connections throughout. */
function stagedPlan(config: BenchConfig, stages: RampStage[]): LoadPlan<"load"> {
  const peak = Math.max(...stages.map((s) => s.toPerSec));
  const durationMs = stages.reduce((sum, s) => sum + s.lengthMs, 0);
  const specs = config.transports.map((t) => ({
    ...loadSpec(config, {
      driver: echoDriver(config, t),
      size: config.sizes?.[0] ?? 64,
      model: "open",
      clients: 8,
      window: 1000,
      // The run's peak: what its connections must carry at most.
      ratePerSec: peak,
      full: { durationMs, warmupMs: 300 },
      quick: { durationMs, warmupMs: 100 },
    }),
    stages,
  }));
  return { kind: "load", specs, skipped: [] };
}

export async function run(p: LoadPlan<"load">, progress: Progress): Promise<SectionOf<"load">> {
  const runs: LoadResult[] = [];
  const knees: Knee[] = [];
  for (const driver of [...new Set(p.specs.map((s) => s.driver))]) {
    const mine: LoadResult[] = [];
    for (const spec of p.specs.filter((s) => s.driver === driver)) {
      const r = await measure(spec);
      const offered = spec.stages ? `${spec.stages.length} stages` : `${String(spec.ratePerSec).padStart(7)}/s`;
      progress(`load  ${DRIVERS[driver].label.padEnd(16)} ${offered}   p99 ${latency(r.latency.p99)} (uncorrected ${latency(r.uncorrected.p99)})`);
      mine.push(r);
      const knee = findKnee(mine);
      if (knee.rate !== undefined && spec.ratePerSec > knee.rate) break;
    }
    runs.push(...mine);
    knees.push({ driver, ...findKnee(mine) });
  }
  return { kind: "load", runs, knees };
}
