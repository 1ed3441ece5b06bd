// Making one measurement several times (--repeat): the machine is noisy, and a difference
// smaller than the range of repetitions is not one.
import type { FigureName, Figures } from "../model/figures.ts";
import type { Repetitions } from "../model/results.ts";
import { medianIndex } from "../stats/median.ts";

/**
 * Runs a measurement `times` times and keeps the median run (by its primary figure) as the one
 * to show, with every figure's median and range over all the runs.
 */
export async function repeated<R extends { repeat?: Repetitions }>(
  times: number,
  run: () => Promise<R>,
  figuresOf: (r: R) => Figures,
  primary: FigureName,
): Promise<R> {
  if (times <= 1) return run();
  const runs: R[] = [];
  for (let i = 0; i < times; i++) runs.push(await run());
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
  return { ...shown, repeat: { count: times, figures } };
}
