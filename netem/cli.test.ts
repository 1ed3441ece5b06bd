import { afterAll, describe, expect, test } from "bun:test";
import { startServer } from "../bench/run/server-process.ts";
import { openCollector, pattern } from "../test/support/echo.ts";
import { killAll, runCli } from "../test/support/processes.ts";
import { startRelayProcess } from "./relay-process.ts";

afterAll(killAll);

describe("netem/cli.ts", () => {
  test("usage errors: every problem listed, one line each, then the usage; exit 2", async () => {
    const r = await runCli(["netem/cli.ts", "sctp", "--listen", "nowhere", "--target", "127.0.0.1:0", "--net", "delay=5,loss=1", "--idle", "5", "--bogus"]);
    expect(r.code).toBe(2);
    const problems = r.stderr.split("\n").filter((line) => line.startsWith("netem: "));
    expect(problems).toEqual([
      "netem: unknown option --bogus",
      'netem: unknown transport "sctp": use tcp or udp',
      'netem: --listen must be HOST:PORT such as 127.0.0.1:0 (IPv6 as [::1]:8080), got "nowhere"',
      'netem: --target must be HOST:PORT such as 127.0.0.1:8080 (IPv6 as [::1]:8080), got "127.0.0.1:0"',
      expect.stringContaining(
        'netem: --net: bad network profile "delay=5,loss=1": delay=5 is not a time such as 20ms, 250us or 1s; loss=1 is not a percentage',
      ),
      "netem: --idle is for the udp relay",
    ]);
    const tare = await runCli(["netem/cli.ts", "tcp", "--target", "127.0.0.1:9", "--net", "lan", "--tare", "soon"]);
    expect(tare.code).toBe(2);
    expect(tare.stderr.split("\n")[0]).toBe('netem: --tare must be auto, off or a duration up to 10ms such as 150us, got "soon"');
    expect(r.stderr).toContain("usage: bun run netem <tcp|udp>");
    expect(r.stdout).toBe("");

    const missing = await runCli(["netem/cli.ts", "udp"]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("netem: --target HOST:PORT is required");
    expect(missing.stderr).toContain("netem: --net PROFILE is required");
  }, 15_000);

  test("--help prints the usage and exits 0", async () => {
    const r = await runCli(["netem/cli.ts", "--help"]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("--net PROFILE");
    expect(r.stdout).toContain("lan, wifi, 3g, intercontinental, none");
  }, 10_000);

  test("a port in use is one line and exit 1", async () => {
    const server = await startServer("tcp", ["--mode", "echo", "--quiet"]);
    const r = await runCli(["netem/cli.ts", "tcp", "--listen", `127.0.0.1:${server.port}`, "--target", "127.0.0.1:9", "--net", "lan"]);
    expect(r.code).toBe(1);
    expect(r.stderr.trim()).toBe(
      `netem: port ${server.port} on 127.0.0.1 is already in use (stop the other program or pick another --listen port; port 0 picks a free one)`,
    );
    await server.stop();
  }, 15_000);

  test("--tare off or a given tare is used as is; without delay there is nothing to measure", async () => {
    const server = await startServer("tcp", ["--mode", "echo", "--quiet"]);
    const target = { host: "127.0.0.1", port: server.port };
    for (const [net, extra, tareUs] of [
      ["delay=2ms", ["--tare", "off"], 0],
      ["delay=2ms", ["--tare", "0.15ms"], 150],
      ["none", [], 0],
    ] as const) {
      const relay = await startRelayProcess("tcp", target, net, [...extra]);
      const ready = JSON.parse(relay.stdout.lines[0]!);
      expect(ready.tareUs).toBe(tareUs);
      expect(ready.tareMeasured === undefined || ready.tareMeasured.pairs === 0).toBe(true);
      await relay.stop();
    }
    await server.stop();
  }, 20_000);

  test.each(["tcp", "udp"] as const)(
    "%s: JSON ready line, then on SIGTERM a stopped line whose byte counts match the client's",
    async (transport) => {
      const server = await startServer(transport, ["--mode", "echo", "--quiet"]);
      const relay = await startRelayProcess(transport, { host: "127.0.0.1", port: server.port }, "delay=1ms,jitter=500us");
      const ready = JSON.parse(relay.stdout.lines[0]!);
      expect(ready).toMatchObject({
        event: "ready",
        transport,
        host: "127.0.0.1",
        port: relay.port,
        target: `127.0.0.1:${server.port}`,
        net: "delay 1 ms ± 0.5 ms",
        profile: { delayMs: 1, jitterMs: 0.5, loss: 0 },
      });
      // The tare was measured at start with the profile's delay, and what it took off is said.
      expect(ready.tareMeasured).toMatchObject({ delayMs: 1, pairs: 120 });
      expect(ready.tareMeasured.directP50Ns).toBeGreaterThan(0);
      expect(ready.tareMeasured.relayedP50Ns).toBeGreaterThan(2e6);
      expect(ready.tareUs).toBe(ready.tareMeasured.tareNs / 1000);
      expect(ready.tareUs).toBeGreaterThanOrEqual(0);

      const c = await openCollector(transport, { host: "127.0.0.1", port: relay.port });
      const sizes = [10, 100, 1000, 5000, 64];
      for (const [i, size] of sizes.entries()) {
        c.channel.send(pattern(size, i));
        await c.waitForReplies(i + 1, 3000);
      }
      await c.channel.close();
      // TCP carries a 4-byte length before each message; UDP datagrams are the messages.
      const framing = transport === "tcp" ? 4 : 0;
      const bytes = sizes.reduce((sum, size) => sum + size + framing, 0);
      const stats = await relay.stop();
      if ("bytes" in stats) {
        expect(stats.bytes).toEqual({ up: bytes, down: bytes });
        expect(stats.connections).toBe(1);
      } else {
        expect(stats.up).toMatchObject({ datagrams: sizes.length, bytes, dropped: 0 });
        expect(stats.down).toMatchObject({ datagrams: sizes.length, bytes, dropped: 0 });
      }
      // The relay's own timing error: every message crossed it twice (TCP also releases held bytes).
      expect(stats.pacer.ran).toBeGreaterThanOrEqual(2 * sizes.length);
      expect(stats.pacer.p50LateUs).toBeLessThanOrEqual(stats.pacer.p99LateUs);
      expect(stats.pacer.p99LateUs).toBeLessThanOrEqual(stats.pacer.maxLateUs);
      expect(stats.pacer.spinMarginUs).toBeLessThanOrEqual(1500);
      // And the server agrees: two independent counts of the bytes on the wire.
      const served = await server.stop();
      expect(served.bytesIn).toBe(bytes);
    },
    15_000,
  );
});
