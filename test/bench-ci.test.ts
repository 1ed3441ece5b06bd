import { afterAll, expect, test } from "bun:test";
import { chmodSync, mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { killAll, runCli } from "./support/processes.ts";

afterAll(killAll);

const quickRtt = ["bench/cli/main.ts", "rtt", "--transports", "tcp", "-n", "200", "--warmup", "0"];

test("a threshold that holds exits 0; one that fails exits 1; both are in the report", async () => {
  const out = mkdtempSync(join(tmpdir(), "socketlab-"));
  const pass = await runCli([...quickRtt, "--out", out, "--format", "md", "--assert", "tcp.rtt.p50 < 10s"], "", 30_000);
  expect(pass.code).toBe(0);
  expect(pass.stderr).toContain("PASS  tcp.rtt.p50 < 10s");
  const fail = await runCli([...quickRtt, "--out", out, "--format", "md", "--assert", "tcp.rtt.p50 < 1ns", "--assert", "tcp.rtt.rate > 1/s"], "", 30_000);
  expect(fail.code).toBe(1);
  expect(fail.stderr).toContain("FAIL  tcp.rtt.p50 < 1ns");
  expect(fail.stderr).toContain("PASS  tcp.rtt.rate > 1/s");
  expect(fail.stderr).toContain("bench: 1 of 2 thresholds failed");
  const reports = readdirSync(out).filter((f) => f.endsWith(".md"));
  expect(reports).toHaveLength(2); // --format md: no JSON
  expect(readdirSync(out).filter((f) => f.endsWith(".json"))).toEqual([]);
  const failed = reports.map((f) => readFileSync(join(out, f), "utf8")).find((md) => md.includes("**FAIL**"))!;
  expect(failed).toContain("**1 of 2 thresholds failed.**");
}, 60_000);

test("a malformed threshold or an unknown metric is a usage error before anything runs", async () => {
  const bad = await runCli([...quickRtt, "--assert", "tcp.rtt.p99 is small", "--assert", "tcp.rtt.p42 < 1ms"]);
  expect(bad.code).toBe(2);
  const lines = bad.stderr.split("\n").filter((l) => l.startsWith("bench: "));
  expect(lines[0]).toContain("write it as <metric> <op> <value>");
  expect(lines[1]).toContain('no metric "tcp.rtt.p42"');
  expect(lines[1]).toContain("tcp.rtt.p99");
});

test("--list-metrics names what a scenario produces", async () => {
  const { code, stdout } = await runCli(["bench/cli/main.ts", "push", "--list-metrics"]);
  expect(code).toBe(0);
  expect(stdout.split("\n")).toContain("ws.push.p99");
  expect(stdout.split("\n")).toContain("short250.push.bytes");
});

test("a report directory that cannot be written is refused before any load starts", async () => {
  const locked = mkdtempSync(join(tmpdir(), "socketlab-ro-"));
  chmodSync(locked, 0o500);
  const target = process.getuid?.() === 0 ? "/proc/socketlab-no" : join(locked, "sub"); // root ignores modes
  const t0 = performance.now();
  const { code, stderr } = await runCli([...quickRtt, "--out", target]);
  expect(code).toBe(2);
  expect(stderr.split("\n")[0]).toStartWith(`bench: --out ${target}: cannot write reports there`);
  expect(performance.now() - t0).toBeLessThan(5000);
});
