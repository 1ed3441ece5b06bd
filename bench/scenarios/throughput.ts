// Maximum messages/s and MB/s with a window of messages in flight, over a size sweep.
import { DRIVERS, TRANSPORT_DRIVERS, type DriverName } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import type { Progress, SectionOf } from "../model/results.ts";
import type { LoadPlan } from "./plan.ts";
import { sizedPlan } from "./rtt.ts";
import { echoDriver, loadSpec, measure } from "./run-spec.ts";

export const THROUGHPUT_SIZES = [64, 1024, 16_384, 65_536];

/** Messages in flight per connection, unless --window says. */
const WINDOW = 32;
/**
 * UDP's window is held to this many bytes in flight: more overflows the kernel's default
 * receive buffer (208 KiB on Linux) and the loss measured would be the window's doing, not the
 * network's. TCP's flow control needs no such care.
 */
export const UDP_BYTES_IN_FLIGHT = 128 * 1024;

function windowFor(driver: DriverName, size: number): number {
  return TRANSPORT_DRIVERS[DRIVERS[driver].transport].datagram ? Math.max(1, Math.min(WINDOW, Math.floor(UDP_BYTES_IN_FLIGHT / size))) : WINDOW;
}

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
        window: windowFor(driver, size),
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
