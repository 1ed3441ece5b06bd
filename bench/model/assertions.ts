import type { BenchConfig, Scenario } from "../cli/options.ts";
import { formatMetric, metricsOf, type Metric, type Unit } from "./figures.ts";
import { distancePushSubject, patternSubject, pushPatterns } from "../scenarios/patterns.ts";
import type { BenchResult } from "./results.ts";
import { DRIVER_SUBJECT } from "../catalog.ts";
import { distanceDrivers, hasDistance } from "./distance-rows.ts";

/**
 * Thresholds for CI: `--assert "ws.rtt.p99 < 2ms"`, `--assert "udp.loss < 0.1%"`. Parsed and
 * checked against the names the chosen scenario can produce before anything runs, evaluated
 * once the run is done; any failure makes the exit code 1.
 */
export interface Assertion {
  text: string;
  metric: string;
  op: "<" | "<=" | ">" | ">=";
  /** The bound in the metric's own unit (ns, per second, bytes, share...). */
  bound: number;
}

export interface AssertionOutcome extends Assertion {
  measured?: number;
  unit?: Unit;
  pass: boolean;
}

/** Figures every echo run has, and those of push runs (bench/metrics.ts makes them). */
const ECHO_FIGURES = ["p50", "p90", "p99", "p999", "max", "mean", "rate", "mbps", "errors", "cpu.client", "cpu.server", "uncorrected.p99", "late", "loss", "jitter", "wire.up", "wire.down"];
const PUSH_FIGURES = ["p50", "p90", "p99", "max", "last.p50", "requests", "missing", "wire.up", "wire.down", "bytes"];

const SECTIONS: Record<Scenario, string[]> = {
  suite: ["rtt", "push", "distance", "throughput", "load"],
  rtt: ["rtt"],
  push: ["push"],
  throughput: ["throughput"],
  load: ["load"],
  connect: ["connect"],
  udp: ["udp"],
  fanout: ["fanout"],
  distance: ["distance"],
};

/** Distance rows are request rows (echo figures) or push rows, and each has its cost in round trips. */
function distanceNames(config: BenchConfig): string[] {
  const requests = distanceDrivers(config).map((d) => DRIVER_SUBJECT[d]);
  const pushes = pushPatterns(config, "distance").map(distancePushSubject);
  return [
    ...requests.flatMap((s) => [...ECHO_FIGURES, "rtts"].map((f) => `${s}.distance.${f}`)),
    ...pushes.flatMap((s) => [...PUSH_FIGURES, "rtts"].map((f) => `${s}.distance.${f}`)),
    ...requests.map((s) => `${s}.loss`),
  ];
}

/** The subjects (transports or push patterns) a section of this config can name. */
function subjects(section: string, config: BenchConfig): string[] {
  const t = config.transports;
  switch (section) {
    case "push":
      return pushPatterns(config, config.scenario === "suite" ? "suite" : "push").map(patternSubject);
    case "fanout":
      return pushPatterns(config, "fanout").map(patternSubject);
    case "rtt":
      return t.flatMap((x) => (x === "http" ? ["http", "http-close"] : [x]));
    case "connect":
      // Under --net a TCP connection is timed to its first reply (tcp-new), not to connect().
      return t.filter((x) => x !== "udp").map((x) => (x === "http" ? "http-close" : x === "tcp" && config.net ? "tcp-new" : x));
    case "udp":
      return ["udp", "udp-oneway"];
    default:
      return [...t];
  }
}

/** Every metric name (without sweep points) this config's run can produce. */
export function validMetricNames(config: BenchConfig): string[] {
  const names = new Set<string>();
  for (const section of SECTIONS[config.scenario]) {
    if (section === "distance") {
      // The suite leaves the distance section out under --net, or without WebSocket and HTTP.
      if (hasDistance(config)) for (const name of distanceNames(config)) names.add(name);
      continue;
    }
    const figures = section === "push" || section === "fanout" ? PUSH_FIGURES : ECHO_FIGURES;
    for (const subject of subjects(section, config)) {
      for (const figure of figures) names.add(`${subject}.${section}.${figure}`);
      if (section !== "push" && section !== "fanout") names.add(`${subject}.loss`);
    }
  }
  return [...names];
}

const UNITS: Record<string, { unit: Unit; factor: number }> = {
  ns: { unit: "ns", factor: 1 },
  us: { unit: "ns", factor: 1e3 },
  "µs": { unit: "ns", factor: 1e3 },
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

/** The unit a figure is measured in, from its name. */
function unitOf(metric: string): Unit {
  const figure = metric.split(".").slice(metric.endsWith(".loss") && metric.split(".").length === 2 ? 1 : 2).join(".");
  if (figure === "loss") return "share";
  if (figure === "rate") return "per_s";
  if (figure === "mbps") return "bytes_per_s";
  if (figure.startsWith("wire") || figure === "bytes") return "bytes";
  if (["errors", "late", "missing"].includes(figure)) return "count";
  if (figure === "requests" || figure === "rtts") return "ratio";
  return "ns";
}

/** Parses every --assert; problems (syntax, unknown names, wrong units) go to `problems`. */
export function parseAssertions(texts: string[], config: BenchConfig, problems: string[]): Assertion[] {
  const valid = new Set(validMetricNames(config));
  const out: Assertion[] = [];
  for (const text of texts) {
    const m = PATTERN.exec(text);
    if (!m) {
      problems.push(`--assert "${text}": write it as <metric> <op> <value>, e.g. "ws.rtt.p99 < 2ms" or "udp.loss < 0.1%"`);
      continue;
    }
    const [, metric, op, number, rawUnit] = m as unknown as [string, string, Assertion["op"], string, string];
    const generic = metric.replace(/@[0-9]+(b|ms)?(?=\.)/i, "");
    if (!valid.has(generic)) {
      const hint = [...valid].filter((n) => n.startsWith(metric.split(".")[0] ?? "")).slice(0, 12);
      problems.push(`--assert "${text}": no metric "${metric}" in a ${config.scenario} run; valid names include ${(hint.length ? hint : [...valid].slice(0, 12)).join(", ")} (all: bun run bench ${config.scenario} --list-metrics)`);
      continue;
    }
    const unit = unitOf(generic);
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
