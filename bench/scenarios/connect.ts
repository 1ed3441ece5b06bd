// Connection set-up: TCP connects/s, WebSocket handshakes/s, HTTP requests on a fresh
// connection each.
import { DRIVERS, TRANSPORT_DRIVERS } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import { latency } from "../model/format.ts";
import type { LoadResult, Progress, SectionOf } from "../model/results.ts";
import { timeWaitSockets } from "../stats/wire.ts";
import type { LoadPlan } from "./plan.ts";
import { loadSpec, measure } from "./run-spec.ts";

/**
 * Through the network relay, connect() resolves at loopback speed (the kernel completes the
 * handshake with the relay); the emulated handshake shows in the first bytes instead, so there
 * a connection is timed as the catalog's `relayed` driver does it (TCP: to its first reply).
 */
export function plan(config: BenchConfig): LoadPlan<"connect"> {
  const specs = [];
  const skipped: string[] = [];
  for (const t of config.transports) {
    const entry = TRANSPORT_DRIVERS[t];
    if (!("connect" in entry)) {
      skipped.push(`${entry.label}: connectionless, nothing to set up`);
      continue;
    }
    const driver = config.net ? entry.connect.relayed : entry.connect.direct;
    specs.push(loadSpec(config, { driver, size: config.sizes?.[0] ?? 64, model: "closed", clients: 4, window: 1, full: { durationMs: 2000, warmupMs: 300 } }));
  }
  return { kind: "connect", specs, skipped };
}

export async function run(p: LoadPlan<"connect">, progress: Progress): Promise<SectionOf<"connect">> {
  const runs: LoadResult[] = [];
  const timeWait: (number | null)[] = [];
  for (const spec of p.specs) {
    // Sockets in TIME_WAIT slow every new connect: counted before each run, to compare runs fairly.
    timeWait.push(timeWaitSockets() ?? null);
    const r = await measure(spec);
    progress(`connect  ${DRIVERS[spec.driver].label.padEnd(34)} ${Math.round(r.opsPerSec).toLocaleString("en-US")}/s   p50 ${latency(r.latency.p50)}`);
    runs.push(r);
  }
  return { kind: "connect", runs, skipped: p.skipped, timeWait };
}
