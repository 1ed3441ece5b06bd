import { afterAll, describe, expect, test } from "bun:test";
import { runLoad } from "../bench/run/load-run.ts";
import { runPush } from "../bench/run/push-run.ts";
import { parseProfile } from "../netem/profile.ts";
import { killAll, startServer } from "./support/processes.ts";
import type { LoadSpec, PushSpec } from "../bench/model/spec.ts";

afterAll(killAll);

const base: Omit<LoadSpec, "driver"> = {
  clients: 1,
  procs: 1,
  size: 64,
  model: "closed",
  window: 1,
  ratePerSec: 0,
  warmupMs: 50,
  count: 300,
  timeoutMs: 2000,
  rampMs: 0,
  pin: "none",
};

describe("echo runs against real servers", () => {
  test.each(["tcp", "udp", "ws", "http", "http-close"] as const)("%s: every message answered, latency and costs measured", async (driver) => {
    const r = await runLoad({ ...base, driver });
    expect(r.counts.sent).toBe(300);
    expect(r.counts.completed).toBe(300);
    expect(r.counts.timeouts).toBe(0);
    expect(r.counts.errors).toEqual({});
    expect(r.latency.count).toBe(300);
    expect(r.latency.p50).toBeGreaterThan(1000); // more than 1 µs: a real round trip
    expect(r.latency.p50).toBeLessThan(1e9);
    expect(r.latency.max).toBeGreaterThanOrEqual(r.latency.p99);
    expect(r.opsPerSec).toBeGreaterThan(0);
    expect(r.cost.server.peakRssBytes).toBeGreaterThan(1 << 20);
    expect(r.placement.server?.allowed).toBeDefined();
    expect(r.serverRejected).toEqual({});
  });

  test("tcp: the kernel counts 64 B of payload plus the 4-byte length prefix per message, each way", async () => {
    const r = await runLoad({ ...base, driver: "tcp", count: undefined, durationMs: 1500, warmupMs: 200 });
    expect(r.wirePerOp!.in).toBeGreaterThan(68 * 0.97);
    expect(r.wirePerOp!.in).toBeLessThan(68 * 1.03);
    expect(r.wirePerOp!.out).toBeGreaterThan(68 * 0.97);
    expect(r.wirePerOp!.out).toBeLessThan(68 * 1.03);
  });

  test("a window of 16 pipelines: 3000 messages all answered on one connection", async () => {
    const r = await runLoad({ ...base, driver: "ws", window: 16, count: 3000 });
    expect(r.counts.completed).toBe(3000);
    // The sequence covers the warm-up too: whatever was sent came back, once, in order.
    expect(r.sequence.sent).toBeGreaterThanOrEqual(3000);
    expect(r.sequence).toMatchObject({ received: r.sequence.sent, lost: 0, reordered: 0, duplicated: 0, late: 0 });
  });

  test("several swarm processes: counts add up and histograms merge", async () => {
    const r = await runLoad({ ...base, driver: "tcp", clients: 4, procs: 2, window: 4, count: 2000 });
    expect(r.counts.completed).toBe(2000);
    expect(r.latency.count).toBe(2000);
    expect(r.cost.client.processes).toBe(2);
    expect(r.placement.swarm).toHaveLength(2);
  });

  test("udp: a server dropping every 10th datagram shows exactly that loss", async () => {
    const r = await runLoad({
      ...base,
      driver: "udp",
      model: "open",
      ratePerSec: 5000,
      window: 1000,
      warmupMs: 0,
      count: 1000,
      timeoutMs: 300,
      serverArgs: ["--drop-every", "10"],
    });
    expect(r.serverRejected).toEqual({ "dropped on purpose (--drop-every)": 100 });
    expect(r.sequence).toMatchObject({ sent: 1000, received: 900, lost: 100, duplicated: 0 });
    expect(r.counts.timeouts).toBe(100);
    expect(r.counts.completed).toBe(900);
  });

  test("open loop: a light constant rate is met on schedule", async () => {
    const r = await runLoad({
      ...base,
      driver: "tcp",
      model: "open",
      ratePerSec: 1000,
      window: 100,
      clients: 2,
      count: undefined,
      durationMs: 1000,
      warmupMs: 100,
    });
    expect(r.counts.unsent).toBe(0);
    expect(r.counts.completed).toBe(r.counts.sent);
    expect(r.opsPerSec).toBeGreaterThan(900);
    expect(r.opsPerSec).toBeLessThan(1100);
    expect(r.uncorrected.count).toBe(r.latency.count);
  });

  test.each(["tcp-connect", "ws-connect", "tcp-new", "ws-new"] as const)("%s: connections set up and counted", async (driver) => {
    const r = await runLoad({ ...base, driver, clients: 2, count: 200 });
    expect(r.counts.completed).toBe(200);
    expect(r.counts.errors).toEqual({});
  });

  test("a new connection per message through a relay pays the emulated handshake: two round trips for TCP, three for WebSocket", async () => {
    // 15 ms each way: a 30 ms round trip. Nothing can arrive early, so the lower bounds are exact.
    for (const [driver, roundTrips] of [
      ["tcp-new", 2],
      ["ws-new", 3],
      ["ws", 1],
    ] as const) {
      const r = await runLoad({ ...base, driver, clients: 2, count: 20, warmupMs: 100, net: parseProfile("delay=15ms") });
      expect(r.counts.completed).toBe(20);
      expect(r.latency.p50).toBeGreaterThanOrEqual(roundTrips * 30e6);
      expect(r.latency.p50).toBeLessThan(roundTrips * 30e6 + 15e6);
      expect(r.relay?.profile).toBe("delay 15 ms");
    }
  }, 30_000);
});

describe("push runs against real servers", () => {
  const push: Omit<PushSpec, "pattern"> = {
    intervalMs: 0,
    subscribers: 3,
    procs: 1,
    eventsPerSec: 50,
    eventSize: 32,
    warmupMs: 200,
    durationMs: 1000,
    timeoutMs: 2000,
    rampMs: 0,
    pin: "none",
  };

  test.each([
    ["ws", 0],
    ["sse", 0],
    ["long", 0],
    ["short", 100],
  ] as const)("%s: every event published in the window reaches every subscriber", async (pattern, intervalMs) => {
    const r = await runPush({ ...push, pattern, intervalMs });
    expect(r.events).toBeGreaterThanOrEqual(40);
    expect(r.events).toBeLessThanOrEqual(60);
    expect(r.delivered).toBe(r.expected);
    expect(r.clockAnomalies).toBe(0);
    expect(r.missed).toBe(0);
    expect(r.latency.count).toBe(r.delivered);
    expect(r.bytesPerEvent!.down).toBeGreaterThan(32); // at least the event's data
    if (pattern === "ws" || pattern === "sse") expect(r.requests).toBe(0); // connections opened before the window
    if (pattern === "long") {
      expect(r.requestsPerEvent).toBeGreaterThan(0.5);
      expect(r.requestsPerEvent).toBeLessThanOrEqual(1.05);
    }
    if (pattern === "short") {
      // One poll per interval per subscriber: ~10 a second each; an event waits up to one interval.
      expect(r.requests).toBeGreaterThan(20);
      expect(r.latency.max).toBeLessThan(100e6 + 50e6);
    }
  });

  test("fanout: the last subscriber's delivery is never earlier than the median one", async () => {
    const r = await runPush({ ...push, pattern: "ws", subscribers: 20, eventsPerSec: 10 });
    expect(r.delivered).toBe(r.expected);
    expect(r.slowestDelivery.count).toBe(r.events);
    expect(r.slowestDelivery.p50).toBeGreaterThanOrEqual(r.latency.p50);
  });
});

test("a real stall: the server stopped (SIGSTOP) for 1 s of an open-loop run at 1,000/s shows in the corrected p99, not in the uncorrected one", async () => {
  const server = await startServer("tcp", ["--mode", "echo", "--quiet"]);
  try {
    const run = runLoad({
      ...base,
      driver: "tcp",
      model: "open",
      ratePerSec: 1000,
      window: 1,
      warmupMs: 200,
      count: undefined,
      durationMs: 3000,
      timeoutMs: 5000,
      target: { host: "127.0.0.1", port: server.port },
    });
    // A second into the measured phase, the server stops for a second.
    await Bun.sleep(1200);
    process.kill(server.pid, "SIGSTOP");
    await Bun.sleep(1000);
    process.kill(server.pid, "SIGCONT");
    const r = await run;
    expect(r.counts.timeouts).toBe(0);
    // Every message due during the stall waited for it, and is timed from when it was due...
    expect(r.latency.p99).toBeGreaterThanOrEqual(800e6);
    // ...while timed from when it could leave (one in flight: after the stall), it looks fine.
    expect(r.uncorrected.p99).toBeLessThan(50e6);
    expect(r.uncorrected.max).toBeGreaterThanOrEqual(900e6); // the one message caught in the stall
  } finally {
    process.kill(server.pid, "SIGCONT");
    await server.stop();
  }
}, 30_000);
