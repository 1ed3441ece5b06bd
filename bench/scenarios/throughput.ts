// Maximum messages/s and MB/s with a window of messages in flight, over a size sweep.
import { DRIVERS } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import type { Progress, SectionOf } from "../model/results.ts";
import type { LoadPlan } from "./plan.ts";
import { sizedPlan } from "./rtt.ts";
import { echoDriver, loadSpec, measure } from "./run-spec.ts";

export const THROUGHPUT_SIZES = [64, 1024, 16_384, 65_536];

export function plan(config: BenchConfig, defaultSizes = THROUGHPUT_SIZES): LoadPlan<"throughput"> {
  return sizedPlan(
    "throughput",
    config,
    config.sizes ?? (config.quick ? [1024] : defaultSizes),
    (t) => [echoDriver(config, t)],
    (driver, size) =>
      loadSpec(config, {
        driver,
        size,
        model: "closed",
        clients: 1,
        window: 32,
        full: { durationMs: 1500, warmupMs: 300 },
        quick: { durationMs: 300, warmupMs: 100 },
      }),
  );
}

export async function run(p: LoadPlan<"throughput">, progress: Progress): Promise<SectionOf<"throughput">> {
  const runs = [];
  for (const spec of p.specs) {
    const r = await measure(spec);
    progress(
      `throughput  ${DRIVERS[spec.driver].label.padEnd(16)} ${String(spec.size).padStart(6)} B   ${Math.round(r.opsPerSec).toLocaleString("en-US")} msg/s   ${(r.payloadBytesPerSec / 1e6).toFixed(1)} MB/s`,
    );
    runs.push(r);
  }
  return { kind: "throughput", runs, skipped: p.skipped };
}
