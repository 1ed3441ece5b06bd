import { MAX_UDP_PAYLOAD } from "../../protocol/limits.ts";
import type { BenchConfig } from "../cli/options.ts";
import { DRIVERS } from "../run/bind.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { Progress, Section } from "../model/results.ts";
import { echoDrivers, loadSpec, measure } from "./profile.ts";

export const THROUGHPUT_SIZES = [64, 1024, 16_384, 65_536];

/** Maximum messages/s and MB/s with a window of messages in flight, over a size sweep. */
export async function throughput(config: BenchConfig, progress: Progress, defaultSizes = THROUGHPUT_SIZES): Promise<Section> {
  const runs: LoadResult[] = [];
  const skipped: string[] = [];
  for (const size of config.sizes ?? (config.quick ? [1024] : defaultSizes)) {
    for (const driver of echoDrivers(config)) {
      if (driver === "udp" && size > MAX_UDP_PAYLOAD) {
        skipped.push(`UDP at ${size} B: a datagram carries at most ${MAX_UDP_PAYLOAD} B`);
        continue;
      }
      const r = await measure(config, loadSpec(config, { driver, size, model: "closed", clients: 1, window: 32, full: { durationMs: 1500, warmupMs: 300 }, quick: { durationMs: 300, warmupMs: 100 } }), "rate");
      progress(`throughput  ${DRIVERS[driver].label.padEnd(16)} ${String(size).padStart(6)} B   ${Math.round(r.opsPerSec).toLocaleString("en-US")} msg/s   ${(r.payloadBytesPerSec / 1e6).toFixed(1)} MB/s`);
      runs.push(r);
    }
  }
  return { kind: "throughput", runs, skipped };
}
