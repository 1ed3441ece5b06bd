// Open loop at fixed rates (a sweep finds the knee), corrected and uncorrected percentiles side
// by side. A sweep stops at the knee plus one rate: beyond it the numbers only say "overloaded".
import { DRIVERS } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import { latency } from "../model/format.ts";
import { findKnee } from "../model/knee.ts";
import type { Knee, LoadResult, Progress, SectionOf } from "../model/results.ts";
import type { LoadPlan } from "./plan.ts";
import { echoDriver, loadSpec, measure } from "./run-spec.ts";

export const LOAD_RATES = [2000, 5000, 10_000, 20_000, 40_000];

export function plan(config: BenchConfig, defaultRates = LOAD_RATES): LoadPlan<"load"> {
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

export async function run(p: LoadPlan<"load">, progress: Progress): Promise<SectionOf<"load">> {
  const runs: LoadResult[] = [];
  const knees: Knee[] = [];
  for (const driver of [...new Set(p.specs.map((s) => s.driver))]) {
    const mine: LoadResult[] = [];
    for (const spec of p.specs.filter((s) => s.driver === driver)) {
      const r = await measure(spec);
      progress(
        `load  ${DRIVERS[driver].label.padEnd(16)} ${String(spec.ratePerSec).padStart(7)}/s   p99 ${latency(r.latency.p99)} (uncorrected ${latency(r.uncorrected.p99)})`,
      );
      mine.push(r);
      const knee = findKnee(mine);
      if (knee.rate !== undefined && spec.ratePerSec > knee.rate) break;
    }
    runs.push(...mine);
    knees.push({ driver, ...findKnee(mine) });
  }
  return { kind: "load", runs, knees };
}
