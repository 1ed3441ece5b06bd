import type { BenchConfig } from "../cli/options.ts";
import { DRIVERS, type DriverName } from "../run/bind.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { Progress, Section } from "../model/results.ts";
import { timeWaitSockets } from "../stats/wire.ts";
import { loadSpec, measure } from "./profile.ts";
import { latency } from "../model/format.ts";

const CONNECT_DRIVER: Partial<Record<string, DriverName>> = { tcp: "tcp-connect", ws: "ws-connect", http: "http-close" };
/**
 * Through the network relay, connect() resolves at loopback speed (the kernel completes the
 * handshake with the relay); the emulated handshake shows in the first bytes instead, so there
 * a TCP connection is timed to its first reply.
 */
const CONNECT_DRIVER_NET: Partial<Record<string, DriverName>> = { ...CONNECT_DRIVER, tcp: "tcp-new" };

/** Connection set-up: TCP connects/s, WebSocket handshakes/s, HTTP requests on a fresh connection each. */
export async function connect(config: BenchConfig, progress: Progress): Promise<Section> {
  const runs: LoadResult[] = [];
  const skipped: string[] = [];
  const timeWait: (number | undefined)[] = [];
  for (const transport of config.transports) {
    const driver = (config.net ? CONNECT_DRIVER_NET : CONNECT_DRIVER)[transport];
    if (!driver) {
      skipped.push("UDP: connectionless, nothing to set up");
      continue;
    }
    timeWait.push(timeWaitSockets());
    const r = await measure(config, loadSpec(config, { driver, size: config.sizes?.[0] ?? 64, model: "closed", clients: 4, window: 1, full: { durationMs: 2000, warmupMs: 300 } }), "rate");
    progress(`connect  ${DRIVERS[driver].label.padEnd(34)} ${Math.round(r.opsPerSec).toLocaleString("en-US")}/s   p50 ${latency(r.latency.p50)}`);
    runs.push(r);
  }
  return { kind: "connect", runs, skipped, timeWait };
}
