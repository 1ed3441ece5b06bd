import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { startServer, type ServerProcess } from "../bench/run/server-process.ts";
import { encodeFrame } from "../protocol/frame.ts";
import { openCollector, pattern } from "../test/support/echo.ts";
import { rawConnect } from "../test/support/raw.ts";
import { killAll } from "../test/support/processes.ts";
import { until } from "../test/support/until.ts";
import { Pacer } from "./pacer.ts";
import { parseProfile } from "./profile.ts";
import { startTcpRelay, type TcpRelayOptions } from "./tcp-relay.ts";
import type { RunningRelay, TcpRelayStats } from "./types.ts";

let server: ServerProcess;
const running: RunningRelay<TcpRelayStats>[] = [];

beforeAll(async () => {
  server = await startServer("tcp", ["--mode", "echo", "--quiet"]);
});
afterAll(async () => {
  for (const relay of running) await relay.stop();
  killAll();
});

async function relay(net: string, extra: Partial<TcpRelayOptions> = {}): Promise<RunningRelay<TcpRelayStats>> {
  const r = await startTcpRelay({
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

/** A 64-byte message carrying its number, then bytes derived from it. */
function numbered(n: number): Uint8Array {
  const payload = pattern(64, n + 1);
  new DataView(payload.buffer).setUint32(0, n);
  return payload;
}

describe("TCP relay", () => {
  test("jitter never reorders a stream: 2000 numbered frames arrive in order and intact", async () => {
    const r = await relay("delay=3ms,jitter=2ms", { seed: 7 });
    const c = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
    // Batches a millisecond apart, so the relay reads ~200 chunks, each with its own jitter draw.
    for (let n = 0; n < 2000; n += 10) {
      for (let k = n; k < n + 10; k++) expect(c.channel.send(numbered(k))).toBe(true);
      await Bun.sleep(1);
    }
    const replies = await c.waitForReplies(2000, 10_000);
    for (let n = 0; n < 2000; n++) {
      const reply = replies[n]!;
      if (new DataView(reply.buffer, reply.byteOffset).getUint32(0) !== n)
        throw new Error(`reply ${n} carries message ${new DataView(reply.buffer, reply.byteOffset).getUint32(0)}`);
      expect(reply).toEqual(numbered(n));
    }
    const stats = r.stats();
    expect(stats.chunks.up).toBeGreaterThan(50); // many independent draws: reordering had its chances
    expect(stats.chunks.down).toBeGreaterThan(50);
    await c.channel.close();
  }, 20_000);

  test("byte counts: what the relay relays each way equals what the client sent and received", async () => {
    const r = await relay("delay=1ms");
    const c = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
    const sizes = [0, 1, 3, 64, 1000, 4096, 65_536, 200_000, 17];
    let sent = 0;
    sizes.forEach((size, i) => {
      const frame = encodeFrame(pattern(size, i + 1));
      sent += frame.length;
      expect(c.channel.send(pattern(size, i + 1))).toBe(true);
    });
    const replies = await c.waitForReplies(sizes.length, 10_000);
    const received = replies.reduce((sum, reply) => sum + 4 + reply.length, 0);
    for (const [i, reply] of replies.entries()) expect(reply).toEqual(pattern(sizes[i]!, i + 1));
    await c.channel.close();
    await until("the relay closes both sides", () => r.stats().active === 0);
    const stats = r.stats();
    expect(stats.bytes).toEqual({ up: sent, down: received });
    expect(received).toBe(sent);
    expect(stats.connections).toBe(1);
    expect(stats.errors).toEqual({});
  }, 20_000);

  test("8 Mbit/s each way: 1 MB takes about a second, and a small queue pauses the sender without losing a byte", async () => {
    // 50 frames of 20,000 bytes on the wire (19,996 of payload + the 4-byte length): 1,000,000 bytes.
    const r = await relay("rate=8mbit", { queueBytes: 64 << 10 });
    const c = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
    const start = Bun.nanoseconds();
    for (let i = 0; i < 50; i++) c.channel.send(pattern(19_996, i + 1));
    const replies = await c.waitForReplies(50, 5000);
    const seconds = (Bun.nanoseconds() - start) / 1e9;
    // The echo of the last frame crosses the down link after the up link is done: +20 ms.
    console.log(`1 MB at 8 Mbit/s through the relay: ${seconds.toFixed(3)} s (ideal 1.000 s up + 0.020 s for the last echo)`);
    expect(seconds).toBeGreaterThan(0.85);
    expect(seconds).toBeLessThan(1.15);
    for (const [i, reply] of replies.entries()) expect(reply).toEqual(pattern(19_996, i + 1));
    const stats = r.stats();
    expect(stats.bytes).toEqual({ up: 1_000_000, down: 1_000_000 });
    expect(stats.pauses).toBeGreaterThan(0);
    await c.channel.close();
  }, 20_000);

  test("half-close is passed on: a client's FIN reaches the server after its data, and the relay closes both sides", async () => {
    const r = await relay("delay=2ms");
    const raw = await rawConnect({ host: "127.0.0.1", port: r.port });
    raw.socket.write(encodeFrame(pattern(100, 3)));
    raw.socket.shutdown(); // FIN: the echo server answers what it has, then closes
    await raw.closedByServer(3000);
    expect(raw.received()).toEqual(encodeFrame(pattern(100, 3)));
    await until("the relay forgets the connection", () => r.stats().active === 0);
    expect(r.stats().bytes).toEqual({ up: 104, down: 104 });
  }, 10_000);

  test("a new connection's handshake is emulated: its first reply takes two round trips from connect(), later ones one", async () => {
    const r = await relay("delay=25ms"); // a 50 ms round trip
    const start = Bun.nanoseconds();
    const c = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
    c.channel.send(pattern(64, 1));
    await c.waitForReplies(1, 3000);
    const firstMs = (Bun.nanoseconds() - start) / 1e6;
    const again = Bun.nanoseconds();
    c.channel.send(pattern(64, 2));
    await c.waitForReplies(2, 3000);
    const secondMs = (Bun.nanoseconds() - again) / 1e6;
    console.log(`through a 50 ms round trip: connect + first reply ${firstMs.toFixed(1)} ms (real path: 100), next reply ${secondMs.toFixed(1)} ms (50)`);
    // The lower bounds are exact (nothing is delivered early); the upper ones allow a slow machine.
    expect(firstMs).toBeGreaterThanOrEqual(100);
    expect(firstMs).toBeLessThan(140);
    expect(secondMs).toBeGreaterThanOrEqual(50);
    expect(secondMs).toBeLessThan(90);
    await c.channel.close();
  }, 10_000);

  test("a server that speaks first is heard two round trips after connect(), as on a real path", async () => {
    const greeter = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open: (s) => void s.write("hello\n"), data() {} } });
    try {
      const r = await relay("delay=25ms", { targetPort: greeter.port });
      const start = Bun.nanoseconds();
      const raw = await rawConnect({ host: "127.0.0.1", port: r.port });
      await until("the greeting arrives", () => raw.received().length === 6);
      const ms = (Bun.nanoseconds() - start) / 1e6;
      // SYN, SYN-ACK, then the final ACK reaches the server at 75 ms; its greeting arrives at 100 ms.
      expect(ms).toBeGreaterThanOrEqual(100);
      expect(ms).toBeLessThan(140);
      expect(new TextDecoder().decode(raw.received())).toBe("hello\n");
      raw.socket.end();
    } finally {
      greeter.stop(true);
    }
  }, 10_000);

  test("with a rate cap, a new connection's held bytes do not hold up the others on the link", async () => {
    const r = await relay("delay=25ms,rate=100mbit"); // a 50 ms round trip
    const a = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
    a.channel.send(pattern(64, 1));
    await a.waitForReplies(1, 3000); // a's handshake is behind it
    const b = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
    b.channel.send(pattern(64, 2)); // held for b's emulated handshake: 50 ms
    await until("the relay has read b's message", () => r.stats().chunks.up === 2, 1000);
    const start = Bun.nanoseconds();
    a.channel.send(pattern(64, 3));
    await a.waitForReplies(2, 3000);
    const ms = (Bun.nanoseconds() - start) / 1e6;
    await b.waitForReplies(1, 3000);
    expect(ms).toBeGreaterThanOrEqual(50);
    expect(ms).toBeLessThan(75); // not behind b's handshake (that would be about 100 ms)
    await a.channel.close();
    await b.channel.close();
  }, 10_000);

  test("with jitter, a new connection's first reply is never early, and the stream stays in order", async () => {
    const r = await relay("delay=20ms,jitter=5ms", { seed: 3 });
    for (let i = 0; i < 5; i++) {
      const start = Bun.nanoseconds();
      const c = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
      for (let k = 0; k < 3; k++) c.channel.send(numbered(k));
      const replies = await c.waitForReplies(3, 3000);
      // Four one-way trips (SYN, SYN-ACK, data, reply), each at least 15 ms.
      expect((Bun.nanoseconds() - start) / 1e6).toBeGreaterThanOrEqual(60);
      for (const [k, reply] of replies.entries()) expect(reply).toEqual(numbered(k));
      await c.channel.close();
    }
  }, 10_000);

  test("held bytes are released even when their release is due the moment it is scheduled", async () => {
    // The real pacer runs a callback at once when its instant has passed by the time at() looks
    // at the clock; this one always does, so the release runs as it is scheduled.
    class DueAtOnce extends Pacer {
      override at(_atNs: number, fn: () => void): void {
        fn();
      }
    }
    const r = await relay("delay=50ms", { pacer: new DueAtOnce() });
    const c = await openCollector("tcp", { host: "127.0.0.1", port: r.port });
    c.channel.send(pattern(64, 9)); // read before the emulated handshake is over: held, then released
    const [reply] = await c.waitForReplies(1, 2000);
    expect(reply).toEqual(pattern(64, 9));
    await c.channel.close();
  }, 10_000);

  test("a target that refuses: the client is closed and the refusal counted", async () => {
    const dead = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = dead.port;
    dead.stop(true);
    const r = await relay("delay=1ms", { targetPort: port });
    const raw = await rawConnect({ host: "127.0.0.1", port: r.port });
    await raw.closedByServer(3000);
    expect(r.stats().errors).toEqual({ "connect ECONNREFUSED": 1 });
    await until("the relay forgets the connection", () => r.stats().active === 0);
  }, 10_000);
});
