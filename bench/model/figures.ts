import type { LoadResult } from "../run/load-run.ts";
import type { PushRunResult } from "../run/push-run.ts";
import { latency } from "./format.ts";
import { DRIVER_SUBJECT } from "../catalog.ts";
import { loadRuns, type BenchResult, type Section } from "./results.ts";
import { distanceRows, rttOfRun } from "./distance-rows.ts";
import { patternSubject } from "../scenarios/patterns.ts";
import { lossShare } from "../scenarios/udp.ts";

/**
 * Every figure of a result under a stable name, for comparing runs and asserting thresholds:
 * `<subject>.<scenario>[@<point>].<figure>`, e.g. `ws.rtt.p99`, `tcp.throughput@1024B.rate`,
 * `http.load@5000.p99`, `sse.push.p50`. Where a scenario sweeps (sizes, rates, subscribers), the
 * name without `@<point>` is the worst value across the sweep; `<subject>.loss` is the loss over
 * every run of that subject. A run repeated with --repeat carries each figure's spread.
 */

export type Unit = "ns" | "per_s" | "bytes_per_s" | "bytes" | "share" | "count" | "ratio";

export interface Metric {
  value: number;
  unit: Unit;
  better: "lower" | "higher";
  /** Over repetitions of the same run: the lowest and highest value seen (value is the median). */
  spread?: { min: number; max: number; n: number };
}

export type Figures = Record<string, Omit<Metric, "spread">>;

const lower = (value: number, unit: Unit): Omit<Metric, "spread"> => ({ value, unit, better: "lower" });
const higher = (value: number, unit: Unit): Omit<Metric, "spread"> => ({ value, unit, better: "higher" });

/** The figures of one echo run, by name. */
export function loadFigures(r: LoadResult): Figures {
  const f: Figures = {
    p50: lower(r.latency.p50, "ns"),
    p90: lower(r.latency.p90, "ns"),
    p99: lower(r.latency.p99, "ns"),
    p999: lower(r.latency.p999, "ns"),
    max: lower(r.latency.max, "ns"),
    mean: lower(r.latency.mean, "ns"),
    rate: higher(r.opsPerSec, "per_s"),
    mbps: higher(r.payloadBytesPerSec, "bytes_per_s"),
    errors: lower(Object.values(r.counts.errors).reduce((a, b) => a + b, 0) + r.counts.timeouts, "count"),
    "cpu.client": lower(r.cost.clientCpuPerOpUs * 1000, "ns"),
  };
  if (!r.remote) f["cpu.server"] = lower(r.cost.serverCpuPerOpUs * 1000, "ns");
  if (r.spec.model === "open") {
    f["uncorrected.p99"] = lower(r.uncorrected.p99, "ns");
    f.late = lower(r.counts.behind, "count");
  }
  if (r.spec.driver === "udp" || r.spec.driver === "udp-oneway") {
    f.loss = lower(lossShare(r), "share");
    if (r.spec.driver === "udp") f.jitter = lower(r.sequence.jitterNs, "ns");
  }
  if (r.wirePerOp) {
    f["wire.up"] = lower(r.wirePerOp.in, "bytes");
    f["wire.down"] = lower(r.wirePerOp.out, "bytes");
  }
  return f;
}

/** The figures of one push run, by name. */
export function pushFigures(r: PushRunResult): Figures {
  const f: Figures = {
    p50: lower(r.latency.p50, "ns"),
    p90: lower(r.latency.p90, "ns"),
    p99: lower(r.latency.p99, "ns"),
    max: lower(r.latency.max, "ns"),
    "last.p50": lower(r.slowestDelivery.p50, "ns"),
    requests: lower(r.requestsPerEvent, "ratio"),
    missing: lower(Math.max(0, r.expected - r.delivered), "count"),
  };
  if (r.bytesPerEvent) {
    f["wire.up"] = lower(r.bytesPerEvent.up, "bytes");
    f["wire.down"] = lower(r.bytesPerEvent.down, "bytes");
    f.bytes = lower(r.bytesPerEvent.up + r.bytesPerEvent.down, "bytes");
  }
  return f;
}

export function pushSubject(r: PushRunResult): string {
  return patternSubject({ kind: r.spec.pattern, intervalMs: r.spec.intervalMs });
}

interface RunEntry {
  subject: string;
  point?: string;
  figures: Figures;
  spread?: Record<string, { median: number; min: number; max: number }>;
  repeats?: number;
}

function entries(section: Section): RunEntry[] {
  const withRepeat = (r: LoadResult | PushRunResult) => ({ spread: r.repeat?.figures, repeats: r.repeat?.count });
  switch (section.kind) {
    case "hello":
      return [];
    case "rtt": {
      const sizes = new Set(section.runs.map((r) => r.spec.size));
      return section.runs.map((r) => ({ subject: DRIVER_SUBJECT[r.spec.driver], point: sizes.size > 1 ? `${r.spec.size}B` : undefined, figures: loadFigures(r), ...withRepeat(r) }));
    }
    case "throughput":
      return section.runs.map((r) => ({ subject: DRIVER_SUBJECT[r.spec.driver], point: `${r.spec.size}B`, figures: loadFigures(r), ...withRepeat(r) }));
    case "load":
    case "udp":
      return [...section.runs, ...(section.kind === "udp" ? section.oneWay : [])].map((r) => ({ subject: DRIVER_SUBJECT[r.spec.driver], point: `${r.spec.ratePerSec}`, figures: loadFigures(r), ...withRepeat(r) }));
    case "connect":
      return section.runs.map((r) => ({ subject: DRIVER_SUBJECT[r.spec.driver], figures: loadFigures(r), ...withRepeat(r) }));
    case "push":
      return section.runs.map((r) => ({ subject: pushSubject(r), figures: pushFigures(r), ...withRepeat(r) }));
    case "fanout":
      return section.runs.map((r) => ({ subject: pushSubject(r), point: `${r.spec.subscribers}`, figures: pushFigures(r), ...withRepeat(r) }));
    case "distance":
      // Each row at each round-trip time ("ws-new.distance@100ms.p50"), and its cost in round trips ("ws-new.distance.rtts").
      return distanceRows(section).flatMap((row) => [
        ...row.runs.map((r) => ({ subject: row.subject, point: `${rttOfRun(r)}ms`, figures: "driver" in r.spec ? loadFigures(r as LoadResult) : pushFigures(r as PushRunResult), ...withRepeat(r) })),
        ...(row.roundTrips === undefined ? [] : [{ subject: row.subject, figures: { rtts: lower(row.roundTrips, "ratio") } }]),
      ]);
  }
}

/** Every named figure of a result. */
export function metricsOf(result: BenchResult): Map<string, Metric> {
  const out = new Map<string, Metric>();
  const worst = new Map<string, Metric>();
  const loss = new Map<string, { lost: number; sent: number }>();
  for (const section of result.sections) {
    for (const e of entries(section)) {
      for (const [figure, m] of Object.entries(e.figures)) {
        const s = e.spread?.[figure];
        // Repeated runs are named by each figure's median, with its range as the spread.
        const metric: Metric = s ? { ...m, value: s.median, spread: { min: s.min, max: s.max, n: e.repeats ?? 1 } } : m;
        const base = `${e.subject}.${section.kind}`;
        out.set(e.point ? `${base}@${e.point}.${figure}` : `${base}.${figure}`, metric);
        if (e.point) {
          const key = `${base}.${figure}`;
          const prev = worst.get(key);
          const worse = !prev || (m.better === "lower" ? m.value > prev.value : m.value < prev.value);
          if (worse) worst.set(key, metric);
        }
      }
    }
    for (const r of loadRuns(section)) {
      const subject = DRIVER_SUBJECT[r.spec.driver];
      const t = loss.get(subject) ?? { lost: 0, sent: 0 };
      if (r.oneWay) {
        t.lost += r.oneWay.lost;
        t.sent += r.oneWay.sent;
      } else {
        t.lost += r.sequence.lost;
        t.sent += r.sequence.sent;
      }
      loss.set(subject, t);
    }
  }
  for (const [key, m] of worst) if (!out.has(key)) out.set(key, m);
  for (const [subject, t] of loss) out.set(`${subject}.loss`, lower(t.sent ? t.lost / t.sent : 0, "share"));
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


