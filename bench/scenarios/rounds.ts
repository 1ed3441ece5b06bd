// Interleaved rounds (--rounds K): a section's runs made K times over, whole section by whole
// section, then each run's rounds combined into one (the median round shown, every figure's
// range kept). Derived figures of a section (a load sweep's knees, UDP's first lossy rate, the
// distance slopes) are drawn from the runs shown.
import { loadFigures, pushFigures, type FigureName } from "../model/figures.ts";
import { isLoadRun, type LoadResult, type PushRunResult, type RunResult, type Section } from "../model/results.ts";
import { combineRuns } from "../run/repeat.ts";

/** The figure a section's median round is chosen by: what the section is about. */
const PRIMARY: Partial<Record<Section["kind"], FigureName>> = { throughput: "rate", connect: "rate", load: "p99", udp: "loss" };
function primaryOf(kind: Section["kind"]): FigureName {
  return PRIMARY[kind] ?? "p50";
}

/** The same run in every round, in the order of the first: matched by spec, so a sweep that stopped early in one round still lines up. */
function combineList<R extends RunResult>(lists: R[][], primary: FigureName): R[] {
  const order: string[] = [];
  const byKey = new Map<string, R[]>();
  for (const list of lists) {
    for (const r of list) {
      const key = JSON.stringify(r.spec);
      if (!byKey.has(key)) {
        byKey.set(key, []);
        order.push(key);
      }
      byKey.get(key)!.push(r);
    }
  }
  return order.map((key) => {
    const rounds = byKey.get(key)!;
    return isLoadRun(rounds[0]!)
      ? (combineRuns(rounds as LoadResult[], loadFigures, primary) as R)
      : (combineRuns(rounds as PushRunResult[], pushFigures, primary) as R);
  });
}

/** K rounds of one section as one section. */
export function combineRounds(sections: Section[]): Section {
  const first = sections[0]!;
  if (sections.length === 1) return first;
  const primary = primaryOf(first.kind);
  const out: Record<string, unknown> = { ...first };
  for (const field of ["runs", "push", "oneWay"] as const) {
    if (!(field in first)) continue;
    out[field] = combineList(
      sections.map((s) => (s as unknown as Record<string, RunResult[]>)[field] ?? []),
      primary,
    );
  }
  return out as unknown as Section;
}
