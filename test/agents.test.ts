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

test("two agents given one --start-at measure together, and their shares merge into one result", async () => {
  const server = await startServer("tcp", ["--mode", "echo"]);
  const dirs = [mkdtempSync(join(tmpdir(), "socketlab-a-")), mkdtempSync(join(tmpdir(), "socketlab-b-"))];
  // Far enough ahead for both to start, connect and warm up: they are started one after the other.
  const startAt = Date.now() + 3000;
  const agents = dirs.map((dir) =>
    spawnCli([
      "bench/cli/swarm.ts",
      "rtt",
      "--target",
      `127.0.0.1:${server.port}`,
      "--transports",
      "tcp",
      "-d",
      "1",
      "--warmup",
      "200ms",
      "--start-at",
      String(startAt),
      "--out",
      dir,
    ]),
  );
  for (const a of agents) {
    a.endInput();
    expect(await a.exited(30_000)).toBe(0);
  }
  const parts = dirs.map(onlyResult);
  for (const p of parts) {
    const run = rttRuns(p)[0]!;
    expect(run.remote).toBe(`127.0.0.1:${server.port}`);
    // Each began measuring at the instant asked, give or take a timer's lateness.
    console.log(`measured from ${run.window!.startMs - startAt} ms after --start-at, for ${run.window!.endMs - run.window!.startMs} ms`);
    expect(run.window!.startMs).toBeGreaterThanOrEqual(startAt - 20);
    expect(run.window!.startMs).toBeLessThan(startAt + 250);
    expect(run.window!.endMs - run.window!.startMs).toBeGreaterThanOrEqual(1000);
  }

  const merged = join(dirs[0]!, "merged.json");
  const m = await runCli(["bench/cli/main.ts", "merge", ...dirs.map((d) => join(d, readdirSync(d).find((f) => f.endsWith(".json"))!)), "-o", merged]);
  expect(m.code === 0 ? "" : m.stderr).toBe("");
  const result = JSON.parse(readFileSync(merged, "utf8")) as BenchResult;
  expect(result.parts).toBe(2);
  const [run] = rttRuns(result);
  const shares = parts.map((p) => rttRuns(p)[0]!);
  expect(run!.counts.completed).toBe(shares[0]!.counts.completed + shares[1]!.counts.completed);
  expect(run!.latency.count).toBe(run!.counts.completed);
  expect(run!.window).toEqual({
    startMs: Math.min(...shares.map((r) => r.window!.startMs)),
    endMs: Math.max(...shares.map((r) => r.window!.endMs)),
  });
  // The server saw every message sent (warm-up included), and one more per agent: the probe
  // each makes before its run, so that a bad target fails at once (bench/run/target-probe.ts).
  expect((await server.stop()).messages).toBeGreaterThanOrEqual(run!.counts.sent + 2);
}, 60_000);

test("shares measured one after the other are not merged as one load, unless --allow-apart", async () => {
  const server = await startServer("tcp", ["--mode", "echo"]);
  const files: string[] = [];
  for (const name of ["first", "second"]) {
    const dir = mkdtempSync(join(tmpdir(), `socketlab-${name}-`));
    const r = await runCli(
      ["bench/cli/swarm.ts", "rtt", "--target", `127.0.0.1:${server.port}`, "--transports", "tcp", "-d", "300ms", "--warmup", "0", "--out", dir],
      "",
      30_000,
    );
    expect(r.code).toBe(0);
    files.push(join(dir, readdirSync(dir).find((f) => f.endsWith(".json"))!));
  }
  const out = join(tmpdir(), `socketlab-apart-${process.pid}.json`);
  const refused = await runCli(["bench/cli/main.ts", "merge", ...files, "-o", out]);
  expect(refused.code).toBe(2);
  expect(refused.stderr.split("\n")[0]).toMatch(
    /^bench: cannot merge: rtt run 1 \(.*\) measured at different times in .* and .*: its windows overlap 0% \(at least 90% needed\), started [\d.]+ s apart; start the agents together with --start-at, or merge anyway with --allow-apart$/,
  );
  const allowed = await runCli(["bench/cli/main.ts", "merge", ...files, "-o", out, "--allow-apart"]);
  expect(allowed.code === 0 ? "" : allowed.stderr).toBe("");
  await server.stop();
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
