// Thresholds for CI: `--assert "ws.rtt.p99 < 2ms"`, `--assert "udp.loss < 0.1%"`. Parsed and
// checked against the names the planned run will produce before anything runs, evaluated once
// the run is done; any failure makes the exit code 1.
import { FIGURES, figureOf, formatMetric, metricsOf, type Metric } from "./figures.ts";
import type { Assertion, AssertionOutcome } from "./threshold.ts";
import type { Unit } from "./unit.ts";

export type { Assertion, AssertionOutcome };
import type { BenchResult } from "./results.ts";

const UNITS: Record<string, { unit: Unit; factor: number }> = {
  ns: { unit: "ns", factor: 1 },
  us: { unit: "ns", factor: 1e3 },
  µs: { unit: "ns", factor: 1e3 },
  ms: { unit: "ns", factor: 1e6 },
  s: { unit: "ns", factor: 1e9 },
  "%": { unit: "share", factor: 0.01 },
  "/s": { unit: "per_s", factor: 1 },
  "k/s": { unit: "per_s", factor: 1e3 },
  "mb/s": { unit: "bytes_per_s", factor: 1e6 },
  b: { unit: "bytes", factor: 1 },
  kb: { unit: "bytes", factor: 1e3 },
};

const PATTERN = /^\s*([a-z0-9-]+(?:[.@][a-z0-9-]+)*)\s*(<=|>=|<|>)\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zµ%/]*)\s*$/i;

/**
 * Parses every --assert against the metric names the planned run will produce (`valid`, without
 * sweep points; undefined where the run could not be planned: then syntax and units only;
 * sweep points; `scenario` only names it in messages). Problems (syntax, unknown names, wrong
 * units) go to `problems`.
 */
export function parseAssertions(texts: string[], valid: Set<string> | undefined, scenario: string, problems: string[]): Assertion[] {
  const out: Assertion[] = [];
  for (const text of texts) {
    const m = PATTERN.exec(text);
    if (!m) {
      problems.push(`--assert "${text}": write it as <metric> <op> <value>, e.g. "ws.rtt.p99 < 2ms" or "udp.loss < 0.1%"`);
      continue;
    }
    const [, metric, op, number, rawUnit] = m as unknown as [string, string, Assertion["op"], string, string];
    const generic = metric.replace(/@[0-9]+(b|ms)?(?=\.)/i, "");
    if (valid !== undefined && !valid.has(generic)) {
      const hint = [...valid].filter((n) => n.startsWith(metric.split(".")[0] ?? "")).slice(0, 12);
      problems.push(
        `--assert "${text}": no metric "${metric}" in a ${scenario} run; valid names include ${(hint.length ? hint : [...valid].slice(0, 12)).join(", ")} (all: bun run bench ${scenario} --list-metrics)`,
      );
      continue;
    }
    const figure = figureOf(generic);
    if (figure === undefined) {
      problems.push(`--assert "${text}": "${generic}" ends in no figure socketlab measures (all: bun run bench ${scenario} --list-metrics)`);
      continue;
    }
    const unit: Unit = FIGURES[figure].unit;
    const given = UNITS[rawUnit.toLowerCase()] ?? (rawUnit === "" ? { unit, factor: 1 } : undefined);
    if (!given || given.unit !== unit) {
      problems.push(`--assert "${text}": ${metric} is ${describeUnit(unit)}; "${rawUnit || "(none)"}" does not fit`);
      continue;
    }
    out.push({ text: text.trim(), metric, op, bound: Number(number) * given.factor });
  }
  return out;
}

function describeUnit(unit: Unit): string {
  return {
    ns: "a time (use ns, us, ms or s)",
    share: "a share (use %)",
    per_s: "a rate (use /s or k/s)",
    bytes_per_s: "a throughput (use MB/s)",
    bytes: "a size (use B or kB)",
    count: "a count (no unit)",
    ratio: "a ratio (no unit)",
  }[unit];
}

function holds(value: number, op: Assertion["op"], bound: number): boolean {
  return op === "<" ? value < bound : op === "<=" ? value <= bound : op === ">" ? value > bound : value >= bound;
}

export function evaluateAssertions(assertions: Assertion[], result: BenchResult): AssertionOutcome[] {
  const metrics: Map<string, Metric> = metricsOf(result);
  return assertions.map((a) => {
    const m = metrics.get(a.metric);
    if (!m) return { ...a, pass: false };
    return { ...a, measured: m.value, unit: m.unit, pass: holds(m.value, a.op, a.bound) };
  });
}

export function describeOutcome(o: AssertionOutcome): string {
  const measured = o.measured === undefined || o.unit === undefined ? "not measured in this run" : `measured ${formatMetric(o.measured, o.unit)}`;
  return `${o.pass ? "PASS" : "FAIL"}  ${o.text}  (${measured})`;
}
