import { afterAll, expect, test } from "bun:test";
import { runLoad } from "../bench/run/load-run.ts";
import { runPush } from "../bench/run/push-run.ts";
import { parseProfile } from "../netem/profile.ts";
import { killAll } from "./support/processes.ts";

afterAll(killAll);

test("--net: 5 ms each way through the relay makes a 64 B TCP round trip about 10 ms, and the relay counts the bytes", async () => {
  const r = await runLoad({
    driver: "tcp",
    clients: 1,
    procs: 1,
    size: 64,
    model: "closed",
    window: 1,
    ratePerSec: 0,
    warmupMs: 50,
    count: 150,
    timeoutMs: 2000,
    rampMs: 0,
    pin: "none",
    net: parseProfile("delay=5ms"),
  });
  expect(r.counts.completed).toBe(150);
  console.log(
    `--net delay=5ms: p50 ${(r.latency.p50 / 1e6).toFixed(3)} ms; relay tare ${r.relay?.tareUs?.toFixed(0)} µs, released late p50 ${r.relay?.released?.p50LateUs} µs, p99 ${r.relay?.released?.p99LateUs} µs`,
  );
  expect(r.latency.p50).toBeGreaterThan(10e6 * 0.98);
  expect(r.latency.p50).toBeLessThan(10e6 * 1.05);
  expect(r.relay!.profile).toBe("delay 5 ms");
  // Every message and its reply went through the relay: at least 68 B each way per message.
  expect(r.relay!.bytesUp).toBeGreaterThanOrEqual(150 * 68);
  expect(r.relay!.bytesDown).toBeGreaterThanOrEqual(150 * 68);
  // And says what it took off the delay as its own cost, and how late it released bytes.
  expect(r.relay!.tareUs).toBeGreaterThanOrEqual(0);
  expect(r.relay!.released!.count).toBeGreaterThanOrEqual(2 * 150); // each message and its reply, at least
  expect(r.relay!.released!.p50LateUs).toBeLessThanOrEqual(r.relay!.released!.p99LateUs);
  expect(r.relay!.released!.p99LateUs).toBeLessThanOrEqual(r.relay!.released!.maxLateUs);
}, 30_000);

test("--net on push: WebSocket events arrive one emulated delay later, all of them", async () => {
  const r = await runPush({
    pattern: "ws",
    intervalMs: 0,
    subscribers: 3,
    procs: 1,
    eventsPerSec: 20,
    eventSize: 32,
    warmupMs: 200,
    durationMs: 1000,
    timeoutMs: 3000,
    rampMs: 0,
    pin: "none",
    net: parseProfile("delay=20ms"),
  });
  expect(r.delivered).toBe(r.expected);
  expect(r.latency.p50).toBeGreaterThan(20e6);
  expect(r.latency.p50).toBeLessThan(25e6);
}, 30_000);
