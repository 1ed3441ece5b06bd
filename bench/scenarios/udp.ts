// UDP at increasing send rates, up to where loss begins: echoed (loss, reordering, duplicates
// and jitter over the round trip), then one way to a counting sink (as iperf3 -u measures).
import type { DriverName } from "../catalog.ts";
import type { BenchConfig } from "../model/config.ts";
import { lossShare } from "../model/figures.ts";
import type { LoadResult, Progress, SectionOf } from "../model/results.ts";
import type { LoadSpec } from "../model/spec.ts";
import type { LoadPlan } from "./plan.ts";
import { loadSpec, measure } from "./run-spec.ts";

export const UDP_RATES = [10_000, 25_000, 50_000, 100_000, 150_000, 200_000];
export const ONE_WAY_RATES = [50_000, 100_000, 200_000, 300_000, 400_000];
/** A sweep stops once loss passes this share: loss has clearly begun. */
const STOP_LOSS = 0.01;

const ECHO: DriverName = "udp";
const ONE_WAY: DriverName = "udp-oneway";

function sweep(config: BenchConfig, driver: DriverName, rates: number[]): LoadSpec[] {
  return [...rates]
    .sort((a, b) => a - b)
    .map((rate) =>
      loadSpec(config, {
        driver,
        size: config.sizes?.[0] ?? 64,
        model: "open",
        clients: 1,
        window: 10_000,
        ratePerSec: rate,
        full: { durationMs: 2000, warmupMs: 300 },
      }),
    );
}

export function plan(config: BenchConfig): LoadPlan<"udp"> {
  const echo = sweep(config, ECHO, config.rates ?? (config.quick ? [10_000, 50_000] : UDP_RATES));
  // One-way loss is counted by the receiving server, which a remote target cannot report here.
  const oneWay = config.target ? [] : sweep(config, ONE_WAY, config.rates ?? (config.quick ? [100_000] : ONE_WAY_RATES));
  return { kind: "udp", specs: [...echo, ...oneWay], skipped: [] };
}

/** One sweep's runs, stopping once loss has clearly begun. */
async function runSweep(progress: Progress, specs: LoadSpec[]): Promise<{ runs: LoadResult[]; lossBeginsAt?: number }> {
  const runs: LoadResult[] = [];
  let lossBeginsAt: number | undefined;
  for (const spec of specs) {
    const r = await measure(spec);
    const loss = lossShare(r);
    const what = r.oneWay
      ? `${Math.round(r.opsPerSec).toLocaleString("en-US")}/s sent one way`
      : `${Math.round(r.opsPerSec).toLocaleString("en-US")}/s echoed   jitter ${(r.sequence.jitterNs / 1000).toFixed(1)} µs`;
    progress(`udp  ${String(spec.ratePerSec).padStart(7)}/s offered   ${what}   loss ${(loss * 100).toFixed(3)}%`);
    runs.push(r);
    if (loss > 0 && lossBeginsAt === undefined) lossBeginsAt = spec.ratePerSec;
    if (loss > STOP_LOSS) break;
  }
  return { runs, lossBeginsAt };
}

export async function run(p: LoadPlan<"udp">, progress: Progress): Promise<SectionOf<"udp">> {
  const echo = await runSweep(
    progress,
    p.specs.filter((s) => s.driver === ECHO),
  );
  const oneWay = await runSweep(
    progress,
    p.specs.filter((s) => s.driver === ONE_WAY),
  );
  return { kind: "udp", runs: echo.runs, lossBeginsAt: echo.lossBeginsAt, oneWay: oneWay.runs, oneWayLossBeginsAt: oneWay.lossBeginsAt };
}
