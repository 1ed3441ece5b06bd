import { afterAll, expect, test } from "bun:test";
import { MAX_MESSAGE_BYTES, MAX_UDP_PAYLOAD } from "../protocol/limits.ts";
import { openCollector, pattern } from "./support/echo.ts";
import { killAll, runCli, startServer } from "./support/processes.ts";
import { rawConnect } from "./support/raw.ts";

afterAll(killAll);

test("http: malformed requests get 400, oversize bodies 413, bad routes 404/405, and others are still served", async () => {
  const server = await startServer("http", ["--mode", "echo"]);
  const base = `http://127.0.0.1:${server.port}`;
  const target = { host: "127.0.0.1", port: server.port };

  const garbage = await rawConnect(target);
  garbage.socket.write("GARBAGE \x01\x02 nonsense\r\n\r\n");
  await garbage.closedByServer();
  expect(Buffer.from(garbage.received()).toString()).toStartWith("HTTP/1.1 400");

  const random = await rawConnect(target);
  random.socket.write(pattern(8192, 3));
  await random.closedByServer();
  expect(Buffer.from(random.received()).toString()).toStartWith("HTTP/1.1 4");

  // A body announced at 100 kB, cut off after 10 bytes by a client that vanishes.
  const vanished = await rawConnect(target);
  vanished.socket.write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n0123456789");
  vanished.socket.terminate();

  expect((await fetch(`${base}/echo`, { method: "POST", body: new Uint8Array(MAX_MESSAGE_BYTES + 1) })).status).toBe(413);
  expect((await fetch(`${base}/events?since=-1`)).status).toBe(400);
  expect((await fetch(`${base}/events?wait=9999999`)).status).toBe(400);
  expect((await fetch(`${base}/events/stream?since=abc`)).status).toBe(400);
  expect((await fetch(`${base}/nowhere`)).status).toBe(404);
  expect((await fetch(`${base}/echo`)).status).toBe(405);

  const echo = await openCollector("http", target);
  echo.channel.send(pattern(MAX_MESSAGE_BYTES, 9));
  expect((await echo.waitForReplies(1))[0]).toEqual(pattern(MAX_MESSAGE_BYTES, 9));
  await echo.channel.close();

  const stats = await server.stop();
  expect(stats.rejected).toEqual({ "bad-request": 3, "not-found": 1, "bad-method": 1 });
});

test("udp: datagrams of any size and content are survived, and others are still served", async () => {
  const server = await startServer("udp", ["--mode", "echo"]);
  const target = { host: "127.0.0.1", port: server.port };
  const sizes = [0, 1, 2, 3, 7, 100, 1500, 9000, 32_768, MAX_UDP_PAYLOAD];
  const garbage = await openCollector("udp", target);
  // One at a time, each awaited, so no burst can overflow a receive buffer: the counts are exact.
  for (const [i, size] of sizes.entries()) {
    garbage.channel.send(pattern(size, i + 50));
    expect((await garbage.waitForReplies(i + 1, 3000))[i]).toEqual(pattern(size, i + 50));
  }
  await garbage.channel.close();

  const echo = await openCollector("udp", target);
  echo.channel.send(pattern(64, 1));
  expect((await echo.waitForReplies(1, 3000))[0]).toEqual(pattern(64, 1));
  await echo.channel.close();
  const stats = await server.stop();
  expect(stats.messages).toBe(sizes.length + 1);
  expect(stats.bytesIn).toBe(sizes.reduce((a, b) => a + b, 0) + 64);
  expect(stats.errors).toEqual({});
});

test("udp hello: control bytes from a client never reach the operator's terminal raw", async () => {
  const server = await startServer("udp");
  const client = await Bun.udpSocket({ hostname: "127.0.0.1" });
  client.send("\x1b[2J\x07evil\x00\r\nline", server.port, "127.0.0.1");
  const line = await server.stderr.waitFor("Client: ");
  expect(line).toContain("evil");
  expect(line).toContain("\\r\\nline");
  expect(line).not.toMatch(/[\x00-\x08\x1b\x07]/);
  client.close();
  await server.stop();
});

test("http --cors: any page may call it and see its timing, on every route (a stream too); without it, none of that; /echo?close ends the connection", async () => {
  const open = await startServer("http", ["--mode", "push", "--cors", "--quiet"]);
  const plain = await startServer("http", ["--mode", "push", "--quiet"]);
  for (const path of ["/echo", "/events?since=0", "/time", "/nowhere"]) {
    const init = path === "/echo" ? { method: "POST", body: "x" } : {};
    const withCors = await fetch(`http://127.0.0.1:${open.port}${path}`, init);
    expect(withCors.headers.get("access-control-allow-origin")).toBe("*");
    expect(withCors.headers.get("timing-allow-origin")).toBe("*");
    await withCors.arrayBuffer();
    const without = await fetch(`http://127.0.0.1:${plain.port}${path}`, init);
    expect(without.headers.get("access-control-allow-origin")).toBeNull();
    await without.arrayBuffer();
  }
  const stream = await fetch(`http://127.0.0.1:${open.port}/events/stream`);
  expect(stream.headers.get("access-control-allow-origin")).toBe("*");
  await stream.body?.cancel();
  // The server closes after answering /echo?close, and answers nothing more on that connection.
  const raw = await rawConnect({ host: "127.0.0.1", port: open.port });
  raw.socket.write("POST /echo?close HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nhiPOST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nho");
  await raw.closedByServer();
  const answer = Buffer.from(raw.received()).toString();
  expect(answer).toStartWith("HTTP/1.1 200");
  expect(answer.toLowerCase()).toContain("connection: close");
  expect(answer.endsWith("hi")).toBe(true);
  expect(answer).not.toContain("ho");
  const cli = await runCli(["servers/cli.ts", "ws", "--cors"], "", 10_000);
  expect(cli.code).toBe(2);
  expect(cli.stderr).toContain("server: --cors is for the http server (a WebSocket needs no CORS)");
  await Promise.all([open.stop(), plain.stop()]);
});
