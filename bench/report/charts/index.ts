// Charts for a report, drawn from the result alone: hand-written standalone SVG, the same bytes
// for the same result (no dates, no randomness), readable on light and dark pages.
import type { BenchResult, SectionOf, LoadResult, PushRunResult } from "../../model/results.ts";
import { count, rate } from "../../model/format.ts";
import { driverLabel } from "./labels.ts";
import { sequential, styleRefs } from "./palette.ts";
import { distanceChart } from "./distance.ts";
import { overTimeChart } from "./over-time.ts";
import { pushLatencyChart } from "./push-latency.ts";
import { rateSweepChart, sweepPoints } from "./rate-sweep.ts";
import { rttBarsChart } from "./rtt-bars.ts";
import { spectrumChart } from "./spectrum.ts";
import { throughputChart } from "./throughput.ts";
import { plain, size } from "./units.ts";
import type { DriverName } from "../../catalog.ts";

export interface Chart {
  /** File-safe slug; the caller writes `<report-stem>-<name>.svg`. */
  name: string;
  title: string;
  svg: string;
}

function sizes(runs: LoadResult[]): string {
  return [...new Set(runs.map((r) => r.spec.size))].map(size).join(", ");
}

function plural(n: number, word: string): string {
  return `${count(n)} ${word}${n === 1 ? "" : "s"}`;
}

function rttCharts(s: SectionOf<"rtt">): Chart[] {
  const subtitle = `${sizes(s.runs)} messages, one client, one message in flight`;
  return [
    {
      name: "rtt-spectrum",
      title: "Round-trip latency by percentile",
      svg: spectrumChart({ title: "Round-trip latency by percentile", subtitle, yLabel: "round-trip latency (log scale)", runs: s.runs }),
    },
    { name: "rtt-p50-p99", title: "Round-trip latency: p50 and p99 by transport", svg: rttBarsChart(s.runs, subtitle) },
  ].filter(drawn);
}

function pushCharts(s: SectionOf<"push">): Chart[] {
  const eventSize = s.runs[0]?.spec.eventSize;
  const subtitle = `${count(s.eventsPerSec)} events/s${eventSize === undefined ? "" : ` of ${size(eventSize)}`} to ${plural(s.subscribers, "subscriber")}; publication to receipt on a shared clock`;
  return [{ name: "push-latency", title: "Server push: delivery latency by pattern", svg: pushLatencyChart(s.runs, subtitle) }].filter(drawn);
}

function throughputCharts(s: SectionOf<"throughput">): Chart[] {
  const first = s.runs[0];
  const subtitle = first ? `closed loop: ${plural(first.spec.clients, "connection")} × ${first.spec.window} messages in flight` : "";
  return [
    { name: "throughput", title: "Throughput against message size", svg: throughputChart(s.runs, "messages", subtitle) },
    {
      name: "throughput-mbps",
      title: "Payload throughput against message size",
      svg: throughputChart(s.runs, "megabytes", `${subtitle}; the same bytes come back`),
    },
  ].filter(drawn);
}

/** One sweep series per transport, in order of first appearance. */
function byDriver(runs: LoadResult[]): { driver: DriverName; runs: LoadResult[] }[] {
  const drivers = [...new Set(runs.map((r) => r.spec.driver))];
  return drivers.map((driver) => ({ driver, runs: runs.filter((r) => r.spec.driver === driver) }));
}

function loadCharts(s: SectionOf<"load">): Chart[] {
  const rates = [...new Set(s.runs.map((r) => r.spec.ratePerSec))].sort((a, b) => a - b);
  const clients = s.runs[0]?.spec.clients ?? 0;
  const corrected = "timed from each message's scheduled send (corrected for coordinated omission)";
  const charts: (Omit<Chart, "svg"> & { svg: string | undefined })[] = [
    {
      name: "load-spectrum",
      title: "Open-loop latency by percentile",
      svg: spectrumChart({
        title: "Open-loop latency by percentile",
        subtitle: `${rates.map(rate).join(", ")} offered over ${plural(clients, "connection")}; ${corrected}`,
        yLabel: "corrected latency (log scale)",
        runs: s.runs,
      }),
    },
  ];
  // A sweep needs two rates of one transport at least; a single rate is already the spectrum.
  const groups = byDriver(s.runs);
  if (groups.some((g) => new Set(g.runs.map((r) => r.spec.ratePerSec)).size >= 2)) {
    const styles = styleRefs(groups.map((g) => g.driver));
    charts.push({
      name: "load-sweep",
      title: "Latency against offered rate",
      svg: rateSweepChart({
        title: "Latency against offered rate",
        subtitle: `open loop over ${plural(clients, "connection")}; ${corrected}`,
        yLabel: "corrected latency (log scale)",
        series: groups.map((g, i) => ({ label: driverLabel(g.driver), style: styles[i] ?? sequential(i), points: sweepPoints(g.runs) })),
      }),
    });
  }
  return charts.filter(drawn);
}

/** Each search's steps as a latency-against-rate curve, the objectives as rules across it. */
function capacityCharts(s: SectionOf<"capacity">): Chart[] {
  const runs = s.runs.filter((r) => r.capacity);
  const styles = styleRefs(runs.map((r) => r.spec.driver));
  const rules = (runs[0]?.spec.capacity?.objectives ?? []).map((o) => ({ y: o.boundNs, label: `objective ${o.text}` }));
  const svg = rateSweepChart({
    title: "Capacity search: latency at each step's rate",
    subtitle: `each step one rate on the same ${plural(runs[0]?.spec.clients ?? 0, "connection")}; corrected for coordinated omission`,
    yLabel: "corrected latency (log scale)",
    series: runs.map((r, i) => ({
      label: driverLabel(r.spec.driver),
      style: styles[i] ?? sequential(i),
      points: r
        .capacity!.steps.filter((st) => !st.confirmation && st.latency.count > 0)
        .map((st) => ({ ratePerSec: st.ratePerSec, p50: st.latency.p50, p99: st.latency.p99 })),
    })),
    rules,
  });
  return [{ name: "capacity-curve", title: "Capacity search: latency at each step's rate", svg }].filter(drawn);
}

function udpCharts(s: SectionOf<"udp">): Chart[] {
  if (new Set(s.runs.map((r) => r.spec.ratePerSec)).size < 2) return [];
  const loss = s.lossBeginsAt === undefined ? "no loss at any rate tried" : `loss began at ${rate(s.lossBeginsAt)}`;
  const svg = rateSweepChart({
    title: "UDP echo: round trip against send rate",
    subtitle: `${sizes(s.runs)} datagrams, echoed; ${loss}`,
    yLabel: "round-trip latency, corrected (log scale)",
    series: [
      { label: `${driverLabel(s.runs[0]!.spec.driver)} echo`, style: styleRefs([s.runs[0]!.spec.driver])[0] ?? sequential(0), points: sweepPoints(s.runs) },
    ],
  });
  return [{ name: "udp-sweep", title: "UDP echo: round trip against send rate", svg }].filter(drawn);
}

function distanceCharts(s: SectionOf<"distance">): Chart[] {
  const subtitle = "p50 through the relay; each line's slope is its cost in round trips";
  return [{ name: "distance-latency", title: "Latency against round-trip time", svg: distanceChart(s, subtitle) }].filter(drawn);
}

const OVER_TIME_TITLES = {
  rtt: "Round-trip latency over time",
  load: "Open-loop latency over time",
  capacity: "Capacity search: latency over time",
  throughput: "Latency under throughput over time",
  push: "Push delivery latency over time",
} as const;

/** Latency over time for a section's runs, named `<section>-over-time`. */
function overTime(kind: keyof typeof OVER_TIME_TITLES, runs: LoadResult[] | PushRunResult[]): Chart[] {
  const interval = runs[0]?.timeline?.[0]?.lengthMs ?? 1000;
  const title: string = OVER_TIME_TITLES[kind];
  const each = interval >= 1000 ? `${plain(interval / 1000)} s` : `${plain(interval)} ms`;
  const subtitle = `p99 and p50 of each ${each} interval of each run${kind === "load" || kind === "capacity" ? ", corrected for coordinated omission" : kind === "push" ? ", by when each event was published" : ""}`;
  return [{ name: `${kind}-over-time`, title, svg: overTimeChart(runs, title, subtitle) }].filter(drawn);
}

function drawn(c: Omit<Chart, "svg"> & { svg: string | undefined }): c is Chart {
  return c.svg !== undefined;
}

/** Every chart the result has data for, in the order of its sections. */
export function renderCharts(result: BenchResult): Chart[] {
  const out: Chart[] = [];
  for (const s of result.sections) {
    switch (s.kind) {
      case "rtt":
        out.push(...rttCharts(s), ...overTime("rtt", s.runs));
        break;
      case "push":
        out.push(...pushCharts(s), ...overTime("push", s.runs));
        break;
      case "throughput":
        out.push(...throughputCharts(s), ...overTime("throughput", s.runs));
        break;
      case "load":
        out.push(...loadCharts(s), ...overTime("load", s.runs));
        break;
      case "capacity":
        out.push(...capacityCharts(s), ...overTime("capacity", s.runs));
        break;
      case "udp":
        out.push(...udpCharts(s));
        break;
      case "distance":
        out.push(...distanceCharts(s));
        break;
      // Connection set-up and fan-out have no chart yet: their tables carry one figure per run.
      case "connect":
      case "fanout":
        break;
    }
  }
  return out;
}
