// Live metrics for real: a run serves the Prometheus text format while it lasts; the text is
// what promtool accepts, counts grow as the run goes, and a real Prometheus scrapes it and
// answers queries about it.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAll, spawnCli } from "./support/processes.ts";
import { PROJECT_ROOT, spawnChild, type Child } from "../lib/children.ts";
import { freePort } from "../lib/net.ts";

afterAll(killAll);
const started: Child[] = [];
afterAll(async () => {
  for (const c of started) c.kill("SIGKILL");
  await Promise.all(started.map((c) => c.exited(5000).catch(() => {})));
});

async function scrape(port: number): Promise<string | undefined> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(1000) });
    return res.ok ? await res.text() : undefined;
  } catch {
    return undefined;
  }
}

/** The value of the first sample line starting with `prefix`. */
function sample(text: string, prefix: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(" ") + 1));
}

test("--metrics-port: counters grow while the run lasts, the histogram is cumulative, and promtool accepts the text", async () => {
  const port = freePort();
  const out = mkdtempSync(join(tmpdir(), "socketlab-metrics-"));
  const bench = spawnCli(["bench/cli/main.ts", "load", "--transports", "tcp", "--rate", "2000", "-d", "4", "--metrics-port", String(port), "-o", out]);
  bench.endInput();
  const texts: string[] = [];
  const deadline = Date.now() + 20_000;
  while (Date.now() < deadline && texts.length < 2) {
    const text = await scrape(port);
    if (text && (sample(text, "socketlab_operations_total{") ?? 0) > 0 && (texts.length === 0 || text !== texts[0])) texts.push(text);
    await Bun.sleep(700);
  }
  expect(texts).toHaveLength(2);
  const ops = texts.map((t) => sample(t, 'socketlab_operations_total{run="TCP, 64 B, 2000/s",transport="tcp"}')!);
  expect(ops[1]!).toBeGreaterThan(ops[0]!);
  const last = texts[1]!;
  // Cumulative buckets, ending in +Inf = the count, which is the operations counted.
  const buckets = last
    .split("\n")
    .filter((l) => l.startsWith("socketlab_latency_seconds_bucket{"))
    .map((l) => Number(l.slice(l.lastIndexOf(" ") + 1)));
  expect(buckets.length).toBe(20);
  for (let i = 1; i < buckets.length; i++) expect(buckets[i]!).toBeGreaterThanOrEqual(buckets[i - 1]!);
  expect(buckets.at(-1)).toBe(sample(last, "socketlab_latency_seconds_count{")!);
  expect(sample(last, 'socketlab_offered_operations_per_second{run="TCP, 64 B, 2000/s"}')).toBe(2000);
  expect(sample(last, 'socketlab_latency_window_seconds{run="TCP, 64 B, 2000/s",percentile="99"}')!).toBeGreaterThan(0);
  expect(sample(last, "socketlab_generator_cpu_seconds_total{")!).toBeGreaterThan(0);
  expect(sample(last, "socketlab_run_active{")).toBe(1);
  if (Bun.which("promtool")) {
    const check = Bun.spawnSync(["promtool", "check", "metrics"], { stdin: new TextEncoder().encode(last) });
    expect(`${check.stdout}${check.stderr}`.trim()).toBe("");
    expect(check.exitCode).toBe(0);
  } else console.log("promtool not installed (Debian: apt-get install prometheus): the text format was not checked by it");
  expect(await bench.exited(30_000)).toBe(0);
  // Gone with the run.
  expect(await scrape(port)).toBeUndefined();
}, 40_000);

test("--metrics-port: a port already taken is one line and exit 1, before anything runs", async () => {
  const holder = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const bench = spawnCli(["bench/cli/main.ts", "rtt", "--transports", "tcp", "--metrics-port", String(holder.port)]);
  bench.endInput();
  expect(await bench.exited(15_000)).toBe(1);
  expect(bench.stderr.text.trim().split("\n").at(-1)).toBe(
    `bench: --metrics-port: port ${holder.port} on 127.0.0.1 is already in use (pick another; 0 picks a free one)`,
  );
  holder.stop(true);
}, 20_000);

test("a real Prometheus scrapes a run and answers queries about it", async () => {
  if (!Bun.which("prometheus")) {
    console.log("SKIPPED: prometheus is not installed (Debian: apt-get install prometheus; .ci/run installs it)");
    return;
  }
  const metricsPort = freePort();
  const promPort = freePort();
  const dir = mkdtempSync(join(tmpdir(), "socketlab-prometheus-"));
  await Bun.write(
    join(dir, "prometheus.yml"),
    `global:\n  scrape_interval: 500ms\nscrape_configs:\n  - job_name: socketlab\n    static_configs:\n      - targets: ["127.0.0.1:${metricsPort}"]\n`,
  );
  const prometheus = spawnChild(
    ["prometheus", `--config.file=${join(dir, "prometheus.yml")}`, `--storage.tsdb.path=${join(dir, "data")}`, `--web.listen-address=127.0.0.1:${promPort}`],
    PROJECT_ROOT,
  );
  started.push(prometheus);
  const api = `http://127.0.0.1:${promPort}`;
  // Ready, and the scrape target discovered (Prometheus hands discovered targets to its scrapers
  // every few seconds): only then does a run's every second get scraped.
  const discovered = async () => {
    const body = (await fetch(`${api}/api/v1/targets`)
      .then((r) => r.json())
      .catch(() => undefined)) as { data?: { activeTargets?: unknown[] } } | undefined;
    return (body?.data?.activeTargets?.length ?? 0) > 0;
  };
  for (let i = 0; i < 150 && !(await discovered()); i++) await Bun.sleep(100);
  const bench = spawnCli(["bench/cli/main.ts", "rtt", "--transports", "tcp", "--rounds", "1", "-d", "4", "--metrics-port", String(metricsPort), "-o", dir]);
  bench.endInput();
  expect(await bench.exited(30_000)).toBe(0);
  const query = async (q: string) => {
    const body = (await (await fetch(`${api}/api/v1/query?query=${encodeURIComponent(q)}`)).json()) as { data: { result: { value: [number, string] }[] } };
    return body.data.result.map((r) => Number(r.value[1]));
  };
  const ops = await query('max_over_time(socketlab_operations_total{transport="tcp"}[1m])');
  expect(ops.length).toBe(1);
  expect(ops[0]!).toBeGreaterThan(1000);
  const p99 = await query("histogram_quantile(0.99, max_over_time(socketlab_latency_seconds_bucket[1m]))");
  expect(p99[0]!).toBeGreaterThan(0);
  expect(p99[0]!).toBeLessThan(1);
  console.log(`Prometheus saw ${ops[0]} operations; histogram_quantile(0.99) = ${(p99[0]! * 1e6).toFixed(0)} µs`);
}, 60_000);
