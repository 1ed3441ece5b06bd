import { afterAll, describe, expect, test } from "bun:test";
import { killAll, runCli, startServer } from "./support/processes.ts";

afterAll(killAll);

/** No stack trace, no "error: " dump from the runtime: only our own lines. */
function expectCleanError(stderr: string, program: string): void {
  expect(stderr).not.toMatch(/^\s+at /m);
  expect(stderr.split("\n")[0]).toStartWith(`${program}: `);
}

describe("usage errors exit 2 with one line per problem and the usage", () => {
  test.each([
    [["servers/cli.ts"], "server: missing transport: tcp, udp, ws or http"],
    [["servers/cli.ts", "quic"], 'server: unknown transport "quic": use tcp, udp, ws or http'],
    [["servers/cli.ts", "tcp", "--port", "70000"], 'server: --port must be a whole number from 0 to 65535, got "70000"'],
    [["servers/cli.ts", "udp", "--mode", "chat"], "server: the udp server has no chat mode (it has: hello, echo, sink)"],
    [["clients/cli.ts", "sctp"], 'client: unknown transport "sctp": use tcp, udp, ws or http'],
    [["clients/cli.ts", "tcp", "--port", "0"], 'client: --port must be a whole number from 1 to 65535, got "0"'],
    [["clients/cli.ts", "tcp", "--poll", "sse"], "client: --poll is only for http, not tcp"],
    [["clients/cli.ts", "http", "--poll", "sometimes"], 'client: --poll must be one of short, long, sse, got "sometimes"'],
  ])("%p", async (args, expected) => {
    const { code, stderr } = await runCli(args);
    expect(code).toBe(2);
    expectCleanError(stderr, args[0]!.startsWith("servers") ? "server" : "client");
    expect(stderr.split("\n")[0]).toBe(expected);
    expect(stderr).toContain("usage: bun run");
  });

  test("every problem is reported at once", async () => {
    const { code, stderr } = await runCli(["servers/cli.ts", "tcp", "--port", "x", "--mode", "loud", "--frobnicate"]);
    expect(code).toBe(2);
    const problems = stderr.split("\n").filter((l) => l.startsWith("server: "));
    expect(problems).toEqual([
      "server: unknown option --frobnicate",
      'server: --mode must be one of hello, echo, chat, push, sink, got "loud"',
      'server: --port must be a whole number from 0 to 65535, got "x"',
    ]);
  });

  // Every entry point, the tools included: a long run must never start on a mistyped option.
  const ENTRY_POINTS = [
    "servers/cli.ts",
    "clients/cli.ts",
    "bench/cli/main.ts",
    "bench/tools/peers.ts",
    "bench/tools/repro.ts",
    "bench/tools/scale.ts",
    "bench/tools/micro/index.ts",
    "bench/cli/swarm.ts",
    "netem/cli.ts",
  ];

  test("--help prints the usage and exits 0, at once, for every entry point", async () => {
    for (const cli of ENTRY_POINTS) {
      const { code, stdout } = await runCli([cli, "--help"], "", 5000);
      expect(code).toBe(0);
      expect(stdout).toStartWith("usage: bun run");
    }
  });

  test("an unknown option is a usage error, exit 2, for every entry point", async () => {
    for (const cli of ENTRY_POINTS) {
      const { code, stderr } = await runCli([cli, "--frobnicate"], "", 5000);
      expect(code).toBe(2);
      expect(stderr).toContain("unknown option --frobnicate");
    }
  });
});

describe("failed runs exit 1 with one clear line", () => {
  test.each(["tcp", "udp", "ws", "http"] as const)("%s: port already in use names the port", async (transport) => {
    const first = await startServer(transport);
    const { code, stderr } = await runCli(["servers/cli.ts", transport, "--port", String(first.port)]);
    expect(code).toBe(1);
    expectCleanError(stderr, "server");
    expect(stderr.trim()).toBe(
      `server: port ${first.port} on 127.0.0.1 is already in use (stop the other program or pick another --port; --port 0 picks a free one)`,
    );
    await first.stop();
  });

  test.each(["tcp", "ws", "http"] as const)("%s client: connection refused", async (transport) => {
    const closed = await startServer(transport);
    const port = closed.port;
    await closed.stop(); // nothing listens there any more
    const { code, stderr } = await runCli(["clients/cli.ts", transport, "--port", String(port), "--message", "x"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`client: could not connect to 127.0.0.1:${port}: connection refused (is the server running on that port?)`);
  });

  test("udp client: no server says so instead of waiting forever", async () => {
    const closed = await startServer("udp");
    const port = closed.port;
    await closed.stop();
    const { code, stderr } = await runCli(["clients/cli.ts", "udp", "--port", String(port), "--message", "x", "--timeout", "0.2"]);
    expect(code).toBe(1);
    expectCleanError(stderr, "client");
    expect(stderr).toContain(`127.0.0.1:${port}`);
    expect(stderr.trim().split("\n")).toHaveLength(1);
  });

  test.each(["tcp", "udp", "ws", "http"] as const)("%s client: unknown host", async (transport) => {
    const { code, stderr } = await runCli(["clients/cli.ts", transport, "--host", "no-such-host.invalid", "--message", "x"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('client: unknown host "no-such-host.invalid" (check the --host name or use an IP address)');
  });

  test("a WebSocket client pointed at a non-WebSocket server says what it found", async () => {
    const tcp = await startServer("tcp");
    const { code, stderr } = await runCli(["clients/cli.ts", "ws", "--port", String(tcp.port), "--message", "x"]);
    expect(code).toBe(1);
    expect(stderr.trim()).toBe(`client: ws://127.0.0.1:${tcp.port}/ did not accept a WebSocket connection (is it a WebSocket server?)`);
    await tcp.stop();
  });
});
