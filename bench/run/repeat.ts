import type { Figures } from "../model/figures.ts";

export interface Repetitions {
  count: number;
  /** Every figure's median and range over the repetitions. */
  figures: Record<string, { median: number; min: number; max: number }>;
}

/**
 * Runs a measurement `times` times and keeps the median run (by its primary figure) as the one
 * to show, with every figure's median and range over all the runs: the machine is noisy, and a
 * difference smaller than the range is not one.
 */
export async function repeated<R extends { repeat?: Repetitions }>(times: number, run: () => Promise<R>, figuresOf: (r: R) => Figures, primary: string): Promise<R> {
  if (times <= 1) return run();
  const runs: R[] = [];
  for (let i = 0; i < times; i++) runs.push(await run());
  const all = runs.map(figuresOf);
  const order = all.map((f, i) => ({ i, v: f[primary]?.value ?? 0 })).sort((a, b) => a.v - b.v);
  const shown = runs[order[Math.floor((order.length - 1) / 2)]!.i]!;
  const figures: Repetitions["figures"] = {};
  for (const name of Object.keys(all[0] ?? {})) {
    const values = all.map((f) => f[name]?.value).filter((v): v is number => v !== undefined).sort((a, b) => a - b);
    if (values.length === 0) continue;
    figures[name] = { median: values[Math.floor((values.length - 1) / 2)]!, min: values[0]!, max: values.at(-1)! };
  }
  return { ...shown, repeat: { count: times, figures } };
}
