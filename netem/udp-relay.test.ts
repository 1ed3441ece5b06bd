import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, type ServerProcess } from "../bench/run/server-process.ts";
import { openCollector, pattern, type Collector } from "../test/support/echo.ts";
import { killAll } from "../test/support/processes.ts";
import { until } from "../test/support/until.ts";
import { parseProfile } from "./profile.ts";
import type { RunningRelay, UdpRelayStats } from "./types.ts";
import { startUdpRelay, type UdpRelayOptions } from "./udp-relay.ts";

let server: ServerProcess;
const running: RunningRelay<UdpRelayStats>[] = [];

beforeAll(async () => {
  server = await startServer("udp", ["--mode", "echo", "--quiet"]);
});
afterAll(async () => {
  for (const relay of running) await relay.stop();
  killAll();
});

async function relay(net: string, extra: Partial<UdpRelayOptions> = {}): Promise<RunningRelay<UdpRelayStats>> {
  const r = await startUdpRelay({
    listenHost: "127.0.0.1",
    listenPort: 0,
    targetHost: "127.0.0.1",
    targetPort: server.port,
    profile: parseProfile(net),
    ...extra,
  });
  running.push(r);
  return r;
}

/** A datagram carrying its number, then bytes derived from it. */
function numbered(n: number, size = 64): Uint8Array {
  const payload = pattern(size, n + 1);
  new DataView(payload.buffer).setUint32(0, n);
  return payload;
}
const numberOf = (reply: Uint8Array): number => new DataView(reply.buffer, reply.byteOffset).getUint32(0);

/**
 * Sends `count` numbered datagrams, `perMs` at a time a millisecond apart: gentle enough that
 * no socket buffer on the loopback overflows, so every loss seen is the relay's.
 */
async function sendPaced(c: Collector, count: number, perMs: number, size = 64): Promise<void> {
  for (let n = 0; n < count; n += perMs) {
    for (let k = n; k < Math.min(count, n + perMs); k++) c.channel.send(numbered(k, size));
    await Bun.sleep(1);
  }
}

/** Everything sent has been through the relay both ways (dropped, or delivered and echoed back). */
function settled(s: UdpRelayStats, sent: number): boolean {
  return (
    s.up.received === sent &&
    s.up.datagrams + s.up.dropped === sent &&
    s.down.received === s.up.datagrams &&
    s.down.datagrams + s.down.dropped === s.down.received
  );
}

/** The range a Binomial(n, p) count falls in except with odds of about 1 in 1.7 million (±5 sd). */
function binomialBounds(n: number, p: number): [number, number] {
  const sd = Math.sqrt(n * p * (1 - p));
  return [Math.floor(n * p - 5 * sd), Math.ceil(n * p + 5 * sd)];
}

describe("UDP relay", () => {
  test("10% loss with a seeded PRNG: drops each way fall within the binomial bound, and the same seed drops the same", async () => {
    const runOnce = async () => {
      const r = await relay("loss=10%", { seed: 42 });
      const c = await openCollector("udp", { host: "127.0.0.1", port: r.port });
      await sendPaced(c, 2000, 20);
      await until("all 2000 datagrams relayed both ways", () => settled(r.stats(), 2000));
      const s = r.stats();
      await until("every echo delivered by the relay reaches the client", () => c.replies.length === s.down.datagrams);
      await c.channel.close();
      return { s, replies: c.replies.length };
    };
    const first = await runOnce();
    const { s } = first;
    const [upLow, upHigh] = binomialBounds(2000, 0.1);
    const [downLow, downHigh] = binomialBounds(s.up.datagrams, 0.1);
    console.log(
      `10% loss over 2000 datagrams: ${s.up.dropped} dropped up (bound ${upLow}-${upHigh}), ${s.down.dropped} of ${s.down.received} dropped down (bound ${downLow}-${downHigh})`,
    );
    expect(s.up.dropped).toBeGreaterThanOrEqual(upLow);
    expect(s.up.dropped).toBeLessThanOrEqual(upHigh);
    expect(s.down.dropped).toBeGreaterThanOrEqual(downLow);
    expect(s.down.dropped).toBeLessThanOrEqual(downHigh);
    expect(first.replies).toBe(2000 - s.up.dropped - s.down.dropped);
    expect(s.up.overflowed + s.up.failed + s.down.overflowed + s.down.failed).toBe(0);

    const second = await runOnce();
    expect(second.s.up.dropped).toBe(s.up.dropped);
    expect(second.s.down.dropped).toBe(s.down.dropped);
  }, 20_000);

  test("byte counts: what the relay relays each way equals what the client sent and received", async () => {
    const r = await relay("delay=1ms");
    const c = await openCollector("udp", { host: "127.0.0.1", port: r.port });
    const sizes = [0, 1, 64, 1400, 8000, 30_000, 65_507, 17];
    for (const [i, size] of sizes.entries()) {
      c.channel.send(pattern(size, i + 1));
      await c.waitForReplies(i + 1, 2000); // one at a time: large datagrams must not crowd a socket buffer
    }
    const sent = sizes.reduce((a, b) => a + b, 0);
    const received = c.replies.reduce((sum, reply) => sum + reply.length, 0);
    for (const [i, reply] of c.replies.entries()) expect(reply).toEqual(pattern(sizes[i]!, i + 1));
    const s = r.stats();
    expect(s.up).toMatchObject({ received: sizes.length, datagrams: sizes.length, bytes: sent, dropped: 0 });
    expect(s.down).toMatchObject({ received: sizes.length, datagrams: sizes.length, bytes: received, dropped: 0 });
    expect(received).toBe(sent);
    await c.channel.close();
  }, 10_000);

  test("jitter reorders datagrams, as on a real network, and loses none", async () => {
    const r = await relay("delay=5ms,jitter=4ms", { seed: 3 });
    const c = await openCollector("udp", { host: "127.0.0.1", port: r.port });
    await sendPaced(c, 300, 3);
    const replies = await c.waitForReplies(300, 5000);
    let highest = -1;
    let reordered = 0;
    for (const reply of replies) {
      const n = numberOf(reply);
      if (n < highest) reordered++;
      highest = Math.max(highest, n);
    }
    expect(new Set(replies.map(numberOf)).size).toBe(300);
    expect(reordered).toBeGreaterThan(10);
    await c.channel.close();
  }, 10_000);

  test("8 Mbit/s: 200 kB of datagrams take about 0.2 s", async () => {
    const r = await relay("rate=8mbit");
    const c = await openCollector("udp", { host: "127.0.0.1", port: r.port });
    const start = Bun.nanoseconds();
    await sendPaced(c, 200, 20, 1000);
    await c.waitForReplies(200, 3000);
    const seconds = (Bun.nanoseconds() - start) / 1e9;
    console.log(`200 kB of UDP at 8 Mbit/s through the relay: ${seconds.toFixed(3)} s (ideal 0.200 s up + 0.001 s for the last echo)`);
    expect(seconds).toBeGreaterThan(0.17);
    expect(seconds).toBeLessThan(0.235);
    expect(r.stats().up.overflowed).toBe(0);
    await c.channel.close();
  }, 10_000);

  test("the client map is bounded: idle flows expire, and past maxFlows the least recently active is evicted", async () => {
    const idle = await relay("delay=0", { idleMs: 100 });
    const a = await openCollector("udp", { host: "127.0.0.1", port: idle.port });
    a.channel.send(numbered(1));
    await a.waitForReplies(1, 2000);
    expect(idle.stats().activeFlows).toBe(1);
    await until("the idle flow expires", () => idle.stats().activeFlows === 0, 2000);
    expect(idle.stats()).toMatchObject({ flows: 1, expiredFlows: 1 });
    // A client that comes back simply gets a new flow.
    a.channel.send(numbered(2));
    await a.waitForReplies(2, 2000);
    expect(idle.stats().flows).toBe(2);
    await a.channel.close();

    const small = await relay("delay=0", { maxFlows: 2 });
    const clients = [];
    for (let i = 0; i < 3; i++) {
      const c = await openCollector("udp", { host: "127.0.0.1", port: small.port });
      c.channel.send(numbered(i));
      await c.waitForReplies(1, 2000);
      clients.push(c);
    }
    expect(small.stats()).toMatchObject({ flows: 3, activeFlows: 2, evictedFlows: 1 });
    for (const c of clients) await c.channel.close();
  }, 10_000);
});
