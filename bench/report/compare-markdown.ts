// Two results side by side in Markdown (`bun run bench compare`), from bench/model/compare.ts.
import { DEFAULT_NOISE, KEY_FIGURES, MIN_NOISE, compare, type CompareRow, type Comparison, type Verdict } from "../model/compare.ts";
import { formatMetric, type Metric } from "../model/figures.ts";
import { table } from "../model/format.ts";
import type { BenchResult } from "../model/results.ts";

export interface CompareOptions {
  /** How the two results are named in the output (file names); default BASE and NEW. */
  baseName?: string;
  nextName?: string;
  /** Every row in the table, not only real changes and key figures. */
  all?: boolean;
}

/** The comparison and its Markdown. */
export function compareResults(base: BenchResult, next: BenchResult, options: CompareOptions = {}): Comparison & { markdown: string } {
  const c = compare(base, next);
  const markdown = render({
    base,
    next,
    baseName: options.baseName ?? "BASE",
    nextName: options.nextName ?? "NEW",
    rows: c.rows,
    onlyInBase: c.onlyInBase,
    onlyInNext: c.onlyInNext,
    all: options.all ?? false,
    measured: c.measured,
  });
  return { ...c, markdown };
}

function when(r: BenchResult): string {
  return `${r.startedAt.slice(0, 16).replace("T", " ")} UTC`;
}

function percentChange(change: number): string {
  if (change === 0) return "0%";
  if (!Number.isFinite(change)) return "from 0";
  const pct = change * 100;
  return `${pct > 0 ? "+" : "-"}${Math.abs(pct) >= 100 ? Math.abs(pct).toFixed(0) : Math.abs(pct).toFixed(1)}%`;
}

function noiseCell(r: CompareRow): string {
  if (!Number.isFinite(r.noise)) return "±∞";
  const pct = `±${(r.noise * 100).toFixed(r.noise < 0.1 ? 1 : 0)}%`;
  return r.noiseFrom === "assumed" ? `${pct} (assumed)` : pct;
}

/** Metric names without their figure, grouped: "tcp.throughput@64B.* (13)". */
function briefly(names: string[], all: boolean): string {
  const groups = new Map<string, number>();
  for (const n of names) {
    const parts = n.split(".");
    const group = parts.length <= 2 ? n : `${parts.slice(0, 2).join(".")}.*`;
    groups.set(group, (groups.get(group) ?? 0) + 1);
  }
  const items = [...groups].map(([g, n]) => (n > 1 ? `${g} (${n})` : g));
  const shown = all ? items : items.slice(0, 12);
  return `${shown.join(", ")}${shown.length < items.length ? `, and ${items.length - shown.length} more` : ""}`;
}

/** The compared figures a side has no repetitions for (DEFAULT_NOISE was assumed for them). */
function unrepeated(rows: CompareRow[], metrics: Map<string, Metric>): string[] {
  return rows.filter((r) => metrics.get(r.metric)?.spread === undefined).map((r) => r.metric);
}

function render(c: {
  base: BenchResult;
  next: BenchResult;
  baseName: string;
  nextName: string;
  rows: CompareRow[];
  onlyInBase: string[];
  onlyInNext: string[];
  all: boolean;
  measured: [Map<string, Metric>, Map<string, Metric>];
}): string {
  const { base, next, baseName, nextName, rows } = c;
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const out: string[] = [];
  out.push(`# Comparison: ${base.scenario} of ${when(base)} (${baseName}) → ${next.scenario} of ${when(next)} (${nextName})`, "");
  out.push(`**${count("worse")} worse, ${count("better")} better, ${count("within noise")} within noise** (${rows.length} figures in both).`, "");
  const notes: string[] = [];
  if (base.scenario !== next.scenario) notes.push(`The scenarios differ (${base.scenario} vs ${next.scenario}): only the figures both produce are compared.`);
  for (const [r, name] of [
    [base, baseName],
    [next, nextName],
  ] as const)
    if (r.parts && r.parts > 1) notes.push(`${name} was merged from ${r.parts} parts.`);
  notes.push(
    `A change is real when it exceeds the run-to-run noise: the larger relative range ((max − min) / value) of the two sides' repeated runs (--repeat), or ${DEFAULT_NOISE * 100}% for a figure measured once; never less than ${MIN_NOISE * 100}%.`,
  );
  const assumed = `${DEFAULT_NOISE * 100}% assumed`;
  const sides = [
    { name: baseName, missing: unrepeated(rows, c.measured[0]) },
    { name: nextName, missing: unrepeated(rows, c.measured[1]) },
  ];
  const none = sides.filter((s) => s.missing.length > 0 && s.missing.length === rows.length);
  if (none.length) notes.push(`${none.map((s) => s.name).join(" and ")}: no repetitions recorded: ${assumed}.`);
  for (const s of sides.filter((x) => x.missing.length > 0 && x.missing.length < rows.length)) {
    // Repeated runs, but a few figures (the loss over every run of a subject) carry no range.
    const some = s.missing.slice(0, 3).join(", ") + (s.missing.length > 3 ? ", ..." : "");
    notes.push(`${s.name}: no repetitions recorded for ${s.missing.length} of ${rows.length} figures (${some}): ${assumed} for those.`);
  }
  out.push(...notes.map((n) => `- ${n}`), "");

  const shown = c.all ? rows : rows.filter((r) => r.verdict !== "within noise" || r.key);
  if (shown.length) {
    out.push(
      table(
        ["metric", baseName, nextName, "change", "ratio", "noise", "verdict"],
        shown.map((r) => [
          r.metric,
          formatMetric(r.base, r.unit),
          formatMetric(r.next, r.unit),
          percentChange(r.change),
          r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`,
          noiseCell(r),
          r.verdict,
        ]),
      ),
      "",
    );
  } else out.push("No figure in common.", "");
  const hidden = rows.length - shown.length;
  if (hidden) out.push(`${hidden} more figures within noise are not shown (key figures ${[...KEY_FIGURES].join(", ")} always are); --all shows every one.`, "");
  if (c.onlyInBase.length) out.push(`Only in ${baseName} (${c.onlyInBase.length}): ${briefly(c.onlyInBase, c.all)}.`, "");
  if (c.onlyInNext.length) out.push(`Only in ${nextName} (${c.onlyInNext.length}): ${briefly(c.onlyInNext, c.all)}.`, "");
  return `${out.join("\n").trimEnd()}\n`;
}
