// Every figure a result can carry, registered once with its unit and the direction that is
// better, and the names they go by: `<subject>.<section>[@<point>].<figure>`, e.g. `ws.rtt.p99`,
// `tcp.throughput@1024B.rate`, `http.load@5000.p99`, `sse.push.p50`. Metrics, --assert,
// --list-metrics and compare all read this registry. Where a section sweeps (sizes, rates,
// subscribers, round trips), the name without `@<point>` is the worst value across the sweep;
// `<subject>.loss` is the loss over every run of that subject. A run repeated with --repeat
// carries each figure's spread.
import { DRIVERS, TRANSPORT_DRIVERS } from "../catalog.ts";
import { distanceRows } from "./distance-rows.ts";
import { latency } from "./format.ts";
import { bestStep } from "./ramp.ts";
import { BROWSER_FIGURES, browserSubject, subjectOf } from "./names.ts";
import { isLoadRun, loadRuns, sectionRuns, type BenchResult, type LoadResult, type PushRunResult, type SectionKind } from "./results.ts";
import { isLoadSpec, rttMsOf, type LoadSpec, type PushSpec, type RunSpec } from "./spec.ts";
import type { Unit } from "./unit.ts";

export type { Unit };

export interface FigureDef {
  unit: Unit;
  better: "lower" | "higher";
  /** What it is, for --list-metrics. */
  about: string;
}

export const FIGURES = {
  p50: { unit: "ns", better: "lower", about: "latency, median" },
  p90: { unit: "ns", better: "lower", about: "latency, 90th percentile" },
  p99: { unit: "ns", better: "lower", about: "latency, 99th percentile" },
  p999: { unit: "ns", better: "lower", about: "latency, 99.9th percentile" },
  max: { unit: "ns", better: "lower", about: "latency, largest" },
  mean: { unit: "ns", better: "lower", about: "latency, mean" },
  rate: { unit: "per_s", better: "higher", about: "operations completed per second" },
  mbps: { unit: "bytes_per_s", better: "higher", about: "payload bytes per second, each way" },
  errors: { unit: "count", better: "lower", about: "failed operations and timeouts" },
  "cpu.client": { unit: "ns", better: "lower", about: "load generator CPU per operation" },
  "cpu.server": { unit: "ns", better: "lower", about: "server CPU per operation" },
  "uncorrected.p99": { unit: "ns", better: "lower", about: "p99 timed from the actual send (open loop)" },
  late: { unit: "count", better: "lower", about: "sends that left late (open loop)" },
  loss: { unit: "share", better: "lower", about: "datagrams lost" },
  jitter: { unit: "ns", better: "lower", about: "RFC 3550 jitter of the round trip" },
  "wire.up": { unit: "bytes", better: "lower", about: "TCP payload bytes per operation or event, client to server" },
  "wire.down": { unit: "bytes", better: "lower", about: "TCP payload bytes per operation or event, server to client" },
  "last.p50": { unit: "ns", better: "lower", about: "per event, time until its last subscriber had it, median" },
  requests: { unit: "ratio", better: "lower", about: "HTTP requests per delivered event" },
  missing: { unit: "count", better: "lower", about: "deliveries that never came" },
  bytes: { unit: "bytes", better: "lower", about: "TCP payload bytes per event, both ways" },
  rtts: { unit: "ratio", better: "lower", about: "cost in round trips: the slope of p50 against the round-trip time" },
} as const satisfies Record<string, FigureDef>;

export type FigureName = keyof typeof FIGURES;

export interface Metric {
  value: number;
  unit: Unit;
  better: "lower" | "higher";
  /** Over repetitions of the same run: the lowest and highest value seen (value is the median). */
  spread?: { min: number; max: number; n: number };
}

export type Figures = Partial<Record<FigureName, number>>;

/** A figure's name from a metric's: "p99" of "ws.rtt.p99", "cpu.client" of "tcp.rtt.cpu.client", "loss" of "udp.loss". */
export function figureOf(metric: string): FigureName | undefined {
  const parts = metric.split(".");
  const name = parts.length <= 2 ? parts.at(-1) : parts.slice(2).join(".");
  return name !== undefined && Object.hasOwn(FIGURES, name) ? (name as FigureName) : undefined;
}

const LATENCY: FigureName[] = ["p50", "p90", "p99", "p999", "max", "mean"];

/** The figures an echo run of this spec has (a remote server's CPU and sockets are not measured). */
export function echoFigureNames(spec: LoadSpec): FigureName[] {
  // A capacity search's figures: the rate found, and the latency at it.
  if (spec.capacity) return ["rate", "p50", "p99"];
  const d = DRIVERS[spec.driver];
  const local = spec.target === undefined;
  const names: FigureName[] = [...LATENCY, "rate", "mbps", "errors", "cpu.client"];
  if (local) names.push("cpu.server");
  if (spec.model === "open") names.push("uncorrected.p99", "late");
  if (TRANSPORT_DRIVERS[d.transport].datagram) names.push("loss", ...(d.operation === "echo" ? (["jitter"] as const) : []));
  if (d.wireMeasurable && local) names.push("wire.up", "wire.down");
  return names;
}

/** The figures a push run of this spec has. */
export function pushFigureNames(spec: PushSpec): FigureName[] {
  return ["p50", "p90", "p99", "max", "last.p50", "requests", "missing", ...(spec.target === undefined ? (["wire.up", "wire.down", "bytes"] as const) : [])];
}

/** Lost share of a run: echo loss from the sender's sequence numbers, one-way loss from the server's count. */
export function lossShare(r: LoadResult): number {
  if (r.oneWay) return r.oneWay.sent > 0 ? r.oneWay.lost / r.oneWay.sent : 0;
  return r.sequence.sent > 0 ? r.sequence.lost / r.sequence.sent : 0;
}

/** The figures of one echo run, by name (those it could not measure are left out). */
export function loadFigures(r: LoadResult): Figures {
  if (r.capacity) {
    const at = bestStep(r.capacity);
    return { rate: r.capacity.ratePerSec ?? 0, ...(at ? { p50: at.latency.p50, p99: at.latency.p99 } : {}) };
  }
  const f: Figures = {};
  for (const name of echoFigureNames(r.spec)) {
    const value = echoValue(r, name);
    if (value !== undefined) f[name] = value;
  }
  return f;
}

function echoValue(r: LoadResult, name: FigureName): number | undefined {
  switch (name) {
    case "p50":
    case "p90":
    case "p99":
    case "p999":
    case "max":
    case "mean":
      return r.latency[name];
    case "rate":
      return r.opsPerSec;
    case "mbps":
      return r.payloadBytesPerSec;
    case "errors":
      return Object.values(r.counts.errors).reduce((a, b) => a + b, 0) + r.counts.timeouts;
    case "cpu.client":
      return r.cost.clientCpuPerOpUs * 1000;
    case "cpu.server":
      return r.remote ? undefined : r.cost.serverCpuPerOpUs * 1000;
    case "uncorrected.p99":
      return r.uncorrected.p99;
    case "late":
      return r.counts.behind;
    case "loss":
      return lossShare(r);
    case "jitter":
      return r.sequence.jitterNs;
    case "wire.up":
      return r.wirePerOp?.in;
    case "wire.down":
      return r.wirePerOp?.out;
    default:
      return undefined;
  }
}

/** The figures of one push run, by name. */
export function pushFigures(r: PushRunResult): Figures {
  const bytes = r.bytesPerEvent;
  return {
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    "last.p50": r.slowestDelivery.p50,
    requests: r.requestsPerEvent,
    missing: Math.max(0, r.expected - r.delivered),
    ...(bytes ? { "wire.up": bytes.up, "wire.down": bytes.down, bytes: bytes.up + bytes.down } : {}),
  };
}

/** A run's figures, whichever kind it is. */
export function figuresOf(r: LoadResult | PushRunResult): Figures {
  return isLoadRun(r) ? loadFigures(r) : pushFigures(r);
}

/** A run's place in the metric names: its subject, and its point in the section's sweep, if any. */
interface Place {
  subject: string;
  point?: string;
}

/** Where each of a section's runs (given by their specs, in order) stands in the metric names. */
function placesOf(kind: SectionKind, specs: RunSpec[]): Place[] {
  const sizes = new Set(specs.filter(isLoadSpec).map((s) => s.size));
  return specs.map((spec) => {
    const subject = subjectOf(spec, kind === "distance");
    if (kind === "distance") return { subject, point: `${rttMsOf(spec)}ms` };
    if (!isLoadSpec(spec)) return { subject, point: kind === "fanout" ? `${spec.subscribers}` : undefined };
    if (kind === "throughput" || (kind === "rtt" && sizes.size > 1)) return { subject, point: `${spec.size}B` };
    if ((kind === "load" && !spec.stages) || kind === "udp") return { subject, point: `${spec.ratePerSec}` };
    return { subject };
  });
}

/** The names of the figures sections of these kinds and runs will have, without sweep points. */
export function metricNames(sections: { kind: SectionKind; specs: RunSpec[]; rows?: Parameters<typeof browserSubject>[0][] }[]): string[] {
  const names = new Set<string>();
  for (const { kind, specs, rows } of sections) {
    if (kind === "hello") continue;
    for (const row of rows ?? []) for (const f of BROWSER_FIGURES) names.add(`${browserSubject(row)}.${kind}.${f}`);
    const places = placesOf(kind, specs);
    specs.forEach((spec, i) => {
      const subject = places[i]!.subject;
      for (const f of isLoadSpec(spec) ? echoFigureNames(spec) : pushFigureNames(spec)) names.add(`${subject}.${kind}.${f}`);
      if (kind === "distance") names.add(`${subject}.distance.rtts`);
      if (isLoadSpec(spec)) names.add(`${subject}.loss`);
    });
  }
  return [...names];
}

/** Every named figure of a result. */
export function metricsOf(result: BenchResult): Map<string, Metric> {
  const out = new Map<string, Metric>();
  const worst = new Map<string, Metric>();
  const loss = new Map<string, { lost: number; sent: number }>();
  const set = (name: string, figure: FigureName, value: number, spread?: Metric["spread"]) =>
    out.set(name, { value, unit: FIGURES[figure].unit, better: FIGURES[figure].better, ...(spread ? { spread } : {}) });
  for (const section of result.sections) {
    if (section.kind === "hello") continue;
    const runs = sectionRuns(section);
    const places = placesOf(
      section.kind,
      runs.map((r) => r.spec),
    );
    runs.forEach((r, i) => {
      const { subject, point } = places[i]!;
      const base = `${subject}.${section.kind}`;
      for (const [name, measured] of Object.entries(figuresOf(r)) as [FigureName, number][]) {
        // Repeated runs are named by each figure's median, with its range as the spread.
        const s = r.repeat?.figures[name];
        const metric: Metric = {
          value: s ? s.median : measured,
          unit: FIGURES[name].unit,
          better: FIGURES[name].better,
          ...(s ? { spread: { min: s.min, max: s.max, n: r.repeat!.count } } : {}),
        };
        out.set(point ? `${base}@${point}.${name}` : `${base}.${name}`, metric);
        if (point) {
          const key = `${base}.${name}`;
          const prev = worst.get(key);
          if (!prev || (metric.better === "lower" ? metric.value > prev.value : metric.value < prev.value)) worst.set(key, metric);
        }
      }
    });
    // What the browser measured: each row's latency figures ("fetch.browser.p50").
    if (section.kind === "browser")
      for (const row of section.rows) for (const f of BROWSER_FIGURES) set(`${browserSubject(row)}.browser.${f}`, f, row.latency[f]);
    // Each distance row's cost in round trips ("ws-new.distance.rtts").
    if (section.kind === "distance")
      for (const row of distanceRows(section)) if (row.roundTrips !== undefined) set(`${row.subject}.distance.rtts`, "rtts", row.roundTrips);
    for (const r of loadRuns(section)) {
      const subject = subjectOf(r.spec);
      const t = loss.get(subject) ?? { lost: 0, sent: 0 };
      t.lost += r.oneWay ? r.oneWay.lost : r.sequence.lost;
      t.sent += r.oneWay ? r.oneWay.sent : r.sequence.sent;
      loss.set(subject, t);
    }
  }
  for (const [key, m] of worst) if (!out.has(key)) out.set(key, m);
  for (const [subject, t] of loss) set(`${subject}.loss`, "loss", t.sent ? t.lost / t.sent : 0);
  return out;
}

/** A metric's value for people: "48.2 µs", "12,345/s", "0.10%". */
export function formatMetric(value: number, unit: Unit): string {
  switch (unit) {
    case "ns":
      return latency(value);
    case "per_s":
      return `${Math.round(value).toLocaleString("en-US")}/s`;
    case "bytes_per_s":
      return `${(value / 1e6).toFixed(1)} MB/s`;
    case "bytes":
      return `${value.toFixed(0)} B`;
    case "share":
      return `${(value * 100).toPrecision(3)}%`;
    case "count":
      return Math.round(value).toLocaleString("en-US");
    case "ratio":
      return value.toFixed(2);
  }
}
