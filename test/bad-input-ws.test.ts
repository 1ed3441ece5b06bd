import { afterAll, expect, test } from "bun:test";
import { connect } from "../clients/ws.ts";
import { MAX_MESSAGE_BYTES } from "../protocol/limits.ts";
import { openCollector, pattern } from "./support/echo.ts";
import { killAll, startServer } from "./support/processes.ts";
import { rawConnect, rssOf } from "./support/raw.ts";

afterAll(killAll);

async function stillServes(port: number): Promise<void> {
  const echo = await openCollector("ws", { host: "127.0.0.1", port });
  echo.channel.send(pattern(100, 5));
  expect((await echo.waitForReplies(1))[0]).toEqual(pattern(100, 5));
  await echo.channel.close();
}

const UPGRADE =
  "GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n";

test("ws: oversize messages close with 1009, garbage and plain HTTP are refused, and others are still served", async () => {
  const server = await startServer("ws", ["--mode", "echo"]);
  const target = { host: "127.0.0.1", port: server.port };

  const big = await connect(target, 5000);
  const closed = new Promise<number>((resolve) => (big.onclose = (e) => resolve(e.code)));
  big.send(new Uint8Array(MAX_MESSAGE_BYTES + 1));
  expect(await closed).toBe(1009);
  await stillServes(server.port);

  // Bytes that are not an HTTP request at all: Bun answers 400 itself.
  const garbage = await rawConnect(target);
  garbage.socket.write(pattern(4096, 7));
  await garbage.closedByServer();
  expect(Buffer.from(garbage.received()).toString()).toStartWith("HTTP/1.1 400");

  // A valid handshake followed by an unmasked frame, which RFC 6455 forbids from clients.
  const unmasked = await rawConnect(target);
  unmasked.socket.write(UPGRADE);
  unmasked.socket.write(Uint8Array.of(0x82, 0x03, 1, 2, 3));
  await unmasked.closedByServer();
  expect(Buffer.from(unmasked.received()).toString()).toStartWith("HTTP/1.1 101");

  // A handshake cut off halfway by a client that vanishes.
  const vanished = await rawConnect(target);
  vanished.socket.write(UPGRADE.slice(0, 40));
  vanished.socket.terminate();

  const plain = await fetch(`http://127.0.0.1:${server.port}/`);
  expect(plain.status).toBe(426);
  await stillServes(server.port);

  const stats = await server.stop();
  expect(stats.rejected.oversize).toBe(1);
  expect(stats.rejected["not-websocket"]).toBe(1);
  expect(stats.rejected["protocol-error"]).toBe(1);
  expect(stats.messages).toBe(2);
});

test("ws: a client that stops reading gets backpressure, is not dropped, and gets every message back", async () => {
  const server = await startServer("ws", ["--mode", "echo"]);
  const ws = await connect({ host: "127.0.0.1", port: server.port }, 5000);
  ws.pause(); // this client reads nothing until resumed
  let received = 0;
  let bytes = 0;
  ws.onmessage = (e) => {
    received++;
    bytes += (e.data as ArrayBuffer).byteLength;
  };
  const message = pattern(256 * 1024, 3);
  const count = 160; // 40 MiB, more than the server's 16 MiB backpressure limit
  const before = rssOf(server.proc.pid);
  for (let i = 0; i < count; i++) ws.send(message);
  const settle = Date.now() + 3000;
  let last = -1;
  while (Date.now() < settle && ws.bufferedAmount !== last) {
    last = ws.bufferedAmount;
    await Bun.sleep(200);
  }
  expect(ws.readyState).toBe(WebSocket.OPEN);
  expect(ws.bufferedAmount).toBeGreaterThan(0); // the server stopped taking data
  expect(rssOf(server.proc.pid) - before).toBeLessThan(48 << 20);
  ws.resume();
  const until = Date.now() + 20_000;
  while (received < count && Date.now() < until) await Bun.sleep(20);
  expect(received).toBe(count);
  expect(bytes).toBe(count * message.length);
  ws.close();
  const stats = await server.stop();
  expect(stats.errors).toEqual({});
  expect(stats.rejected).toEqual({});
});
