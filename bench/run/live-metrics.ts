// Live metrics (--metrics-port): the run in progress in the Prometheus text format, for the
// dashboards people already have. Counters and gauges are prom-client's; the latency histogram
// is filled from the swarm's reports, which carry HdrHistograms of what completed since the
// last report, so it is exposed through prom-client's registry as a collector of our own
// (prom-client's Histogram takes one observation at a time, and a swarm reports thousands).
import * as prom from "prom-client";
import { countAbove, decodeHistogram, newHistogram, type Histogram } from "../stats/histogram.ts";
import { cpuTimeOf } from "../stats/cost.ts";
import type { LiveShare } from "./worker-protocol.ts";

/** Latency buckets, seconds: 10 µs to 10 s, 1-2.5-5 steps. */
export const LATENCY_BUCKETS_S = [1e-5, 2.5e-5, 5e-5, 1e-4, 2.5e-4, 5e-4, 1e-3, 2.5e-3, 5e-3, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** A run as the metrics name it: the run's label, and the driver or pattern it measures. */
export interface LiveRun {
  run: string;
  transport: string;
  /** Open loop: the rate offered, per second. */
  offeredPerSec?: number;
  /** The local server's pid, for its CPU; none for a remote one. */
  serverPid?: number;
}

interface RunState {
  labels: { run: string };
  /** Cumulative bucket counts (≤ each bound), the sum of latencies (s), their count. */
  buckets: number[];
  sum: number;
  count: number;
  /** Each swarm process's last report: operations done, CPU, errors by kind. */
  processes: { done: number; cpuMs: number; errors: Record<string, number> }[];
  window: Histogram;
  lastAt: number;
  lastDone: number;
  serverCpuMs: number;
  serverPid?: number;
}

/** The latency histogram, cumulative over each run, in the registry's own format. */
class LatencyCollector {
  readonly name = "socketlab_latency_seconds";
  readonly help = "Latency of each completed operation (open loop: from when it was due), seconds";
  readonly type = "histogram";
  readonly aggregator = "sum";
  constructor(private readonly runs: Map<string, RunState>) {}

  get() {
    const values: { value: number; labels: Record<string, string | number>; metricName: string }[] = [];
    for (const s of this.runs.values()) {
      for (const [i, le] of LATENCY_BUCKETS_S.entries()) values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le }, value: s.buckets[i]! });
      values.push({ metricName: `${this.name}_bucket`, labels: { ...s.labels, le: "+Inf" }, value: s.count });
      values.push({ metricName: `${this.name}_sum`, labels: s.labels, value: s.sum });
      values.push({ metricName: `${this.name}_count`, labels: s.labels, value: s.count });
    }
    return { name: this.name, help: this.help, type: this.type, values, aggregator: this.aggregator };
  }
}

export class LiveMetrics {
  readonly registry = new prom.Registry();
  private readonly runs = new Map<string, RunState>();
  private readonly operations = this.counter("socketlab_operations_total", "Operations completed in measured phases (messages answered, events delivered)", [
    "run",
    "transport",
  ]);
  private readonly errors = this.counter("socketlab_errors_total", "Failed operations in measured phases, by kind (timeout, closed: ..., http-503, ...)", [
    "run",
    "kind",
  ]);
  private readonly offered = this.gauge("socketlab_offered_operations_per_second", "Open loop: the rate offered", ["run"]);
  private readonly achieved = this.gauge("socketlab_achieved_operations_per_second", "Operations completed per second over the last report interval", ["run"]);
  private readonly current = this.gauge(
    "socketlab_latency_window_seconds",
    "Latency percentiles (50, 99, 100: the largest) of the operations completed in the last report interval",
    ["run", "percentile"],
  );
  private readonly pause = this.gauge(
    "socketlab_pause_max_seconds",
    "The swarm processes' longest pause in the last report interval (how late their sleepers woke)",
    ["run"],
  );
  private readonly generatorCpu = this.counter("socketlab_generator_cpu_seconds_total", "CPU (user + system) of the swarm processes in measured phases", [
    "run",
  ]);
  private readonly serverCpu = this.counter(
    "socketlab_server_cpu_seconds_total",
    "CPU (user + system) of the local server process while its run was measured",
    ["run"],
  );
  private readonly active = this.gauge("socketlab_run_active", "1 while the run measures, 0 once it has ended", ["run", "transport"]);

  private counter<L extends string>(name: string, help: string, labelNames: L[]): prom.Counter<L> {
    return new prom.Counter({ name, help, labelNames, registers: [this.registry] });
  }

  private gauge<L extends string>(name: string, help: string, labelNames: L[]): prom.Gauge<L> {
    return new prom.Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  constructor() {
    this.registry.registerMetric(new LatencyCollector(this.runs) as unknown as prom.Metric);
  }

  /**
   * A run begins: its series appear (at zero) before its first report. A run made again (the
   * next round) carries on its series: they count over every round, as counters do.
   */
  begin(run: LiveRun, processes: number): void {
    const labels = { run: run.run };
    const before = this.runs.get(run.run);
    this.runs.set(run.run, {
      labels,
      buckets: before?.buckets ?? LATENCY_BUCKETS_S.map(() => 0),
      sum: before?.sum ?? 0,
      count: before?.count ?? 0,
      processes: Array.from({ length: processes }, () => ({ done: 0, cpuMs: 0, errors: {} })),
      window: newHistogram(),
      lastAt: performance.now(),
      lastDone: 0,
      serverCpuMs: 0,
      serverPid: run.serverPid,
    });
    this.operations.inc({ run: run.run, transport: run.transport }, 0);
    this.active.set({ run: run.run, transport: run.transport }, 1);
    if (run.offeredPerSec) this.offered.set(labels, run.offeredPerSec);
  }

  /** Swarm process `i` of a run reports (done and errors are its totals so far). */
  report(run: LiveRun, i: number, done: number, live: LiveShare): void {
    const s = this.runs.get(run.run);
    const p = s?.processes[i];
    if (!s || !p) return;
    this.operations.inc({ run: run.run, transport: run.transport }, Math.max(0, done - p.done));
    p.done = done;
    for (const [kind, n] of Object.entries(live.errors)) {
      const delta = n - (p.errors[kind] ?? 0);
      if (delta > 0) this.errors.inc({ run: run.run, kind }, delta);
    }
    p.errors = { ...live.errors };
    this.generatorCpu.inc(s.labels, Math.max(0, live.cpuMs - p.cpuMs) / 1000);
    p.cpuMs = live.cpuMs;
    this.pause.set(s.labels, live.pauseMaxNs / 1e9);
    if (live.latency) this.addLatency(s, decodeHistogram(live.latency));
    this.tick(s);
  }

  /** Adds a report's latencies to the run's cumulative buckets and to the current window. */
  private addLatency(s: RunState, h: Histogram): void {
    if (h.totalCount === 0) return;
    LATENCY_BUCKETS_S.forEach((le, i) => {
      s.buckets[i]! += h.totalCount - countAbove(h, le * 1e9);
    });
    s.sum += (h.mean * h.totalCount) / 1e9;
    s.count += h.totalCount;
    s.window.add(h);
  }

  /** Once a report interval has passed: the achieved rate, the window's percentiles, the server's CPU. */
  private tick(s: RunState): void {
    const now = performance.now();
    if (now - s.lastAt < 400) return;
    const done = s.processes.reduce((a, p) => a + p.done, 0);
    this.achieved.set(s.labels, ((done - s.lastDone) * 1000) / (now - s.lastAt));
    if (s.window.totalCount > 0)
      for (const p of [50, 99, 100]) this.current.set({ ...s.labels, percentile: String(p) }, s.window.getValueAtPercentile(p) / 1e9);
    s.window = newHistogram();
    s.lastAt = now;
    s.lastDone = done;
    const cpu = s.serverPid === undefined ? undefined : cpuTimeOf(s.serverPid);
    if (cpu) {
      const ms = cpu.userMs + cpu.sysMs;
      // The first reading starts the count: the server's start-up is not the run's.
      if (s.serverCpuMs > 0) this.serverCpu.inc(s.labels, Math.max(0, ms - s.serverCpuMs) / 1000);
      s.serverCpuMs = ms;
    }
  }

  /** The run has ended: its counters stay, its gauges say so. */
  end(run: LiveRun): void {
    this.active.set({ run: run.run, transport: run.transport }, 0);
    const s = this.runs.get(run.run);
    if (s) this.achieved.set(s.labels, 0);
  }

  text(): Promise<string> {
    return this.registry.metrics();
  }
}

let installed: LiveMetrics | undefined;

/** The metrics being served, if any (the CLI installs them with --metrics-port). */
export function liveMetrics(): LiveMetrics | undefined {
  return installed;
}

export function installLiveMetrics(m: LiveMetrics | undefined): void {
  installed = m;
}

/**
 * Serves the metrics at http://HOST:PORT/metrics (PORT 0: any free one) until stopped. Anything
 * else on that port answers 404 with where to look.
 */
export function serveMetrics(metrics: LiveMetrics, host: string, port: number): { port: number; stop(): void } {
  const server = Bun.serve({
    hostname: host,
    port,
    async fetch(req) {
      if (new URL(req.url).pathname !== "/metrics") return new Response("socketlab: metrics are at /metrics\n", { status: 404 });
      return new Response(await metrics.text(), { headers: { "Content-Type": metrics.registry.contentType } });
    },
  });
  return { port: server.port ?? port, stop: () => server.stop(true) };
}
