import type { BenchConfig } from "../cli/options.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { Progress, Section } from "../model/results.ts";
import { loadSpec, measure } from "./profile.ts";

export const UDP_RATES = [10_000, 25_000, 50_000, 100_000, 150_000, 200_000];
export const ONE_WAY_RATES = [50_000, 100_000, 200_000, 300_000, 400_000];
/** The sweep stops once loss passes this share: loss has clearly begun. */
const STOP_LOSS = 0.01;

/** Lost share of a run: echo loss from the sender's sequence numbers, one-way loss from the server's count. */
export function lossShare(r: LoadResult): number {
  if (r.oneWay) return r.oneWay.sent > 0 ? r.oneWay.lost / r.oneWay.sent : 0;
  return r.sequence.sent > 0 ? r.sequence.lost / r.sequence.sent : 0;
}

/** A sweep of increasing rates that stops once loss has clearly begun. */
async function sweep(config: BenchConfig, progress: Progress, driver: "udp" | "udp-oneway", rates: number[]): Promise<{ runs: LoadResult[]; lossBeginsAt?: number }> {
  const runs: LoadResult[] = [];
  let lossBeginsAt: number | undefined;
  for (const rate of [...rates].sort((a, b) => a - b)) {
    const r = await measure(config, loadSpec(config, { driver, size: config.sizes?.[0] ?? 64, model: "open", clients: 1, window: 10_000, ratePerSec: rate, full: { durationMs: 2000, warmupMs: 300 } }), "loss");
    const loss = lossShare(r);
    const what = driver === "udp" ? `${Math.round(r.opsPerSec).toLocaleString("en-US")}/s echoed   jitter ${(r.sequence.jitterNs / 1000).toFixed(1)} µs` : `${Math.round(r.opsPerSec).toLocaleString("en-US")}/s sent one way`;
    progress(`udp  ${String(rate).padStart(7)}/s offered   ${what}   loss ${(loss * 100).toFixed(3)}%`);
    runs.push(r);
    if (loss > 0 && lossBeginsAt === undefined) lossBeginsAt = rate;
    if (loss > STOP_LOSS) break;
  }
  return { runs, lossBeginsAt };
}

/**
 * UDP at increasing send rates, up to where loss begins: echoed (loss, reordering, duplicates and
 * jitter over the round trip), then one way to a counting sink (as iperf3 -u measures).
 */
export async function udp(config: BenchConfig, progress: Progress): Promise<Section> {
  const echo = await sweep(config, progress, "udp", config.rates ?? (config.quick ? [10_000, 50_000] : UDP_RATES));
  // One-way loss is counted by the receiving server, which a remote target cannot report here.
  const oneWay = config.target ? { runs: [] } : await sweep(config, progress, "udp-oneway", config.rates ?? (config.quick ? [100_000] : ONE_WAY_RATES));
  return { kind: "udp", runs: echo.runs, lossBeginsAt: echo.lossBeginsAt, oneWay: oneWay.runs, oneWayLossBeginsAt: oneWay.lossBeginsAt };
}
