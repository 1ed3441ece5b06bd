import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "../bench/model/results.ts";
import { killAll, runCli, spawnCli, startServer } from "./support/processes.ts";

afterAll(killAll);

function onlyResult(dir: string): BenchResult {
  const files = readdirSync(dir).filter((f) => f.endsWith(".json"));
  expect(files).toHaveLength(1);
  return JSON.parse(readFileSync(join(dir, files[0]!), "utf8")) as BenchResult;
}

function rttRuns(r: BenchResult) {
  const s = r.sections[0]!;
  if (s.kind !== "rtt") throw new Error(s.kind);
  return s.runs;
}

test("--workers 3: three swarm processes, and their merged counts equal the total sent", async () => {
  const out = mkdtempSync(join(tmpdir(), "socketlab-"));
  const { code } = await runCli(
    ["bench/cli/main.ts", "rtt", "--transports", "tcp", "--workers", "3", "-c", "3", "-n", "3000", "--warmup", "0", "--format", "json", "--out", out],
    "",
    30_000,
  );
  expect(code).toBe(0);
  const [run] = rttRuns(onlyResult(out));
  expect(run!.cost.client.processes).toBe(3);
  expect(run!.counts.sent).toBe(3000);
  expect(run!.counts.completed).toBe(3000);
  expect(run!.latency.count).toBe(3000);
}, 40_000);

test("two agents against one server at once merge into one result with both shares", async () => {
  const server = await startServer("tcp", ["--mode", "echo"]);
  const dirs = [mkdtempSync(join(tmpdir(), "socketlab-a-")), mkdtempSync(join(tmpdir(), "socketlab-b-"))];
  const agents = dirs.map((dir) =>
    spawnCli(["bench/cli/swarm.ts", "rtt", "--target", `127.0.0.1:${server.port}`, "--transports", "tcp", "-n", "400", "--warmup", "0", "--out", dir]),
  );
  for (const a of agents) {
    a.endInput();
    expect(await a.exited(30_000)).toBe(0);
  }
  const parts = dirs.map(onlyResult);
  for (const p of parts) expect(rttRuns(p)[0]!.remote).toBe(`127.0.0.1:${server.port}`);

  const merged = join(dirs[0]!, "merged.json");
  const m = await runCli(["bench/cli/main.ts", "merge", ...dirs.map((d) => join(d, readdirSync(d).find((f) => f.endsWith(".json"))!)), "-o", merged]);
  expect(m.code).toBe(0);
  const result = JSON.parse(readFileSync(merged, "utf8")) as BenchResult;
  expect(result.parts).toBe(2);
  const [run] = rttRuns(result);
  expect(run!.counts.completed).toBe(800);
  expect(run!.latency.count).toBe(800);
  // The server saw every measured message, and one more per agent: the probe each makes before
  // its run, so that a bad target fails at once (bench/run/target-probe.ts).
  expect((await server.stop()).messages).toBe(800 + 2);
}, 60_000);

test("an agent needs a target", async () => {
  const { code, stderr } = await runCli(["bench/cli/swarm.ts", "rtt", "--transports", "tcp"]);
  expect(code).toBe(2);
  expect(stderr.split("\n")[0]).toBe("swarm: an agent measures a server started elsewhere: give --target HOST:PORT");
});

test("--target needs one transport and a scenario that can use a remote server", async () => {
  const { code, stderr } = await runCli(["bench/cli/main.ts", "fanout", "--target", "127.0.0.1:9"]);
  expect(code).toBe(2);
  expect(stderr).toContain("--target works with rtt, throughput, load, capacity, connect, udp, push");
  const tcpPush = await runCli(["bench/cli/main.ts", "push", "--target", "127.0.0.1:9", "--transports", "tcp"]);
  expect(tcpPush.stderr).toContain("push --target needs --transports ws or http (a server in --mode push)");
  const two = await runCli(["bench/cli/main.ts", "rtt", "--target", "127.0.0.1:9", "--transports", "tcp,ws"]);
  expect(two.stderr).toContain("--target is one server: name its transport with --transports");
  const bad = await runCli(["bench/cli/main.ts", "rtt", "--target", "nowhere", "--transports", "tcp"]);
  expect(bad.stderr).toContain('--target must be host:port, e.g. 192.168.1.20:8080 or [::1]:8765, got "nowhere"');
});
