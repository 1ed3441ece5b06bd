import { afterAll, beforeAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult } from "../bench/model/results.ts";
import type { Child } from "../lib/children.ts";
import { twoHosts } from "./support/netns.ts";
import { killAll } from "./support/processes.ts";

/**
 * The lab's two computers, stood in for by two network namespaces this test creates and joins
 * with a veth pair (root only): test/support/netns.ts.
 */
const hosts = twoHosts(`sl${process.pid}`, "10.201.77");
const canCreate = hosts.available;
const SERVER_IP = hosts.serverIp;
if (!canCreate) console.warn("two-hosts tests skipped: creating network namespaces needs root and iproute2 (ip netns)");

beforeAll(() => {
  if (canCreate) hosts.create();
});

afterAll(() => {
  killAll();
  if (canCreate) hosts.remove();
});

function inNs(host: "server" | "client", args: string[]): Child {
  return hosts.bun(host, args);
}

async function serverInA(args: string[]): Promise<{ child: Child; port: number }> {
  const child = inNs("server", ["servers/cli.ts", ...args, "--host", SERVER_IP, "--port", "0"]);
  const line = await child.stdout.waitFor(/port \d+|:\d+/, 10_000);
  return { child, port: Number(/(?:port |:)(\d+)/.exec(line)![1]) };
}

async function clientInB(args: string[]): Promise<{ code: number; lines: string[] }> {
  const c = inNs("client", ["clients/cli.ts", ...args, "--host", SERVER_IP]);
  c.endInput();
  const code = await c.exited(15_000);
  return { code, lines: c.stdout.lines.filter((l) => l.trim()) };
}

test.skipIf(!canCreate)(
  "the hello exercises across two hosts",
  async () => {
    const tcp = await serverInA(["tcp"]);
    expect((await clientInB(["tcp", "--port", String(tcp.port)])).lines).toEqual(["Message sent to server", "Message from server: Hello from server"]);
    await tcp.child.stdout.waitFor("Message from client: Hello from client");
    tcp.child.kill("SIGINT");

    const udp = await serverInA(["udp"]);
    expect((await clientInB(["udp", "--port", String(udp.port), "--message", "Hello from CLIENT"])).lines).toEqual([
      "Message sent to server.",
      "Server: Message received",
    ]);
    udp.child.kill("SIGINT");

    const ws = await serverInA(["ws", "--mode", "hello"]);
    expect((await clientInB(["ws", "--port", String(ws.port), "--message", "hi"])).lines).toEqual([
      "Message sent to server",
      "Received response from server: Hello from server",
    ]);
    ws.child.kill("SIGINT");
  },
  60_000,
);

test.skipIf(!canCreate)(
  "a small bench run from one host against a server on the other",
  async () => {
    const server = await serverInA(["tcp", "--mode", "echo"]);
    const out = mkdtempSync(join(tmpdir(), "socketlab-2h-"));
    const bench = inNs("client", [
      "bench/cli/main.ts",
      "rtt",
      "--target",
      `${SERVER_IP}:${server.port}`,
      "--transports",
      "tcp",
      "-n",
      "300",
      "--warmup",
      "0",
      "--out",
      out,
    ]);
    bench.endInput();
    expect(await bench.exited(30_000)).toBe(0);
    const json = readdirSync(out).find((f) => f.endsWith(".json"))!;
    const result = JSON.parse(readFileSync(join(out, json), "utf8")) as BenchResult;
    const section = result.sections[0]!;
    if (section.kind !== "rtt") throw new Error(section.kind);
    expect(section.runs[0]!.remote).toBe(`${SERVER_IP}:${server.port}`);
    expect(section.runs[0]!.counts.completed).toBe(300);
    expect(readFileSync(join(out, json.replace(/json$/, "md")), "utf8")).toContain(`Server: remote, at ${SERVER_IP}:${server.port}`);
    server.child.kill("SIGINT");
  },
  60_000,
);

test.skipIf(!canCreate)(
  "push across two hosts: every delivery made, the clock offset estimated and reported",
  async () => {
    const server = await serverInA(["ws", "--mode", "push", "--rate", "20"]);
    const out = mkdtempSync(join(tmpdir(), "socketlab-2h-"));
    const bench = inNs("client", [
      "bench/cli/main.ts",
      "push",
      "--target",
      `${SERVER_IP}:${server.port}`,
      "--transports",
      "ws",
      "--subscribers",
      "5",
      "-d",
      "1",
      "--warmup",
      "0.2",
      "--out",
      out,
    ]);
    bench.endInput();
    expect(await bench.exited(30_000)).toBe(0);
    const json = readdirSync(out).find((f) => f.endsWith(".json"))!;
    const result = JSON.parse(readFileSync(join(out, json), "utf8")) as BenchResult;
    const section = result.sections[0]!;
    if (section.kind !== "push") throw new Error(section.kind);
    const run = section.runs[0]!;
    expect(run.remote).toBe(`${SERVER_IP}:${server.port}`);
    expect(run.delivered).toBe(run.expected);
    expect(run.events).toBeGreaterThan(10);
    // One kernel clock underneath: the estimate must find (nearly) no offset, within its own bound.
    expect(run.clock!.uncertaintyMs).toBeGreaterThan(0);
    expect(Math.abs(run.clock!.offsetMs)).toBeLessThan(run.clock!.uncertaintyMs + 1);
    expect(run.clockAnomalies).toBe(0);
    expect(readFileSync(join(out, json.replace(/json$/, "md")), "utf8")).toContain("The server is on another host: its clock was estimated");
    server.child.kill("SIGINT");
  },
  60_000,
);
