import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sectionRuns, type BenchResult } from "../bench/model/results.ts";
import { findChromium } from "../lib/chromium.ts";
import { killAll, runCli, spawnCli } from "./support/processes.ts";

afterAll(killAll);

test("bun run bench --quick writes a report with all four transports, and its JSON parses back", async () => {
  const out = mkdtempSync(join(tmpdir(), "socketlab-"));
  const { code, stdout, stderr } = await runCli(["run", "bench", "--quick", "--out", out], "", 90_000);
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(code).toBe(0);
  const all = readdirSync(out).sort();
  const files = all.filter((f) => !f.endsWith(".svg"));
  expect(files).toHaveLength(2);
  expect(files[0]).toMatch(/^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-suite\.json$/);
  expect(stdout).toContain(`Report: ${join(out, files[1]!)}`);

  const md = readFileSync(join(out, files[1]!), "utf8");
  // Every chart beside the report is linked from it, by a relative path that exists.
  const linked = [...md.matchAll(/!\[[^\]]*\]\(([^)]+)\)/g)].map((m) => decodeURI(m[1]!));
  expect(linked.length).toBeGreaterThan(0);
  expect(linked.sort()).toEqual(all.filter((f) => f.endsWith(".svg")).sort());
  for (const heading of [
    "## Findings",
    "## The lab's hello exercises, run for real",
    "## WebSocket vs HTTP, measured",
    "## Round trip",
    "## Server push",
    "## Throughput",
    "## Open-loop load",
    "## What went wrong",
    "## Method",
    "## Environment",
    "## Reproduce",
  ]) {
    expect(md).toContain(heading);
  }
  for (const transport of [
    "| TCP |",
    "| UDP |",
    "| WebSocket |",
    "| HTTP keep-alive |",
    "| HTTP, new connection per request |",
    "| WebSocket push |",
    "| HTTP long polling |",
  ]) {
    expect(md).toContain(transport);
  }
  expect(md).toContain("bun run bench --quick --out");

  const result = JSON.parse(readFileSync(join(out, files[0]!), "utf8")) as BenchResult;
  expect(result.scenario).toBe("suite");
  // The browser section closes the suite where Chromium is installed (.ci/run installs it).
  expect(result.sections.map((s) => s.kind)).toEqual([
    "hello",
    "rtt",
    "push",
    "distance",
    "throughput",
    "load",
    ...(findChromium() ? (["browser"] as const) : []),
  ]);
  expect(md).toContain("Message from server: Hello from server");
  expect(md).toContain("Server: Message received");
  expect(md).toContain("Received response from server: Hello from server");
  const rtt = result.sections[1]!;
  expect(rtt.kind === "rtt" && rtt.runs.map((r) => r.spec.driver)).toEqual(["tcp", "udp", "ws", "http", "http-close"]);
  for (const section of result.sections) for (const run of sectionRuns(section)) expect(run.latency.count).toBeGreaterThan(0);
  expect(result.environment.bun).toBe(Bun.version);
  // A sanity bound, not a timing target: --quick (about 50 s here, its browser section included)
  // must not run the full suite's 105 s.
  expect(result.elapsedSec).toBeLessThan(80);
}, 100_000);

test("a server killed mid-run: the bench says so, exits 1, and leaves no process behind", async () => {
  const out = mkdtempSync(join(tmpdir(), "socketlab-"));
  const bench = spawnCli(["bench/cli/main.ts", "rtt", "--transports", "tcp", "--duration", "20", "--warmup", "0.1", "--out", out]);
  const childrenOf = (pid: number) =>
    Bun.spawnSync(["pgrep", "-P", String(pid)])
      .stdout.toString()
      .trim()
      .split("\n")
      .filter(Boolean)
      .map(Number);
  const commandOf = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
      return "";
    }
  };
  // Wait (bounded) until both the server and the swarm process are running and measuring.
  let server: number | undefined;
  let all: number[] = [];
  for (let i = 0; i < 200 && !(server && all.length >= 2); i++) {
    await Bun.sleep(25);
    all = childrenOf(bench.proc.pid);
    server = all.find((pid) => commandOf(pid).includes("servers/cli.ts"));
  }
  expect(server).toBeDefined();
  expect(all.some((pid) => commandOf(pid).includes("bench/run/worker.ts"))).toBe(true);
  await Bun.sleep(500); // into the measured phase
  process.kill(server!, "SIGKILL");

  expect(await bench.exited(15_000)).toBe(1);
  expect(bench.stderr.text).toContain(`bench: the tcp server (pid ${server}) was killed by SIGKILL during the run`);
  expect(bench.stderr.text).not.toMatch(/^\s+at /m);
  for (const pid of all) expect(commandOf(pid)).toBe(""); // gone
  expect(readdirSync(out)).toEqual([]); // no report from a failed run
}, 30_000);

test("bad bench options: every problem at once, exit 2", async () => {
  const { code, stderr } = await runCli(["bench/cli/main.ts", "latency", "--size", "4,abc", "--pin", "sideways", "--duration", "1", "--count", "5"]);
  expect(code).toBe(2);
  const problems = stderr.split("\n").filter((l) => l.startsWith("bench: "));
  expect(problems).toEqual([
    'bench: unknown scenario "latency": use suite, rtt, push, throughput, load, capacity, connect, udp, fanout, distance, browser',
    'bench: --size: "4" is not a number from 8 to 1048576',
    'bench: --size: "abc" is not a number from 8 to 1048576',
    'bench: --pin must be one of none, same, split, got "sideways"',
    "bench: --duration and --count exclude each other: give one",
  ]);
  expect(stderr).toContain("usage: bun run bench");
});
