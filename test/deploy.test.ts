// The deploy/ manifests, taken at their word: parsed, and their exact command lines run here,
// the server in one network namespace and two agents in another (as Pods on two nodes would
// be), the agents sharing one --start-at, their shares merged by the merge Job's command.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "../bench/model/results.ts";
import { PROJECT_ROOT } from "../lib/children.ts";
import { twoHosts } from "./support/netns.ts";
import { killAll } from "./support/processes.ts";
import { LiveMetrics } from "../bench/run/live-metrics.ts";

const hosts = twoHosts(`sd${process.pid}`, "10.201.78");
beforeAll(() => {
  if (hosts.available) hosts.create();
});
afterAll(() => {
  killAll();
  if (hosts.available) hosts.remove();
});

interface Container {
  command: string[];
  env?: { name: string; value: string }[];
}
interface Manifest {
  kind: string;
  metadata: { name: string };
  spec: {
    template: { spec: { containers: Container[]; volumes?: { persistentVolumeClaim: { claimName: string } }[] } };
    ports: { port: number }[];
    completionMode?: string;
    parallelism?: number;
  };
}

/** Every document of a manifest file (Bun's YAML parser gives an array for several). */
function all(file: string): Manifest[] {
  const parsed = Bun.YAML.parse(readFileSync(join(PROJECT_ROOT, "deploy/k8s", file), "utf8")) as unknown;
  return Array.isArray(parsed) ? (parsed as Manifest[]) : [parsed as Manifest];
}

/** The first container of a workload's Pod template. */
function container(m: Manifest): Container {
  return m.spec.template.spec.containers[0]!;
}

/** A command line as Kubernetes runs it: $(VAR) replaced from the container's env and the Pod's. */
function expand(command: string[], env: Record<string, string>): string[] {
  return command.map((a) => a.replace(/\$\(([A-Z_]+)\)/g, (_, name: string) => env[name] ?? `$(${name})`));
}

test("the manifests: a Deployment and Service for the server, an Indexed Job whose agents share START_AT and a volume, a merge Job", () => {
  const [deployment, service] = all("echo-server.yaml");
  expect(deployment!.kind).toBe("Deployment");
  expect(service!.kind).toBe("Service");
  expect(service!.spec.ports[0]!.port).toBe(9000);
  const [agents] = all("agents-job.yaml");
  expect(agents!.kind).toBe("Job");
  expect(agents!.spec.completionMode).toBe("Indexed");
  expect(agents!.spec.parallelism!).toBeGreaterThanOrEqual(2);
  const agent = container(agents!);
  expect(agent.command).toContain("--start-at");
  expect(agent.command[agent.command.indexOf("--start-at") + 1]).toBe("$(START_AT)");
  // envsubst's placeholder, filled in as the Job is applied.
  expect(agent.env).toContainEqual({ name: "START_AT", value: "\u0024{START_AT}" });
  expect(agents!.spec.template.spec.volumes?.[0]?.persistentVolumeClaim.claimName).toBe("socketlab-results");
  const [merge] = all("merge-job.yaml");
  expect(container(merge!).command.join(" ")).toContain("bench/cli/main.ts merge /results/*/*.json -o /results/merged.json");
  const containerfile = readFileSync(join(PROJECT_ROOT, "deploy/Containerfile"), "utf8");
  expect(containerfile).toMatch(/^FROM oven\/bun:1\.4\.4$/m);
  expect(containerfile).toContain("bun install --frozen-lockfile");
});

test("the Grafana dashboard and the scrape config name only metrics socketlab serves", () => {
  const served = new Set((new LiveMetrics().registry.getMetricsAsArray() as { name: string }[]).map((m) => m.name));
  const dashboard = JSON.parse(readFileSync(join(PROJECT_ROOT, "deploy/grafana-dashboard.json"), "utf8")) as { panels: { targets: { expr: string }[] }[] };
  const exprs = dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr));
  expect(exprs.length).toBeGreaterThanOrEqual(6);
  for (const expr of exprs) {
    for (const name of expr.match(/socketlab_[a-z_]+/g) ?? []) expect([...served].some((s) => name === s || name.startsWith(`${s}_`))).toBe(true);
  }
  const scrape = Bun.YAML.parse(readFileSync(join(PROJECT_ROOT, "deploy/prometheus.yml"), "utf8")) as { scrape_configs: { job_name: string }[] };
  expect(scrape.scrape_configs.map((c) => c.job_name)).toContain("socketlab");
});

test.skipIf(!hosts.available)(
  "the manifests' own command lines: the server on one host, two agents on another starting together, their shares merged",
  async () => {
    const [deployment] = all("echo-server.yaml");
    const serverCmd = container(deployment!).command;
    expect(serverCmd[0]).toBe("bun");
    const server = hosts.bun("server", serverCmd.slice(1));
    await server.stdout.waitFor(/9000/, 10_000);

    const results = mkdtempSync(join(tmpdir(), "socketlab-deploy-"));
    const [agents] = all("agents-job.yaml");
    const agent = container(agents!);
    // As the Job is applied: START_AT filled in once, for every Pod; the Service's name resolved.
    const startAt = String(Date.now() + 4000);
    const runs = [0, 1].map((index) => {
      const env = { START_AT: startAt, JOB_COMPLETION_INDEX: String(index) };
      const cmd = expand(agent.command, env).map((a) =>
        a
          .replace("socketlab-echo:9000", `${hosts.serverIp}:9000`)
          .replace(/^\/results/, results)
          .replace("0.0.0.0:9464", `${hosts.clientIp}:${9464 + index}`),
      );
      expect(cmd[0]).toBe("bun");
      mkdirSync(join(results, String(index)), { recursive: true });
      return hosts.bun("client", cmd.slice(1));
    });
    for (const r of runs) {
      r.endInput();
      const code = await r.exited(60_000);
      expect(code === 0 ? "" : r.stderr.text.slice(-400)).toBe("");
    }
    const [merge] = all("merge-job.yaml");
    const script = container(merge!).command.at(-1)!.replaceAll("/results", results).replace(/^bun /, `${process.execPath} `);
    const merged = hosts.run("client", ["sh", "-c", script]);
    merged.endInput();
    expect(await merged.exited(30_000)).toBe(0);
    const result = JSON.parse(readFileSync(join(results, "merged.json"), "utf8")) as BenchResult;
    expect(result.parts).toBe(2);
    const section = result.sections[0]!;
    if (section.kind !== "rtt") throw new Error(section.kind);
    const run = section.runs[0]!;
    expect(run.remote).toBe(`${hosts.serverIp}:9000`);
    expect(run.cost.client.processes).toBe(2);
    expect(run.counts.completed).toBeGreaterThan(1000);
    expect(run.window!.startMs).toBeGreaterThanOrEqual(Number(startAt) - 20);
    expect(readdirSync(results).sort()).toEqual(["0", "1", "merged.json"]);
    server.kill("SIGKILL");
  },
  90_000,
);
