import { afterAll, expect, test } from "bun:test";
import { SocketWriter } from "../lib/socket-writer.ts";
import { encodeFrame } from "../protocol/frame.ts";
import { openCollector, pattern } from "./support/echo.ts";
import { killAll, startServer } from "./support/processes.ts";
import { rawConnect, rssOf } from "./support/raw.ts";

afterAll(killAll);

const header = (length: number) => {
  const h = new Uint8Array(4);
  new DataView(h.buffer).setUint32(0, length);
  return h;
};

async function stillServes(port: number): Promise<void> {
  const echo = await openCollector("tcp", { host: "127.0.0.1", port });
  echo.channel.send(pattern(100, 5));
  expect((await echo.waitForReplies(1))[0]).toEqual(pattern(100, 5));
  await echo.channel.close();
}

test("tcp: garbage, a 4 GiB length, truncated frames and vanishing clients are rejected, counted, and others still served", async () => {
  const server = await startServer("tcp", ["--mode", "echo"]);
  const target = { host: "127.0.0.1", port: server.port };

  // Random bytes: the first four read as a length far above 1 MiB, so the server hangs up.
  const random = pattern(65_536, 99);
  random[0] = 0x7f;
  const garbage = await rawConnect(target);
  garbage.socket.write(random);
  await garbage.closedByServer();
  await stillServes(server.port);

  const huge = await rawConnect(target);
  huge.socket.write(Uint8Array.of(0xff, 0xff, 0xff, 0xff));
  await huge.closedByServer();
  expect(huge.received().length).toBe(0);
  await stillServes(server.port);

  // A frame cut short by a clean close, and one cut by a reset mid-message.
  const cut = await rawConnect(target);
  cut.socket.write(Buffer.concat([header(1000), pattern(10, 1)]));
  cut.socket.end();
  const vanished = await rawConnect(target);
  vanished.socket.write(Buffer.concat([header(1 << 20), pattern(512 * 1024, 2)]));
  vanished.socket.terminate();
  await stillServes(server.port);

  const stats = await server.stop();
  expect(stats.rejected).toEqual({ oversize: 2, truncated: 2 });
  expect(stats.messages).toBe(3); // the three well-formed echoes
});

test("tcp: 40 clients each announcing a 1 MiB frame and sending 1000 bytes hold kilobytes, not megabytes", async () => {
  const server = await startServer("tcp", ["--mode", "echo"]);
  const target = { host: "127.0.0.1", port: server.port };
  const before = rssOf(server.proc.pid);
  const holders = await Promise.all(Array.from({ length: 40 }, () => rawConnect(target)));
  for (const h of holders) h.socket.write(Buffer.concat([header(1 << 20), pattern(1000, 3)]));
  await stillServes(server.port); // every partial frame has been read by now
  const grown = rssOf(server.proc.pid) - before;
  expect(grown).toBeLessThan(16 << 20); // 40 full frames would be 40 MiB
  for (const h of holders) h.socket.terminate();
  await stillServes(server.port);
  expect((await server.stop()).rejected).toEqual({ truncated: 40 });
});

test("tcp: a client that stops reading gets backpressure, is not dropped, and gets every byte back", async () => {
  const server = await startServer("tcp", ["--mode", "echo"]);
  const conn = await rawConnect({ host: "127.0.0.1", port: server.port }, { paused: true });
  const writer = new SocketWriter(conn.socket, 1 << 30);
  // A drain handler cannot be added after connect, so the test pumps the writer itself.
  const pump = setInterval(() => writer.drain(), 1);
  const frame = encodeFrame(pattern(256 * 1024, 4));
  const frames = 256; // 64 MiB, far beyond what socket buffers hold
  const before = rssOf(server.proc.pid);
  for (let i = 0; i < frames; i++) expect(writer.write(frame)).toBe(true);
  // Give the server time to read whatever it would: with flow control it stops early.
  const deadline = Date.now() + 3000;
  let last = -1;
  while (Date.now() < deadline && writer.pending !== last) {
    last = writer.pending;
    await Bun.sleep(200);
  }
  expect(writer.pending).toBeGreaterThan(16 << 20); // the server stopped taking data
  expect(rssOf(server.proc.pid) - before).toBeLessThan(32 << 20);
  conn.socket.resume();
  const expected = frames * frame.length;
  const until = Date.now() + 20_000;
  while (conn.received().length < expected && Date.now() < until) await Bun.sleep(20);
  clearInterval(pump);
  expect(conn.received().length).toBe(expected);
  expect(Buffer.compare(conn.received().subarray(0, frame.length), frame)).toBe(0);
  conn.socket.end();
  const stats = await server.stop();
  expect(stats.rejected).toEqual({});
  expect(stats.messages).toBe(frames);
});
