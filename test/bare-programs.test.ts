import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { bareHttpRate, bareRoundTrip } from "../bench/tools/bare.ts";
import { startServer } from "../bench/run/server-process.ts";

// The bare-Bun programs bench:peers sets beside the harness: each really makes its exchange
// with a real server and reports a figure in range (a broken one throws or reports nothing).
describe("the bare-Bun programs of bench:peers", () => {
  test.each(["tcp", "udp", "ws"] as const)("%s: a round trip's p50 from a client and an echo server of 15 lines", async (transport) => {
    const p50 = await bareRoundTrip(transport, 1, { server: [], swarm: [] });
    expect(p50).toBeGreaterThan(1_000); // a loopback round trip between two processes takes microseconds
    expect(p50).toBeLessThan(50_000_000);
  });

  let server: Awaited<ReturnType<typeof startServer>>;
  beforeAll(async () => {
    server = await startServer("http", ["--mode", "echo", "--quiet"]);
  });
  afterAll(() => server?.kill("SIGKILL"));

  test("http: requests a second over 10 keep-alive connections to our echo server", async () => {
    const rate = await bareHttpRate(server.port, 1, 10);
    expect(rate).toBeGreaterThan(500);
  });
});
