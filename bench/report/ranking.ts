// Orderings and ratios in findings only where the measurements can tell them apart: two figures
// whose ranges over the rounds overlap are said to be indistinguishable on this machine, with how
// much they varied. A figure measured once has no range, and its order is marked as unproven.
import type { FigureName } from "../model/figures.ts";
import type { Repetitions } from "../model/results.ts";

export interface Ranged {
  label: string;
  value: number;
  /** The range over the rounds; absent when measured once. */
  min?: number;
  max?: number;
}

/** A run's figure with its range over the rounds, if it had rounds. */
export function ranged(label: string, value: number, repeat: Repetitions | undefined, figure: FigureName): Ranged {
  const f = repeat?.figures[figure];
  return f ? { label, value: f.median, min: f.min, max: f.max } : { label, value };
}

/** Whether a and b are told apart: both have ranges, and they do not overlap. */
export function distinct(a: Ranged, b: Ranged): boolean {
  if (a.min === undefined || a.max === undefined || b.min === undefined || b.max === undefined) return false;
  return a.max < b.min || b.max < a.min;
}

/**
 * Items ordered by value (highest first unless `ascending`), neighbours whose ranges overlap
 * joined into one group that says they cannot be told apart, and how far they spread.
 */
export function rankText(items: Ranged[], show: (v: number) => string, ascending = false): string {
  const sorted = [...items].sort((a, b) => (ascending ? a.value - b.value : b.value - a.value));
  if (sorted.some((i) => i.min === undefined))
    return `${sorted.map((i) => `${i.label} ${show(i.value)}`).join(", ")} (each measured once, so this order may not hold: --rounds 3 shows the spread)`;
  // Groups are the connected sets of overlapping ranges (an item joins every group it overlaps
  // a member of, and those merge), so any two items in different groups are told apart.
  let groups: Ranged[][] = [];
  for (const item of sorted) {
    const touching = groups.filter((g) => g.some((m) => !distinct(m, item)));
    groups = [...groups.filter((g) => !touching.includes(g)), [...touching.flat(), item]];
  }
  const key = (g: Ranged[]) => Math.max(...g.map((i) => i.value));
  groups.sort((a, b) => (ascending ? key(a) - key(b) : key(b) - key(a)));
  for (const g of groups) g.sort((a, b) => (ascending ? a.value - b.value : b.value - a.value));
  return groups
    .map((g) => {
      if (g.length === 1) return `${g[0]!.label} ${show(g[0]!.value)} (${show(g[0]!.min!)}–${show(g[0]!.max!)})`;
      const lo = Math.min(...g.map((i) => i.min!));
      const hi = Math.max(...g.map((i) => i.max!));
      return `${g.map((i) => `${i.label} ${show(i.value)}`).join(", ")}, which cannot be told apart on this machine (they varied over ${show(lo)}–${show(hi)})`;
    })
    .join("; then ");
}

/** "A is 3.1× B" where the two are told apart; otherwise what they are, and that they overlap. */
export function ratioText(a: Ranged, b: Ranged, ratio: (r: number) => string): string | undefined {
  if (a.min === undefined || b.min === undefined) return ratio(a.value / b.value);
  return distinct(a, b) ? ratio(a.value / b.value) : undefined;
}
