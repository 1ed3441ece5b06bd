import { afterAll, describe, expect, test } from "bun:test";
import { openEcho as openTcpEcho } from "../clients/tcp.ts";
import { MAX_MESSAGE_BYTES, MAX_UDP_PAYLOAD, type Transport } from "../protocol/limits.ts";
import { openCollector, pattern } from "./support/echo.ts";
import { killAll, startServer } from "./support/processes.ts";

afterAll(killAll);

const SIZES: Record<Transport, number[]> = {
  tcp: [0, 1, 64, 1024, 65_536, MAX_MESSAGE_BYTES],
  ws: [0, 1, 64, 1024, 65_536, MAX_MESSAGE_BYTES],
  http: [0, 1, 64, 1024, 65_536, MAX_MESSAGE_BYTES],
  udp: [0, 1, 64, 1024, 65_536 - 29, MAX_UDP_PAYLOAD],
};

describe.each(["tcp", "ws", "http", "udp"] as const)("%s echo", (transport) => {
  test(`returns every size unchanged, up to ${SIZES[transport].at(-1)} bytes`, async () => {
    const server = await startServer(transport, ["--mode", "echo"]);
    const echo = await openCollector(transport, { host: "127.0.0.1", port: server.port });
    // One at a time: a UDP datagram could be lost, so each gets its own wait (and is resent once).
    for (const [i, size] of SIZES[transport].entries()) {
      const payload = pattern(size, i + 1);
      expect(echo.channel.send(payload)).toBe(true);
      let replies = await echo.waitForReplies(i + 1, 2000).catch(() => undefined);
      if (!replies && transport === "udp") {
        echo.channel.send(payload);
        replies = await echo.waitForReplies(i + 1, 2000);
      }
      expect(replies?.[i]).toEqual(payload);
    }
    await echo.channel.close();
    const stats = await server.stop();
    expect(stats.messages).toBeGreaterThanOrEqual(SIZES[transport].length);
    expect(stats.rejected).toEqual({});
  });
});

describe.each(["tcp", "ws"] as const)("%s echo under a pipeline", (transport) => {
  test("500 messages of mixed sizes in flight at once come back complete and in order", async () => {
    const server = await startServer(transport, ["--mode", "echo"]);
    const echo = await openCollector(transport, { host: "127.0.0.1", port: server.port });
    const sent = Array.from({ length: 500 }, (_, i) => pattern((i * 977) % 20_000, i + 100));
    for (const payload of sent) expect(echo.channel.send(payload)).toBe(true);
    const replies = await echo.waitForReplies(sent.length, 20_000);
    expect(replies.length).toBe(sent.length);
    for (let i = 0; i < sent.length; i++) expect(replies[i]).toEqual(sent[i]!);
    await echo.channel.close();
    expect((await server.stop()).messages).toBe(sent.length);
  });
});

test("tcp: a burst bigger than the socket buffers comes back short, is resumed on drain, and arrives whole", async () => {
  const server = await startServer("tcp", ["--mode", "echo"]);
  const replies: Uint8Array[] = [];
  let wake = () => {};
  const channel = await openTcpEcho(
    { host: "127.0.0.1", port: server.port },
    {
      onReply(bytes, start, end) {
        replies.push(bytes.slice(start, end));
        wake();
      },
    },
  );
  const sent = Array.from({ length: 24 }, (_, i) => pattern(MAX_MESSAGE_BYTES, i + 7));
  for (const payload of sent) expect(channel.send(payload)).toBe(true);
  // 24 MiB cannot fit in loopback socket buffers in one go: the kernel must have taken less.
  expect(channel.shortWrites).toBeGreaterThan(0);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${replies.length} of ${sent.length} replies`)), 20_000);
    wake = () => {
      if (replies.length !== sent.length) return;
      clearTimeout(timer);
      resolve();
    };
  });
  for (let i = 0; i < sent.length; i++) expect(replies[i]).toEqual(sent[i]!);
  await channel.close();
  const stats = await server.stop();
  expect(stats.bytesOut).toBe(sent.length * (MAX_MESSAGE_BYTES + 4));
});

test("http: 64 echoes in flight at once (pipelined on one keep-alive connection) each get their own body back", async () => {
  const server = await startServer("http", ["--mode", "echo"]);
  const echo = await openCollector("http", { host: "127.0.0.1", port: server.port });
  const sent = Array.from({ length: 64 }, (_, i) => pattern(1000 + i, i + 900));
  for (const payload of sent) echo.channel.send(payload);
  const replies = await echo.waitForReplies(sent.length);
  // Compared as a set, so the test holds for any client that may answer out of order.
  const key = (b: Uint8Array) => Buffer.from(b).toString("base64");
  expect(replies.map(key).sort()).toEqual(sent.map(key).sort());
  await echo.channel.close();
  await server.stop();
});
