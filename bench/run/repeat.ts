// Making every measurement several times (--rounds, --repeat): the machine is noisy, and a
// difference smaller than the range of the rounds is not one. Rounds are interleaved: a section
// runs whole, then again (A B C D, A B C D, ...), so a slow spell of the machine spreads over
// every run instead of falling on one.
import type { FigureName, Figures } from "../model/figures.ts";
import type { Repetitions } from "../model/results.ts";
import { medianIndex } from "../stats/median.ts";

/**
 * The same run from several rounds as one: the median round by its primary figure is shown,
 * with every figure's median and range over the rounds and each round's figures kept.
 */
export function combineRuns<R extends { repeat?: Repetitions }>(runs: R[], figuresOf: (r: R) => Figures, primary: FigureName): R {
  if (runs.length <= 1) return runs[0]!;
  const all = runs.map(figuresOf);
  const order = all.map((f, i) => ({ i, v: f[primary] ?? 0 })).sort((a, b) => a.v - b.v);
  const shown = runs[order[medianIndex(order.length)]!.i]!;
  const figures: Repetitions["figures"] = {};
  for (const name of Object.keys(all[0] ?? {}) as FigureName[]) {
    const values = all
      .map((f) => f[name])
      .filter((v): v is number => v !== undefined)
      .sort((a, b) => a - b);
    if (values.length === 0) continue;
    figures[name] = { median: values[medianIndex(values.length)]!, min: values[0]!, max: values.at(-1)! };
  }
  return { ...shown, repeat: { count: runs.length, figures, rounds: all } };
}
