import { compact, size } from "./units.ts";
import { DRIVERS, type DriverName } from "../../catalog.ts";
import { patternLegend } from "../../model/names.ts";
import type { LoadResult, PushRunResult } from "../../model/results.ts";

/** A driver's series name in legends (shorter than its label: a legend column is narrow). */
export function driverLabel(driver: DriverName): string {
  return DRIVERS[driver].legend;
}

/** Series names must be unique: a repeated one gets a number. */
function unique(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

/** One name per run: the transport, plus the size or the offered rate where those differ between runs. */
export function runLabels(runs: LoadResult[]): string[] {
  const sizes = new Set(runs.map((r) => r.spec.size)).size > 1;
  const rates = new Set(runs.map((r) => r.spec.ratePerSec)).size > 1;
  return unique(
    runs.map((r) => {
      let label = driverLabel(r.spec.driver);
      if (sizes) label += `, ${size(r.spec.size)}`;
      if (rates && r.spec.ratePerSec > 0) label += ` at ${compact(r.spec.ratePerSec)}/s`;
      return label;
    }),
  );
}

export function pushLabels(runs: PushRunResult[]): string[] {
  return unique(runs.map((r) => patternLegend(r.spec.pattern, r.spec.intervalMs)));
}
