import { basename } from "node:path";
import { flagOpt, parseArgs } from "../../lib/args.ts";
import { UsageError } from "../../lib/errors.ts";
import { formatMetric, metricsOf, type Metric, type Unit } from "./figures.ts";
import { table } from "./format.ts";
import { readResult } from "./result-file.ts";
import type { BenchResult } from "./results.ts";

/**
 * Two results side by side, figure by figure (every metric name both have, from metricsOf). A
 * difference counts only when it is larger than the run-to-run noise: a machine that measures
 * 48 µs and then 51 µs has not got slower. The noise is the spread --repeat recorded, or an
 * assumed 10% where a side has no repetitions.
 */

export const COMPARE_USAGE = "usage: bun run bench compare BASE.json NEW.json [--all]";

/** Assumed run-to-run noise of a figure measured once: this machine's runs differ by about that much. */
export const DEFAULT_NOISE = 0.1;
/**
 * No change under 1% counts as real, whatever the spreads say: a range from a few repetitions is
 * itself an estimate, and two or three runs that happen to agree closely prove little.
 */
export const MIN_NOISE = 0.01;

/** Shown even when within noise (unless --all shows everything): the figures people look at first. */
const KEY_FIGURES = new Set(["p50", "p99", "rate", "loss"]);

export type Verdict = "better" | "worse" | "within noise";

export interface CompareRow {
  metric: string;
  unit: Unit;
  better: Metric["better"];
  base: number;
  next: number;
  /** (next - base) / base; ±Infinity for a change from 0. */
  change: number;
  /** next / base, for latencies; undefined elsewhere and from 0. */
  ratio?: number;
  /** The relative change below which a difference is noise. */
  noise: number;
  /** "spread": from both sides' repetitions; "assumed": a side had none, DEFAULT_NOISE applies. */
  noiseFrom: "spread" | "assumed";
  verdict: Verdict;
  /** A key figure (p50, p99, rate, loss): shown in the default table even within noise. */
  key: boolean;
}

export interface Comparison {
  /** Every shared metric: real changes first (worse, then better, largest first), then the rest in result order. */
  rows: CompareRow[];
  markdown: string;
  onlyInBase: string[];
  onlyInNext: string[];
}

export interface CompareOptions {
  /** How the two results are named in the output (file names); default BASE and NEW. */
  baseName?: string;
  nextName?: string;
  /** Every row in the table, not only real changes and key figures. */
  all?: boolean;
}

/** The last part of a metric name: "p99" of "ws.rtt.p99", "cpu.client" of "tcp.rtt.cpu.client", "loss" of "udp.loss". */
function figureOf(name: string): string {
  const parts = name.split(".");
  return parts.length <= 2 ? (parts.at(-1) ?? name) : parts.slice(2).join(".");
}

/** Relative range of a repeated figure: (max - min) / value. */
function relativeSpread(m: Metric): number | undefined {
  if (!m.spread) return undefined;
  const width = m.spread.max - m.spread.min;
  if (width === 0) return 0;
  return m.value === 0 ? Number.POSITIVE_INFINITY : Math.abs(width / m.value);
}

export function compareRow(metric: string, base: Metric, next: Metric): CompareRow {
  const a = relativeSpread(base);
  const b = relativeSpread(next);
  // Both sides repeated: the larger of their measured spreads. Otherwise the side measured once
  // counts as DEFAULT_NOISE, and a wider measured spread on the other side still wins.
  const noiseFrom = a !== undefined && b !== undefined ? "spread" : "assumed";
  const noise = Math.max(MIN_NOISE, noiseFrom === "spread" ? Math.max(a!, b!) : Math.max(DEFAULT_NOISE, a ?? 0, b ?? 0));
  const change = base.value === next.value ? 0 : base.value === 0 ? Math.sign(next.value) * Number.POSITIVE_INFINITY : (next.value - base.value) / Math.abs(base.value);
  const real = Math.abs(change) > noise;
  const improved = base.better === "lower" ? change < 0 : change > 0;
  return {
    metric,
    unit: base.unit,
    better: base.better,
    base: base.value,
    next: next.value,
    change,
    ratio: base.unit === "ns" && base.value !== 0 ? next.value / base.value : undefined,
    noise,
    noiseFrom,
    verdict: !real ? "within noise" : improved ? "better" : "worse",
    key: KEY_FIGURES.has(figureOf(metric)),
  };
}

const ORDER: Record<Verdict, number> = { worse: 0, better: 1, "within noise": 2 };

export function compareResults(base: BenchResult, next: BenchResult, options: CompareOptions = {}): Comparison {
  const baseName = options.baseName ?? "BASE";
  const nextName = options.nextName ?? "NEW";
  const mb = metricsOf(base);
  const mn = metricsOf(next);
  const shared = [...mb].filter(([name]) => mn.has(name)).map(([name, m]) => compareRow(name, m, mn.get(name)!));
  const index = new Map(shared.map((r, i) => [r.metric, i]));
  const rows = [...shared].sort((x, y) => {
    const byVerdict = ORDER[x.verdict] - ORDER[y.verdict];
    if (byVerdict !== 0) return byVerdict;
    if (x.verdict !== "within noise") return Math.abs(y.change) - Math.abs(x.change) || index.get(x.metric)! - index.get(y.metric)!;
    return index.get(x.metric)! - index.get(y.metric)!;
  });
  const onlyInBase = [...mb.keys()].filter((n) => !mn.has(n));
  const onlyInNext = [...mn.keys()].filter((n) => !mb.has(n));
  const markdown = render({ base, next, baseName, nextName, rows, onlyInBase, onlyInNext, all: options.all ?? false, measured: [mb, mn] });
  return { rows, markdown, onlyInBase, onlyInNext };
}

// ---- Markdown --------------------------------------------------------------------------------

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

function render(c: { base: BenchResult; next: BenchResult; baseName: string; nextName: string; rows: CompareRow[]; onlyInBase: string[]; onlyInNext: string[]; all: boolean; measured: [Map<string, Metric>, Map<string, Metric>] }): string {
  const { base, next, baseName, nextName, rows } = c;
  const count = (v: Verdict) => rows.filter((r) => r.verdict === v).length;
  const out: string[] = [];
  out.push(`# Comparison: ${base.scenario} of ${when(base)} (${baseName}) → ${next.scenario} of ${when(next)} (${nextName})`, "");
  out.push(`**${count("worse")} worse, ${count("better")} better, ${count("within noise")} within noise** (${rows.length} figures in both).`, "");
  const notes: string[] = [];
  if (base.scenario !== next.scenario) notes.push(`The scenarios differ (${base.scenario} vs ${next.scenario}): only the figures both produce are compared.`);
  for (const [r, name] of [[base, baseName], [next, nextName]] as const) if (r.parts && r.parts > 1) notes.push(`${name} was merged from ${r.parts} parts.`);
  notes.push(`A change is real when it exceeds the run-to-run noise: the larger relative range ((max − min) / value) of the two sides' repeated runs (--repeat), or ${DEFAULT_NOISE * 100}% for a figure measured once; never less than ${MIN_NOISE * 100}%.`);
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
        shown.map((r) => [r.metric, formatMetric(r.base, r.unit), formatMetric(r.next, r.unit), percentChange(r.change), r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}×`, noiseCell(r), r.verdict]),
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

// ---- The command -----------------------------------------------------------------------------

/** `bun run bench compare BASE.json NEW.json [--all]`: the Markdown on stdout; changes are data, so exit 0. */
export async function compareCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { all: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (flagOpt(args, "help")) {
    console.log(`${COMPARE_USAGE}\n\nEvery figure both results have, and whether it changed beyond the run-to-run noise.\n--all lists every figure, not only the changes and the key figures (${[...KEY_FIGURES].join(", ")}).`);
    return 0;
  }
  const files = args.positionals;
  if (files.length !== 2) args.problems.push(`compare needs two result files, got ${files.length}: ${COMPARE_USAGE.replace("usage: ", "")}`);
  if (args.problems.length) throw new UsageError(args.problems);
  const [baseFile, nextFile] = files as [string, string];
  const [base, next] = await Promise.all([readResult(baseFile), readResult(nextFile)]);
  // Two files of the same name in different folders keep their paths, so the columns differ.
  const short = basename(baseFile) === basename(nextFile) ? [baseFile, nextFile] : [basename(baseFile), basename(nextFile)];
  const { markdown } = compareResults(base, next, { baseName: short[0], nextName: short[1], all: flagOpt(args, "all") });
  // Waits until stdout has taken it all: the CLI exits right after, and a slow pipe must not lose the tail.
  await new Promise<void>((resolve) => process.stdout.write(markdown, () => resolve()));
  return 0;
}
