import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { BenchResult, LoadResult } from "../bench/model/results.ts";
import { renderMarkdown } from "../bench/report/markdown.ts";
import { selfSignedIdentity } from "../lib/tls.ts";
import { FOREIGN, startForeign, type ForeignServer } from "./support/foreign.ts";
import { killAll, runCli, startServer } from "./support/processes.ts";

// The bench pointed at servers socketlab did not write, by URL: Bun's and Node's own HTTP
// servers, a plain TCP echo, a newline protocol, a UDP server that answers with a fixed text,
// a WebSocket bot. Each server runs in its own child process.

afterAll(killAll);

const out = mkdtempSync(join(tmpdir(), "socketlab-foreign-"));
const servers: ForeignServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
});

async function serve(runtime: "bun" | "node", code: string): Promise<number> {
  const s = await startForeign(runtime, code);
  servers.push(s);
  return s.port;
}

/** `bun run bench <args> --quick --json`: the one run's result, or the failure. */
async function bench(args: string[]): Promise<{ code: number; stderr: string; result?: BenchResult; ms: number }> {
  const started = performance.now();
  const r = await runCli(["bench/cli/main.ts", ...args, "--quick", "--json", "-o", out], "", 30_000);
  const ms = performance.now() - started;
  return { code: r.code, stderr: r.stderr, ms, ...(r.code === 0 ? { result: JSON.parse(r.stdout) as BenchResult } : {}) };
}

function runsOf(result: BenchResult): LoadResult[] {
  return result.sections.flatMap((s) => ("runs" in s ? (s.runs as LoadResult[]) : []));
}

describe("URL targets: servers socketlab did not write", () => {
  test("Bun.serve, GET by default: a chunked, streamed response is one reply; the result records the URL and method", async () => {
    const port = await serve("bun", FOREIGN.bunHttp);
    const r = await bench(["rtt", "--target", `http://127.0.0.1:${port}/hello?x=1`]);
    expect(r.code).toBe(0);
    expect(r.stderr).not.toContain("bench:");
    const [run] = runsOf(r.result!);
    expect(run!.spec.driver).toBe("http");
    expect(run!.counts.completed).toBeGreaterThan(10);
    expect(run!.counts.errors).toEqual({});
    expect(run!.spec.exchange).toMatchObject({ url: `http://127.0.0.1:${port}/hello?x=1`, method: "GET", path: "/hello?x=1" });
    // Not started by us: its CPU and memory are not measured, and the report says so.
    expect(run!.remote).toBe(`127.0.0.1:${port}`);
  }, 30_000);

  test("--method, -H, --body: the request is what was asked; a credential's value never reaches the result", async () => {
    const port = await serve("bun", FOREIGN.bunHttp);
    const r = await bench([
      "rtt",
      "--target",
      `http://127.0.0.1:${port}/check`,
      "--method",
      "POST",
      "-H",
      "X-Token: s3cret",
      "-H",
      "Accept: text/plain",
      "--body",
      "ping",
    ]);
    expect(r.code).toBe(0);
    const [run] = runsOf(r.result!);
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(10);
    expect(run!.spec.size).toBe(4);
    expect(run!.spec.exchange!.headers).toEqual([
      ["X-Token", "(redacted)"],
      ["Accept", "text/plain"],
    ]);
    // Nowhere: not in the config, the spec or the command line either.
    expect(JSON.stringify(r.result)).not.toContain("s3cret");
    expect(r.result!.command).toContain("-H 'X-Token: (redacted)'");
    // The report says what was asked and how it answered.
    const md = renderMarkdown(r.result!);
    expect(md).toContain(
      `Target: POST http://127.0.0.1:${port}/check, keep-alive, a server socketlab did not start: its CPU, memory and socket byte counts are not measured.`,
    );
    expect(md).toContain("Headers: `X-Token: (redacted)`, `Accept: text/plain`.");
    expect(md).toMatch(/Answers in the measured windows: [\d,]+ as expected \(HTTP 2xx\)\./);
  }, 30_000);

  test("statuses other than the expected are errors by code, and the run goes on", async () => {
    const port = await serve("bun", FOREIGN.bunHttp);
    // The first request may draw either status: accept both for the probe's sake, then count 503s.
    const r = await bench(["rtt", "--target", `http://127.0.0.1:${port}/flaky`, "--expect-status", "200,503"]);
    expect(runsOf(r.result!)[0]!.counts.errors).toEqual({});
    let strict: Awaited<ReturnType<typeof bench>> | undefined;
    // A probe that draws a 503 ends the run in one line; draw again (each attempt is a fair coin).
    for (let i = 0; i < 8 && strict?.code !== 0; i++) strict = await bench(["rtt", "--target", `http://127.0.0.1:${port}/flaky`]);
    const run = runsOf(strict!.result!)[0]!;
    expect(run.counts.errors["http-503"]).toBeGreaterThan(0);
    expect(run.counts.completed).toBeGreaterThan(0);
    expect(renderMarkdown(strict!.result!)).toMatch(/as expected \(HTTP 2xx\), http-503: [\d,]+\./);
  }, 60_000);

  test("node:http with keep-alive off: every response closes its connection, the next request opens another, nothing hangs", async () => {
    const port = await serve("node", FOREIGN.nodeHttpClose);
    const r = await bench(["throughput", "--target", `http://127.0.0.1:${port}/`, "-c", "4"]);
    expect(r.code).toBe(0);
    const [run] = runsOf(r.result!);
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.timeouts).toBe(0);
    expect(run!.counts.completed).toBeGreaterThan(20);
    expect(run!.spec).toMatchObject({ clients: 4, window: 1 });
  }, 30_000);

  test("--new-connection: HTTP/1.1 with a new connection per request", async () => {
    const port = await serve("bun", FOREIGN.bunHttp);
    const r = await bench(["rtt", "--target", `http://127.0.0.1:${port}/hello`, "--new-connection"]);
    const [run] = runsOf(r.result!);
    expect(run!.spec.driver).toBe("http-close");
    expect(run!.counts.completed).toBeGreaterThan(10);
    expect(run!.counts.errors).toEqual({});
  }, 30_000);

  test("--pipeline 4: four requests in flight on each keep-alive connection", async () => {
    const port = await serve("bun", FOREIGN.bunHttp);
    const r = await bench(["throughput", "--target", `http://127.0.0.1:${port}/hello`, "--pipeline", "4", "-c", "2"]);
    const [run] = runsOf(r.result!);
    expect(run!.spec).toMatchObject({ window: 4, clients: 2 });
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(100);
  }, 30_000);

  test("tcp:// --frame none against a plain echo: the reply is the message's own bytes, matched by our header", async () => {
    const port = await serve("bun", FOREIGN.tcpEcho);
    const r = await bench(["throughput", "--target", `tcp://127.0.0.1:${port}`, "--size", "1k"]);
    const [run] = runsOf(r.result!);
    expect(run!.spec.exchange).toMatchObject({ frame: "none", match: "echo" });
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(100);
  }, 30_000);

  test("tcp:// --frame line --match any: PING answered by PONG, one line in flight", async () => {
    const port = await serve("bun", FOREIGN.linePingPong);
    // PING, as hex: the bytes are sent as given (a newline is added to make it a line).
    const r = await bench(["rtt", "--target", `tcp://127.0.0.1:${port}`, "--frame", "line", "--match", "any", "--message", "hex:50494e47"]);
    const [run] = runsOf(r.result!);
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(10);
    // Echo matching would want PING back: every answer is then an error, and the probe says so.
    const strict = await bench(["rtt", "--target", `tcp://127.0.0.1:${port}`, "--frame", "line", "--message", "PING"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr.trim().split("\n")).toHaveLength(1);
    expect(strict.stderr).toContain("use --match any");
  }, 30_000);

  test("udp:// --match any against a server that answers every datagram with a fixed text", async () => {
    const port = await serve("bun", FOREIGN.udpAck);
    const r = await bench(["rtt", "--target", `udp://127.0.0.1:${port}`, "--match", "any", "--message", "hello"]);
    const [run] = runsOf(r.result!);
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(10);
    expect(run!.sequence.lost).toBe(0);
  }, 30_000);

  test("udp:// --match any: a reply after its timeout is counted late, not taken for the next message's answer", async () => {
    const port = await serve("bun", FOREIGN.udpSlowAck);
    const r = await bench(["rtt", "--target", `udp://127.0.0.1:${port}`, "--match", "any", "--message", "hello", "--timeout", "100ms", "-n", "200"]);
    const [run] = runsOf(r.result!);
    // Every 20th of the 200 (and of the warm-up before them) waits 300 ms: a timeout, then late.
    expect(run!.counts.timeouts).toBeGreaterThanOrEqual(9);
    expect(run!.sequence.late).toBeGreaterThanOrEqual(5);
    expect(run!.counts.errors).toEqual({});
    // Had a late "late" been taken for the next answer, that answer would be early: none is.
    expect(run!.counts.completed + run!.counts.timeouts).toBe(200);
    expect(run!.latency.max).toBeLessThan(100e6);
  }, 30_000);

  test("ws:// to a path, --match any: a bot that answers each message with its own", async () => {
    const port = await serve("bun", FOREIGN.wsBot);
    const r = await bench([
      "rtt",
      "--target",
      `ws://127.0.0.1:${port}/chat`,
      "-H",
      "X-Room: lab",
      "--subprotocol",
      "chat.v1",
      "--match",
      "any",
      "--message",
      "hi there",
    ]);
    const [run] = runsOf(r.result!);
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(10);
    expect(run!.spec.exchange).toMatchObject({ path: "/chat", match: "any", subprotocol: "chat.v1", headers: [["X-Room", "lab"]] });
    // Without the header the upgrade is refused: one line, at once.
    const refused = await bench(["rtt", "--target", `ws://127.0.0.1:${port}/chat`, "--subprotocol", "chat.v1", "--match", "any", "--message", "x"]);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe(`bench: ws://127.0.0.1:${port}/chat answered HTTP 404 Not Found, not a WebSocket upgrade (is it a WebSocket server?)`);
  }, 30_000);
});

describe("a bad target fails in one line, within 2 seconds", () => {
  const oneLine = (r: { code: number; stderr: string; ms: number }): string => {
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    return lines[0]!;
  };

  test("a path that answers 404", async () => {
    const port = await serve("bun", FOREIGN.bunHttp);
    const r = await bench(["rtt", "--target", `http://127.0.0.1:${port}/missing`]);
    expect(oneLine(r)).toBe(
      `bench: http://127.0.0.1:${port}/missing: answered HTTP 404 to GET /missing (expected 2xx; --expect-status 404 counts it as success)`,
    );
    expect(r.ms).toBeLessThan(2000 + 1500); // the probe's 2 s, plus a bun start
  }, 30_000);

  test("a refused port, a server that never answers, our framing against a web server, TLS against a plain server", async () => {
    const silent = await serve("bun", FOREIGN.silentTcp);
    const web = await serve("bun", FOREIGN.bunHttp);
    const refused = await bench(["rtt", "--target", "http://127.0.0.1:9/"]);
    expect(oneLine(refused)).toBe("bench: could not connect to 127.0.0.1:9: connection refused (is the server running on that port?)");
    const quiet = await bench(["rtt", "--target", `tcp://127.0.0.1:${silent}`, "--frame", "length"]);
    expect(oneLine(quiet)).toContain(`tcp://127.0.0.1:${silent}: no answer within 2 s (the message went with our 4-byte length prefix`);
    expect(quiet.ms).toBeLessThan(2000 + 1500);
    const framed = await bench(["rtt", "--target", `tcp://127.0.0.1:${web}`, "--frame", "length"]);
    expect(oneLine(framed)).toContain("does not fit what the server sent (frame claims");
    expect(framed.stderr).toContain('it began "HTTP/1.1 400');
    const tls = await bench(["rtt", "--target", `https://127.0.0.1:${web}/hello`]);
    expect(oneLine(tls)).toContain("does not speak TLS");
  }, 60_000);

  test("our own harness against a foreign HTTP server (host:port): named, with the way out", async () => {
    const port = await serve("node", FOREIGN.nodeHttpClose);
    const r = await bench(["rtt", "--transports", "http", "--target", `127.0.0.1:${port}`]);
    // node answers POST /echo with its 200 "ok": not an echo of our message.
    expect(oneLine(r)).toContain(`127.0.0.1:${port}: `);
  }, 30_000);
});

describe("TLS targets by URL", () => {
  test("https:// with --ca: the name in the URL is verified, also through the relay (--net), where the swarm dials 127.0.0.1", async () => {
    const dir = mkdtempSync(join(tmpdir(), "socketlab-sni-"));
    // A certificate for the name localhost only: no IP address in it.
    const { generate } = await import("selfsigned");
    const pems = await generate([{ name: "commonName", value: "localhost" }], {
      keySize: 2048,
      days: 1,
      algorithm: "sha256",
      extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] }],
    } as Parameters<typeof generate>[1]);
    writeFileSync(join(dir, "cert.pem"), pems.cert);
    writeFileSync(join(dir, "key.pem"), pems.private);
    const server = await startServer("http", ["--cert", join(dir, "cert.pem"), "--key", join(dir, "key.pem"), "--mode", "echo"]);
    const url = `https://localhost:${server.port}/echo`;
    const ask = ["--method", "POST", "--body", "over TLS", "--ca", join(dir, "cert.pem")];
    const direct = await bench(["rtt", "--target", url, ...ask]);
    expect(direct.stderr).not.toContain("bench:");
    expect(runsOf(direct.result!)[0]!.tls?.version).toMatch(/^TLSv1\.[23]$/);
    const relayed = await bench(["rtt", "--target", url, ...ask, "--net", "delay=1ms"]);
    expect(relayed.stderr).not.toContain("bench:");
    const run = runsOf(relayed.result!)[0]!;
    expect(run.counts.errors).toEqual({});
    expect(run.latency.p50).toBeGreaterThan(2e6);
    // By IP address the certificate does not match: one line, with the way out.
    const byIp = await bench(["rtt", "--target", `https://127.0.0.1:${server.port}/echo`, ...ask]);
    expect(byIp.code).toBe(1);
    expect(byIp.stderr.trim()).toContain("failed verification (ERR_TLS_CERT_ALTNAME_INVALID)");
    await server.stop();
  }, 60_000);

  test("node:https with keep-alive off: a TLS handshake per request, none of them hanging; --insecure for its certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "socketlab-node-https-"));
    const identity = await selfSignedIdentity();
    writeFileSync(join(dir, "cert.pem"), identity.cert);
    writeFileSync(join(dir, "key.pem"), identity.key);
    const s = await startForeign("node", FOREIGN.nodeHttpsClose, { CERT: join(dir, "cert.pem"), KEY: join(dir, "key.pem") });
    servers.push(s);
    const r = await bench(["rtt", "--target", `https://127.0.0.1:${s.port}/`, "--insecure"]);
    expect(r.stderr).not.toContain("bench:");
    const [run] = runsOf(r.result!);
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(10);
    expect(run!.tls?.version).toMatch(/^TLSv1\.[23]$/);
  }, 30_000);

  test("wss:// --insecure against our own TLS WebSocket server, echo matched by our header", async () => {
    const server = await startServer("ws", ["--tls", "--mode", "echo"]);
    const r = await bench(["rtt", "--target", `wss://127.0.0.1:${server.port}/`, "--insecure"]);
    const [run] = runsOf(r.result!);
    expect(run!.spec.driver).toBe("wss");
    expect(run!.counts.errors).toEqual({});
    expect(run!.counts.completed).toBeGreaterThan(10);
    await server.stop();
  }, 30_000);
});
