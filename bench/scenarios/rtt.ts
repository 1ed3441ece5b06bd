import { MAX_UDP_PAYLOAD } from "../../protocol/limits.ts";
import type { BenchConfig } from "../cli/options.ts";
import { DRIVERS, type DriverName } from "../run/bind.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { Progress, Section } from "../model/results.ts";
import { loadSpec, measure } from "./profile.ts";
import { latency } from "../model/format.ts";

/** Round-trip latency: one client, one message in flight, per transport (HTTP both with and without keep-alive). */
export async function rtt(config: BenchConfig, progress: Progress): Promise<Section> {
  const drivers: DriverName[] = config.transports.flatMap((t): DriverName[] => (t === "http" ? ["http", "http-close"] : [t]));
  const runs: LoadResult[] = [];
  const skipped: string[] = [];
  for (const size of config.sizes ?? [64]) {
    for (const driver of drivers) {
      if (driver === "udp" && size > MAX_UDP_PAYLOAD) {
        skipped.push(`UDP at ${size} B: a datagram carries at most ${MAX_UDP_PAYLOAD} B`);
        continue;
      }
      const r = await measure(config, loadSpec(config, { driver, size, model: "closed", clients: 1, window: 1, full: { durationMs: 2500, warmupMs: 500 } }));
      progress(`rtt  ${DRIVERS[driver].label.padEnd(34)} ${size} B   p50 ${latency(r.latency.p50)}   p99 ${latency(r.latency.p99)}`);
      runs.push(r);
    }
  }
  return { kind: "rtt", runs, skipped };
}
