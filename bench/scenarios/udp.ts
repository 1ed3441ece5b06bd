import type { BenchConfig } from "../config.ts";
import { runLoad, type LoadResult } from "../load-run.ts";
import type { Progress, Section } from "../results.ts";
import { commonSpec, timing } from "./profile.ts";

export const UDP_RATES = [10_000, 25_000, 50_000, 100_000, 150_000, 200_000];
/** The sweep stops once loss passes this share: loss has clearly begun. */
const STOP_LOSS = 0.01;

export function lossShare(r: LoadResult): number {
  return r.sequence.sent > 0 ? r.sequence.lost / r.sequence.sent : 0;
}

/** UDP echo at increasing send rates: loss, reordering, duplicates and jitter, up to where loss begins. */
export async function udp(config: BenchConfig, progress: Progress): Promise<Section> {
  const rates = [...(config.rates ?? (config.quick ? [10_000, 50_000] : UDP_RATES))].sort((a, b) => a - b);
  const runs: LoadResult[] = [];
  let lossBeginsAt: number | undefined;
  for (const rate of rates) {
    const r = await runLoad({
      driver: "udp",
      clients: config.clients ?? 1,
      ...commonSpec(config),
      size: config.sizes?.[0] ?? 64,
      model: "open",
      window: config.window ?? 10_000,
      ratePerSec: rate,
      ...timing(config, { durationMs: 2000, warmupMs: 300 }, { durationMs: 400, warmupMs: 100 }),
    });
    const loss = lossShare(r);
    progress(`udp  ${String(rate).padStart(7)}/s offered   ${Math.round(r.opsPerSec).toLocaleString("en-US")}/s echoed   loss ${(loss * 100).toFixed(3)}%   jitter ${(r.sequence.jitterNs / 1000).toFixed(1)} µs`);
    runs.push(r);
    if (loss > 0 && lossBeginsAt === undefined) lossBeginsAt = rate;
    if (loss > STOP_LOSS) break;
  }
  return { kind: "udp", runs, lossBeginsAt };
}
