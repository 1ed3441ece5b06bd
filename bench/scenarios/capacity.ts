// The highest rate each transport's server answers within the objectives (--slo, default
// p99 under 5 ms), searched on one set of connections: steps of --duration (1 s) at one rate,
// doubling from --rate (1000/s) until a step breaks an objective, then bisecting to --precision
// (5%), then the best rate once more to confirm it (bench/load/capacity.ts).
import { DRIVERS } from "../catalog.ts";
import { DEFAULT_SLO, type BenchConfig } from "../model/config.ts";
import { latency, rate } from "../model/format.ts";
import type { Progress, SectionOf } from "../model/results.ts";
import { parseObjectives } from "../stats/objective.ts";
import { bestStep } from "../model/ramp.ts";
import type { LoadPlan } from "./plan.ts";
import { echoDriver, loadSpec, measure } from "./run-spec.ts";

export const CAPACITY_DEFAULTS = { startPerSec: 1000, maxPerSec: 1_000_000, precision: 0.05, stepMs: 1000, quickStepMs: 300 };

export function plan(config: BenchConfig): LoadPlan<"capacity"> {
  const objectives = config.slo ?? (parseObjectives(DEFAULT_SLO) as Exclude<ReturnType<typeof parseObjectives>, string>);
  const stepMs = config.durationMs ?? (config.quick ? CAPACITY_DEFAULTS.quickStepMs : CAPACITY_DEFAULTS.stepMs);
  const specs = config.transports.map((t) => {
    const spec = loadSpec(config, {
      driver: echoDriver(config, t),
      size: config.sizes?.[0] ?? 64,
      model: "open",
      clients: 8,
      window: 1000,
      full: { durationMs: stepMs, warmupMs: 300 },
      quick: { durationMs: stepMs, warmupMs: 100 },
    });
    const startPerSec = config.rates?.[0] ?? Math.min(CAPACITY_DEFAULTS.startPerSec, config.maxRate ?? Number.POSITIVE_INFINITY);
    return {
      ...spec,
      ratePerSec: startPerSec,
      // The search decides its own length; the spec keeps the step's.
      durationMs: undefined,
      capacity: {
        objectives,
        startPerSec,
        maxPerSec: config.maxRate ?? CAPACITY_DEFAULTS.maxPerSec,
        stepMs,
        precision: config.precision ?? CAPACITY_DEFAULTS.precision,
      },
    };
  });
  return { kind: "capacity", specs, skipped: [] };
}

export async function run(p: LoadPlan<"capacity">, progress: Progress): Promise<SectionOf<"capacity">> {
  const runs = [];
  for (const spec of p.specs) {
    const r = await measure(spec);
    const c = r.capacity;
    const best = c && bestStep(c);
    progress(
      `capacity  ${DRIVERS[spec.driver].label.padEnd(16)} ${c?.ratePerSec === undefined ? "no rate held" : `${rate(c.ratePerSec)}   p99 ${latency(best?.latency.p99 ?? 0)}`}   (${c?.steps.length ?? 0} steps)`,
    );
    runs.push(r);
  }
  return { kind: "capacity", runs, objectives: p.specs[0]?.capacity?.objectives.map((o) => o.text) ?? [] };
}
