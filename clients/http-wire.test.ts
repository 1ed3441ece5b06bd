import type { Socket } from "bun";
import { afterAll, describe, expect, test } from "bun:test";
import { MAX_MESSAGE_BYTES } from "../protocol/limits.ts";
import { pattern } from "../test/support/echo.ts";
import { killAll, startServer } from "../test/support/processes.ts";
import { rawConnect } from "../test/support/raw.ts";
import { openWireEcho, type WireEchoChannel, type WireEchoOptions } from "./http-wire.ts";
import type { Target } from "../lib/net.ts";

afterAll(killAll);

const SIZES = [0, 1, 64, 1024, 65_536, MAX_MESSAGE_BYTES];
const encoder = new TextEncoder();
const key = (b: Uint8Array) => Buffer.from(b).toString("base64");

interface Wire {
  channel: WireEchoChannel;
  replies: Uint8Array[];
  closedReason: string | undefined;
  waitForReplies(count: number, timeoutMs?: number): Promise<Uint8Array[]>;
  waitForClose(timeoutMs?: number): Promise<string>;
}

/** A wire echo channel that keeps a copy of every reply, in arrival order. */
async function openWire(target: Target, options: WireEchoOptions): Promise<Wire> {
  let wake = () => {};
  const wire: Wire = {
    channel: undefined as unknown as WireEchoChannel,
    replies: [],
    closedReason: undefined,
    waitForReplies(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${wire.replies.length} of ${count} replies within ${timeoutMs} ms`)), timeoutMs);
        wake = () => {
          if (wire.replies.length >= count) {
            clearTimeout(timer);
            resolve(wire.replies);
          } else if (wire.closedReason !== undefined) {
            clearTimeout(timer);
            reject(new Error(`channel closed after ${wire.replies.length} of ${count} replies: ${wire.closedReason}`));
          }
        };
        wake();
      });
    },
    waitForClose(timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`the channel stayed open for ${timeoutMs} ms`)), timeoutMs);
        wake = () => {
          if (wire.closedReason === undefined) return;
          clearTimeout(timer);
          resolve(wire.closedReason);
        };
        wake();
      });
    },
  };
  wire.channel = await openWireEcho(
    target,
    {
      onReply(bytes, start, end) {
        wire.replies.push(bytes.slice(start, end));
        wake();
      },
      onClose(reason) {
        wire.closedReason = reason;
        wake();
      },
    },
    options,
  );
  return wire;
}

/** The request the client must put on the wire, written out independently of its encoder. */
function requestText(host: string, size: number, reuse: boolean): string {
  return `POST /echo HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/octet-stream\r\n${reuse ? "" : "Connection: close\r\n"}Content-Length: ${size}\r\n\r\n`;
}

/**
 * The server's whole response, in bytes, to `request` sent on a bare connection: what the
 * client's bytesRead must add up to. Read until the server closes (Connection: close) or until
 * the head and the Content-Length bytes after it are in (keep-alive).
 */
async function rawResponseLength(target: Target, request: Uint8Array, reuse: boolean): Promise<number> {
  const raw = await rawConnect(target);
  raw.socket.write(request);
  if (!reuse) {
    await raw.closedByServer();
    return raw.received().length;
  }
  const deadline = Date.now() + 5000;
  for (;;) {
    const text = Buffer.from(raw.received()).toString("latin1");
    const headEnd = text.indexOf("\r\n\r\n");
    const length = /\r\ncontent-length: *(\d+)\r\n/i.exec(text.slice(0, headEnd + 2))?.[1];
    if (headEnd >= 0 && length !== undefined && text.length >= headEnd + 4 + Number(length)) {
      raw.socket.end();
      return text.length;
    }
    if (Date.now() > deadline) throw new Error(`no complete response on a raw connection; got ${JSON.stringify(text.slice(0, 200))}`);
    await Bun.sleep(5);
  }
}

describe.each([true, false])("wire echo, reuse=%p", (reuse) => {
  test(`returns every size unchanged, up to ${MAX_MESSAGE_BYTES} bytes`, async () => {
    const server = await startServer("http", ["--mode", "echo"]);
    const echo = await openWire({ host: "127.0.0.1", port: server.port }, { reuse });
    for (const [i, size] of SIZES.entries()) {
      const payload = pattern(size, i + 1);
      expect(echo.channel.send(payload)).toBe(true);
      const replies = await echo.waitForReplies(i + 1);
      expect(replies[i]).toEqual(payload);
    }
    // reuse=false: one connection per request plus the reachability check.
    expect(echo.channel.connectionsOpened).toBe(reuse ? 1 : SIZES.length + 1);
    await echo.channel.close();
    const stats = await server.stop();
    expect(stats.messages).toBe(SIZES.length);
    expect(stats.bytesIn).toBe(SIZES.reduce((a, b) => a + b, 0));
    expect(stats.rejected).toEqual({});
    expect(echo.closedReason).toBeUndefined();
  });

  test("counts exactly the bytes written and read, headers included", async () => {
    const server = await startServer("http", ["--mode", "echo"]);
    const target = { host: "127.0.0.1", port: server.port };
    const sizes = [0, 1, 64, 999, 1000, 65_536, 100_000];
    const echo = await openWire(target, { reuse });
    for (const [i, size] of sizes.entries()) expect(echo.channel.send(pattern(size, i + 40))).toBe(true);
    const replies = await echo.waitForReplies(sizes.length);
    expect(replies.map(key).sort()).toEqual(sizes.map((size, i) => key(pattern(size, i + 40))).sort());
    await echo.channel.close();

    const requests = sizes.map((size, i) => Buffer.concat([encoder.encode(requestText(`127.0.0.1:${server.port}`, size, reuse)), pattern(size, i + 40)]));
    expect(echo.channel.bytesWritten).toBe(requests.reduce((sum, r) => sum + r.length, 0));
    const bodies = sizes.reduce((a, b) => a + b, 0);
    expect(echo.channel.bytesRead).toBeGreaterThan(bodies);
    // The same requests on bare connections: the server's responses must add up to bytesRead.
    let responses = 0;
    for (const request of requests) responses += await rawResponseLength(target, request, reuse);
    expect(echo.channel.bytesRead).toBe(responses);

    const stats = await server.stop();
    expect(stats.messages).toBe(2 * sizes.length);
    expect(stats.bytesIn).toBe(2 * bodies);
  });

  test("a body over the server's 1 MiB limit closes the channel with the 413", async () => {
    const server = await startServer("http", ["--mode", "echo"]);
    const echo = await openWire({ host: "127.0.0.1", port: server.port }, { reuse });
    expect(echo.channel.send(pattern(MAX_MESSAGE_BYTES + 1, 5))).toBe(true);
    const reason = await echo.waitForClose();
    expect(reason).toContain("413");
    expect(reason).toContain(`from 127.0.0.1:${server.port}`);
    expect(reason).not.toContain("\n");
    expect(echo.channel.send(pattern(10, 1))).toBe(false);
    // The server is fine; a new channel is served.
    const again = await openWire({ host: "127.0.0.1", port: server.port }, { reuse });
    again.channel.send(pattern(100, 6));
    expect((await again.waitForReplies(1))[0]).toEqual(pattern(100, 6));
    await again.channel.close();
    await echo.channel.close();
    await server.stop();
  });

  test("a refused port rejects the open with a clear message", async () => {
    const server = await startServer("http", ["--mode", "echo"]);
    const target = { host: "127.0.0.1", port: server.port };
    await server.stop();
    const opening = openWireEcho(target, { onReply() {} }, { reuse, timeoutMs: 3000 });
    await expect(opening).rejects.toThrow("connection refused");
    await expect(opening).rejects.toThrow(`127.0.0.1:${server.port}`);
  });

  test("a server that goes away is reported once; after close() nothing is", async () => {
    const server = await startServer("http", ["--mode", "echo"]);
    const target = { host: "127.0.0.1", port: server.port };
    const echo = await openWire(target, { reuse });
    echo.channel.send(pattern(10, 1));
    await echo.waitForReplies(1);
    const closed = await openWire(target, { reuse });
    closed.channel.send(pattern(10, 2));
    await closed.waitForReplies(1);
    closed.channel.send(pattern(10, 3)); // may or may not be answered before close()
    await closed.channel.close();
    expect(closed.channel.send(pattern(10, 4))).toBe(false);
    await server.stop();
    if (reuse) {
      // The keep-alive connection dies with the server.
      expect(await echo.waitForClose()).toContain(`127.0.0.1:${server.port} closed the connection`);
      expect(echo.channel.send(pattern(10, 5))).toBe(false);
    } else {
      // Nothing was open; the next request finds no server.
      expect(echo.channel.send(pattern(10, 5))).toBe(true);
      expect(await echo.waitForClose()).toContain("connection refused");
    }
    await echo.channel.close();
    expect(closed.closedReason).toBeUndefined();
  });
});

test("reuse=true: 200 pipelined requests of mixed sizes come back complete and in order on one connection", async () => {
  const server = await startServer("http", ["--mode", "echo"]);
  const echo = await openWire({ host: "127.0.0.1", port: server.port }, { reuse: true });
  const sent = Array.from({ length: 200 }, (_, i) => pattern((i * 977) % 20_000, i + 100));
  for (const payload of sent) expect(echo.channel.send(payload)).toBe(true);
  // Every request was written before any response was read: they were in flight together.
  expect(echo.replies.length).toBe(0);
  const replies = await echo.waitForReplies(sent.length, 20_000);
  for (let i = 0; i < sent.length; i++) expect(replies[i]).toEqual(sent[i]!);
  expect(echo.channel.connectionsOpened).toBe(1);
  await echo.channel.close();
  expect((await server.stop()).messages).toBe(sent.length);
});

test("reuse=true: a pipeline bigger than the socket buffers is resumed on drain, and every byte arrives in order", async () => {
  // Bun.serve closes a connection that pipelines more than a few MiB while its responses are
  // held up, so the 16 MiB go to a server in this process that only collects what it gets.
  const sent = Array.from({ length: 16 }, (_, i) => pattern(MAX_MESSAGE_BYTES, i + 7));
  const sink = sinkServer();
  const echo = await openWire(sink.target, { reuse: true });
  for (const payload of sent) expect(echo.channel.send(payload)).toBe(true);
  // 16 MiB cannot fit in loopback socket buffers in one go: the kernel must have taken less.
  expect(echo.channel.shortWrites).toBeGreaterThan(0);
  const host = `127.0.0.1:${sink.target.port}`;
  const expected = Buffer.concat(sent.flatMap((payload) => [encoder.encode(requestText(host, payload.length, true)), payload]));
  await sink.waitForBytes(expected.length);
  expect(Buffer.compare(sink.received(), expected)).toBe(0);
  expect(echo.channel.bytesWritten).toBe(expected.length);
  sink.answer(sent.length, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
  expect((await echo.waitForReplies(sent.length)).length).toBe(sent.length);
  await echo.channel.close();
  sink.stop();
});

test("reuse=false: 20 concurrent sends each get a connection of their own and all come back", async () => {
  const server = await startServer("http", ["--mode", "echo"]);
  const echo = await openWire({ host: "127.0.0.1", port: server.port }, { reuse: false });
  expect(echo.channel.connectionsOpened).toBe(1); // the reachability check
  const sent = Array.from({ length: 20 }, (_, i) => pattern(500 + i, i + 300));
  for (const payload of sent) expect(echo.channel.send(payload)).toBe(true);
  const replies = await echo.waitForReplies(sent.length);
  // Separate connections may finish in any order; every body must come back once.
  expect(replies.map(key).sort()).toEqual(sent.map(key).sort());
  expect(echo.channel.connectionsOpened).toBe(21);
  await echo.channel.close();
  expect((await server.stop()).messages).toBe(sent.length);
});

test("IPv6: the Host header carries brackets and echo works over ::1", async () => {
  const server = await startServer("http", ["--mode", "echo", "--host", "::1"]);
  for (const reuse of [true, false]) {
    const echo = await openWire({ host: "::1", port: server.port }, { reuse });
    echo.channel.send(pattern(1000, 9));
    expect((await echo.waitForReplies(1))[0]).toEqual(pattern(1000, 9));
    await echo.channel.close();
    expect(echo.channel.bytesWritten).toBe(requestText(`[::1]:${server.port}`, 1000, reuse).length + 1000);
  }
  await server.stop();
});

/**
 * A misbehaving HTTP server on a real socket in this process: it answers every connection's
 * first bytes with `answer`, then closes (or, `unasked`, sends `answer` as soon as a client
 * connects). The Bun server never does these things.
 */
function cannedServer(answer: string, unasked = false): { target: Target; stop(): void } {
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(socket) {
        if (unasked) socket.write(answer);
      },
      data(socket) {
        socket.end(answer);
      },
    },
  });
  return { target: { host: "127.0.0.1", port: listener.port }, stop: () => listener.stop(true) };
}

/** A server in this process that collects what it receives and answers only when told. */
function sinkServer() {
  const chunks: Uint8Array[] = [];
  let total = 0;
  let peer: Socket<undefined> | undefined;
  let wake = () => {};
  const listener = Bun.listen({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      data(socket, chunk) {
        peer = socket;
        chunks.push(chunk.slice());
        total += chunk.length;
        wake();
      },
    },
  });
  return {
    target: { host: "127.0.0.1", port: listener.port },
    received: () => Buffer.concat(chunks),
    waitForBytes(count: number, timeoutMs = 20_000): Promise<void> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${total} of ${count} bytes within ${timeoutMs} ms`)), timeoutMs);
        wake = () => {
          if (total < count) return;
          clearTimeout(timer);
          resolve();
        };
        wake();
      });
    },
    answer: (count: number, response: string) => peer?.write(response.repeat(count)),
    stop: () => listener.stop(true),
  };
}

describe.each([true, false])("wire echo against a misbehaving server, reuse=%p", (reuse) => {
  test("a response cut off mid-body is reported with how far it got", async () => {
    const server = cannedServer("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nonly this");
    const echo = await openWire(server.target, { reuse });
    echo.channel.send(pattern(100, 1));
    const reason = await echo.waitForClose();
    expect(reason).toBe(`127.0.0.1:${server.target.port} closed the connection mid-response: the response was cut off after 9 of 100 body bytes`);
    server.stop();
  });

  test("a response that is not HTTP is reported as malformed", async () => {
    const server = cannedServer("SSH-2.0-OpenSSH_9.6\r\n");
    const echo = await openWire(server.target, { reuse });
    echo.channel.send(pattern(10, 1));
    expect(await echo.waitForClose()).toBe(
      `malformed response from 127.0.0.1:${server.target.port}: expected an HTTP/1.x status line, got "SSH-2.0-OpenSSH_9.6"`,
    );
    server.stop();
  });

  test("a chunked response, and one whose body runs to the close, are read whole", async () => {
    const chunked = cannedServer("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n4\r\nWiki\r\n6;x=y\r\npedia \r\n0\r\n\r\n");
    const toClose = cannedServer("HTTP/1.0 200 OK\r\n\r\nbody until the close");
    for (const [server, body] of [
      [chunked, "Wikipedia "],
      [toClose, "body until the close"],
    ] as const) {
      const echo = await openWire(server.target, { reuse });
      echo.channel.send(pattern(10, 1));
      expect(Buffer.from((await echo.waitForReplies(1))[0]!).toString()).toBe(body);
      // The server closed as it said it would: reuse=true has nothing left to send on.
      if (reuse) expect(await echo.waitForClose()).toContain("closed the connection");
      await echo.channel.close();
      server.stop();
    }
  });
});

test("reuse=true: a response to no request closes the channel instead of answering the next send", async () => {
  const server = cannedServer("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nhi", true);
  const echo = await openWire(server.target, { reuse: true });
  expect(await echo.waitForClose()).toBe(`response from 127.0.0.1:${server.target.port} to no request (HTTP 200)`);
  expect(echo.replies).toEqual([]);
  await echo.channel.close();
  server.stop();
});

describe("a fixed request (a server socketlab did not write)", () => {
  /** A keep-alive server in this process that answers each request with `answer(n)`, n counting from 1. */
  function scriptedServer(answer: (n: number, request: string) => string): { target: Target; requests: string[]; stop(): void } {
    const requests: string[] = [];
    const listener = Bun.listen({
      hostname: "127.0.0.1",
      port: 0,
      socket: {
        data(socket, chunk) {
          const text = Buffer.from(chunk).toString("latin1");
          for (const request of text.split(/(?=(?:HEAD|GET|POST) \/)/).filter((r) => r !== "")) {
            requests.push(request);
            socket.write(answer(requests.length, request));
          }
        },
      },
    });
    return { target: { host: "127.0.0.1", port: listener.port }, requests, stop: () => listener.stop(true) };
  }

  test("HEAD: responses carry no body whatever their Content-Length says, and 1xx interim responses are skipped", async () => {
    const server = scriptedServer((n) => `${n === 1 ? "HTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n" : ""}HTTP/1.1 200 OK\r\nContent-Length: 1234\r\n\r\n`);
    const echo = await openWire(server.target, { request: { method: "HEAD", path: "/x?y=1", headers: [["Accept", "*/*"]] } });
    for (let i = 0; i < 3; i++) {
      echo.channel.send(new Uint8Array(0));
      await echo.waitForReplies(i + 1);
    }
    expect(echo.replies.map((r) => r.length)).toEqual([0, 0, 0]);
    expect(server.requests[0]).toBe(`HEAD /x?y=1 HTTP/1.1\r\nHost: 127.0.0.1:${server.target.port}\r\nAccept: */*\r\n\r\n`);
    await echo.channel.close();
    server.stop();
  });

  test("an unexpected status is a rejection by code and the channel goes on; a body is sent with its length", async () => {
    const rejected: string[] = [];
    const server = scriptedServer((n) => (n === 2 ? "HTTP/1.1 503 Busy\r\nContent-Length: 4\r\n\r\nbusy" : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok"));
    const replies: string[] = [];
    const channel = await openWireEcho(
      server.target,
      { onReply: (r, start, end) => replies.push(Buffer.from(r.subarray(start, end)).toString()), onReject: (kind) => rejected.push(kind) },
      { request: { method: "POST", path: "/", headers: [["Host", "example.test"]], body: encoder.encode("ping") } },
    );
    for (let i = 0; i < 3; i++) channel.send(new Uint8Array(0));
    const deadline = Date.now() + 5000;
    while (replies.length + rejected.length < 3 && Date.now() < deadline) await Bun.sleep(5);
    expect(replies).toEqual(["ok", "ok"]);
    expect(rejected).toEqual(["http-503"]);
    // Our Host gives way to the one given; the body goes with its Content-Length.
    expect(server.requests[0]).toBe("POST / HTTP/1.1\r\nHost: example.test\r\nContent-Length: 4\r\n\r\nping");
    await channel.close();
    server.stop();
  });
});
