// Round-trip latency: one client, one message in flight, per transport (HTTP both with and
// without keep-alive).
import { DRIVERS, TRANSPORT_DRIVERS } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import { latency } from "../model/format.ts";
import type { LoadSpec } from "../model/spec.ts";
import type { Progress, SectionOf } from "../model/results.ts";
import type { LoadPlan } from "./plan.ts";
import { forTarget, loadSpec, measure } from "./run-spec.ts";

/** Every driver of the chosen transports at every size that fits it; what does not fit is noted. */
export function sizedPlan<K extends "rtt" | "throughput">(
  kind: K,
  config: BenchConfig,
  sizes: number[],
  drivers: (t: BenchConfig["transports"][number]) => readonly LoadSpec["driver"][],
  spec: (driver: LoadSpec["driver"], size: number) => LoadSpec,
): LoadPlan<K> {
  const specs: LoadSpec[] = [];
  const skipped: string[] = [];
  for (const size of sizes) {
    for (const driver of config.transports.flatMap(drivers)) {
      const max = (DRIVERS[driver] as { maxPayload?: number }).maxPayload;
      if (max !== undefined && size > max) skipped.push(`${DRIVERS[driver].label} at ${size} B: a datagram carries at most ${max} B`);
      else specs.push(spec(driver, size));
    }
  }
  return { kind, specs, skipped: [...new Set(skipped)] };
}

export function plan(config: BenchConfig): LoadPlan<"rtt"> {
  return sizedPlan(
    "rtt",
    config,
    config.sizes ?? [64],
    (t) => forTarget(config, TRANSPORT_DRIVERS[t].rtt),
    (driver, size) => loadSpec(config, { driver, size, model: "closed", clients: 1, window: 1, full: { durationMs: 2500, warmupMs: 500 } }),
  );
}

export async function run(p: LoadPlan<"rtt">, progress: Progress): Promise<SectionOf<"rtt">> {
  const runs = [];
  for (const spec of p.specs) {
    const r = await measure(spec);
    progress(`rtt  ${DRIVERS[spec.driver].label.padEnd(34)} ${spec.size} B   p50 ${latency(r.latency.p50)}   p99 ${latency(r.latency.p99)}`);
    runs.push(r);
  }
  return { kind: "rtt", runs, skipped: p.skipped };
}
