import { afterAll, describe, expect, test } from "bun:test";
import { openWireEcho } from "../clients/ws-wire.ts";
import type { EchoHandlers } from "../clients/types.ts";
import { FOREIGN, startForeign, type ForeignServer } from "./support/foreign.ts";
import { killAll, startServer } from "./support/processes.ts";
import { until } from "./support/until.ts";

// The bench's own WebSocket client (clients/ws-wire.ts) against real servers: ours (Bun.serve),
// and one written by hand on node:net that sends what Bun's never does (fragments, pings, a
// masked frame, its own close, a wrong accept key). Each runs in a child process.

afterAll(killAll);
const foreign: ForeignServer[] = [];
afterAll(async () => {
  await Promise.all(foreign.map((s) => s.stop()));
});

async function nodeWs(mode: string): Promise<number> {
  const s = await startForeign("node", FOREIGN.nodeWsRaw, { MODE: mode });
  foreign.push(s);
  return s.port;
}

/** Handlers that keep copies of the replies and the close reason. */
function collect() {
  const replies: Uint8Array[] = [];
  let closed: string | undefined;
  const handlers: EchoHandlers = {
    onReply: (bytes, start, end) => replies.push(bytes.slice(start, end)),
    onClose: (reason) => {
      closed = reason;
    },
  };
  return { replies, handlers, closed: () => closed };
}

const pattern = (n: number, seed = 0) => Uint8Array.from({ length: n }, (_, i) => (i * 13 + seed) & 0xff);

describe("the bench's WebSocket client", () => {
  test("against our server: messages from 1 B to 200 KiB come back whole; a window sent in one turn comes back in order", async () => {
    const server = await startServer("ws", ["--mode", "echo"]);
    const c = collect();
    const channel = await openWireEcho({ host: "127.0.0.1", port: server.port }, c.handlers);
    const sizes = [1, 125, 126, 4096, 65535, 65536, 200_000];
    for (const [i, n] of sizes.entries()) expect(channel.send(pattern(n, i))).toBe(true);
    await until("every reply", () => c.replies.length === sizes.length, 5000);
    for (const [i, n] of sizes.entries()) expect(c.replies[i]).toEqual(pattern(n, i));
    c.replies.length = 0;
    for (let i = 0; i < 100; i++) channel.send(new Uint8Array([i, 1, 2, 3, 4, 5, 6, 7]));
    await until("a window of 100", () => c.replies.length === 100, 5000);
    expect(c.replies.map((r) => r[0])).toEqual([...Array(100).keys()]);
    const started = performance.now();
    await channel.close();
    expect(performance.now() - started).toBeLessThan(1500); // the server answered the close
    expect(c.closed()).toBeUndefined();
    await server.stop();
  }, 20_000);

  test("over TLS, against our wss server", async () => {
    const server = await startServer("ws", ["--mode", "echo", "--tls"]);
    const c = collect();
    const channel = await openWireEcho({ host: "127.0.0.1", port: server.port, tls: { insecure: true } }, c.handlers);
    channel.send(pattern(3000));
    await until("the reply", () => c.replies.length === 1, 5000);
    expect(c.replies[0]).toEqual(pattern(3000));
    await channel.close();
    await server.stop();
  }, 20_000);

  test("a hand-written server: fragments joined, its pings answered, every frame it got was masked", async () => {
    const port = await nodeWs("fragments");
    const c = collect();
    const channel = await openWireEcho({ host: "127.0.0.1", port }, c.handlers);
    channel.send(pattern(1000));
    await until("the fragmented reply", () => c.replies.length === 1, 5000);
    expect(c.replies[0]).toEqual(pattern(1000));
    channel.send(new TextEncoder().encode("pongs?"));
    await until("the count of pongs", () => c.replies.length === 2, 5000);
    // Two pings came with the first message and one with this; the server reads in order.
    expect(new TextDecoder().decode(c.replies[1])).toBe("pongs 2");
    expect(c.closed()).toBeUndefined(); // an unmasked frame would have been refused with a close
    await channel.close();
  }, 20_000);

  test("a server that masks its frames breaks the protocol: the channel closes, saying so", async () => {
    const port = await nodeWs("masked");
    const c = collect();
    const channel = await openWireEcho({ host: "127.0.0.1", port }, c.handlers);
    channel.send(pattern(10));
    await until("the close", () => c.closed() !== undefined, 5000);
    expect(c.closed()).toBe(`protocol error from ws://127.0.0.1:${port}/: a masked frame (a server must not mask)`);
    expect(c.replies).toEqual([]);
    expect(channel.send(pattern(10))).toBe(false);
  }, 20_000);

  test("a server's own close is reported with its code and reason", async () => {
    const port = await nodeWs("close");
    const c = collect();
    const channel = await openWireEcho({ host: "127.0.0.1", port }, c.handlers);
    channel.send(pattern(10));
    await until("the close", () => c.closed() !== undefined, 5000);
    expect(c.closed()).toBe("closed by server (1001 going away)");
  }, 20_000);

  test("an upgrade refused, answered wrongly or never answered: one line each", async () => {
    const bad = await nodeWs("badaccept");
    await expect(openWireEcho({ host: "127.0.0.1", port: bad }, collect().handlers)).rejects.toThrow(
      `ws://127.0.0.1:${bad}/ answered the upgrade with the wrong Sec-WebSocket-Accept`,
    );
    const http = await startForeign("bun", FOREIGN.bunHttp);
    foreign.push(http);
    await expect(openWireEcho({ host: "127.0.0.1", port: http.port }, collect().handlers)).rejects.toThrow(
      `ws://127.0.0.1:${http.port}/ answered HTTP 404 Not Found, not a WebSocket upgrade (is it a WebSocket server?)`,
    );
    const silent = await startForeign("bun", FOREIGN.silentTcp);
    foreign.push(silent);
    const started = performance.now();
    await expect(openWireEcho({ host: "127.0.0.1", port: silent.port }, collect().handlers, 300)).rejects.toThrow(
      `timed out after 300 ms opening ws://127.0.0.1:${silent.port}/`,
    );
    expect(performance.now() - started).toBeLessThan(2000);
  }, 20_000);
});
