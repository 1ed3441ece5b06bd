import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedIdentity } from "../lib/tls.ts";
import { killAll, runCli, startServer, type ServerChild } from "./support/processes.ts";

afterAll(killAll);

const dir = mkdtempSync(join(tmpdir(), "socketlab-tls-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FINGERPRINT = /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/;

/** The server's JSON ready line: what it said of its certificate. */
function readyTls(server: ServerChild): { fingerprint: string; selfSigned: boolean } {
  const ready = JSON.parse(server.stdout.lines.find((l) => l.includes('"event":"ready"'))!);
  return ready.tls;
}

describe("servers over TLS", () => {
  test("https with a certificate made at start: its fingerprint is printed; our client needs --insecure and says so in one line, fast", async () => {
    const server = await startServer("http", ["--tls", "--mode", "hello"]);
    try {
      const tls = readyTls(server);
      expect(tls.fingerprint).toMatch(FINGERPRINT);
      expect(tls.selfSigned).toBe(true);
      const ok = await runCli(["clients/cli.ts", "https", "--insecure", "--port", String(server.port)]);
      expect(ok.stdout).toContain("Hello from server");
      expect(ok.code).toBe(0);
      const started = performance.now();
      const refused = await runCli(["clients/cli.ts", "https", "--port", String(server.port)]);
      expect(performance.now() - started).toBeLessThan(2000 + 1500); // the run itself, plus Bun's start-up
      expect(refused.code).toBe(1);
      const lines = refused.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/certificate of 127\.0\.0\.1:\d+ failed verification .*--insecure.*--ca FILE/);
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("--cert and --key serve a given certificate; --ca trusts it, as does a client we did not write (Bun's fetch)", async () => {
    const identity = await selfSignedIdentity();
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    writeFileSync(cert, identity.cert);
    writeFileSync(key, identity.key);
    const server = await startServer("http", ["--cert", cert, "--key", key, "--mode", "echo"]);
    try {
      // It is self-signed (its own issuer), whoever made it.
      expect(readyTls(server)).toEqual({ fingerprint: identity.fingerprint, selfSigned: true });
      const ours = await runCli(["clients/cli.ts", "http", "--tls", "--ca", cert, "--port", String(server.port), "--message", "over TLS"]);
      expect(ours.code === 0 ? "" : ours.stderr).toBe("");
      const res = await fetch(`https://127.0.0.1:${server.port}/echo`, { method: "POST", body: "through fetch", tls: { ca: identity.cert } } as RequestInit);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("through fetch");
    } finally {
      await server.stop();
    }
  }, 30_000);

  test("wss and TCP over TLS answer our clients", async () => {
    const ws = await startServer("ws", ["--tls", "--mode", "hello"]);
    const tcp = await startServer("tcp", ["--tls", "--mode", "hello"]);
    try {
      const wsOut = await runCli(["clients/cli.ts", "wss", "--insecure", "--port", String(ws.port), "--message", "hi over wss"]);
      expect(wsOut.code === 0 ? "" : wsOut.stderr).toBe("");
      expect(wsOut.stdout).toContain("Hello from server");
      // The same by URL: the scheme says wss, the URL where.
      const byUrl = await runCli(["clients/cli.ts", `wss://127.0.0.1:${ws.port}/`, "--insecure", "--message", "hi by URL"]);
      expect(byUrl.code === 0 ? "" : byUrl.stderr).toBe("");
      expect(byUrl.stdout).toContain("Hello from server");
      const clash = await runCli(["clients/cli.ts", `wss://127.0.0.1:${ws.port}/`, "--port", "1", "--message", "x"]);
      expect(clash.code).toBe(2);
      expect(clash.stderr.split("\n")[0]).toBe("client: --port and a URL exclude each other: the URL says where");
      const tcpOut = await runCli(["clients/cli.ts", "tcp", "--tls", "--insecure", "--port", String(tcp.port)]);
      expect(tcpOut.stdout.trim().split("\n")).toEqual(["Message sent to server", "Message from server: Hello from server"]);
      expect(tcpOut.code).toBe(0);
    } finally {
      await Promise.all([ws.stop(), tcp.stop()]);
    }
  }, 30_000);

  test("a wss certificate refused, and TLS spoken to a plain server, are each one line naming what happened, exit 1, fast", async () => {
    const wss = await startServer("ws", ["--tls", "--mode", "echo"]);
    const plain = await startServer("tcp", ["--mode", "hello"]);
    try {
      for (const [args, expected] of [
        [["wss", "--port", String(wss.port), "--message", "x"], /certificate of 127\.0\.0\.1:\d+ failed verification .*--insecure/],
        [["tcp", "--tls", "--insecure", "--port", String(plain.port)], /127\.0\.0\.1:\d+ does not speak TLS/],
      ] as const) {
        const started = performance.now();
        const out = await runCli(["clients/cli.ts", ...args]);
        expect(performance.now() - started).toBeLessThan(2000 + 1500); // the run itself, plus Bun's start-up
        expect(out.code).toBe(1);
        const lines = out.stderr.trim().split("\n");
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(expected);
      }
    } finally {
      await Promise.all([wss.stop(), plain.stop()]);
    }
  }, 30_000);

  test("the bench against a server that does not speak TLS ends at its first handshake, in one line", async () => {
    const plain = await startServer("http", ["--mode", "echo"]);
    try {
      const started = performance.now();
      const out = await runCli(
        ["bench/cli/main.ts", "rtt", "--transports", "https", "--target", `127.0.0.1:${plain.port}`, "-n", "10", "--out", join(dir, "bench")],
        "",
        20_000,
      );
      expect(performance.now() - started).toBeLessThan(2000 + 2500); // the probe's 2 s, plus start-up
      expect(out.code).toBe(1);
      expect(out.stderr.trim().split("\n").at(-1)).toMatch(/does not speak TLS/);
    } finally {
      await plain.stop();
    }
  }, 30_000);

  test("bad TLS options are usage errors, one line each", async () => {
    const udp = await runCli(["servers/cli.ts", "udp", "--tls"]);
    expect(udp.code).toBe(2);
    expect(udp.stderr).toContain("the udp server has no TLS");
    const half = await runCli(["servers/cli.ts", "http", "--cert", join(dir, "cert.pem")]);
    expect(half.code).toBe(2);
    expect(half.stderr).toContain("--cert and --key go together");
    const missing = await runCli(["clients/cli.ts", "https", "--ca", join(dir, "nowhere.pem")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("cannot read it (ENOENT)");
    const both = await runCli(["clients/cli.ts", "wss", "--insecure", "--ca", join(dir, "cert.pem")]);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain("--ca and --insecure exclude each other");
    // A key that is not one, and a key that belongs to another certificate.
    writeFileSync(join(dir, "garbage.pem"), "not a key\n");
    const garbage = await runCli(["servers/cli.ts", "http", "--cert", join(dir, "cert.pem"), "--key", join(dir, "garbage.pem")]);
    expect(garbage.code).toBe(2);
    expect(garbage.stderr).toContain("not a PEM private key");
    const other = await selfSignedIdentity();
    writeFileSync(join(dir, "other-key.pem"), other.key);
    const mismatch = await runCli(["servers/cli.ts", "http", "--cert", join(dir, "cert.pem"), "--key", join(dir, "other-key.pem")]);
    expect(mismatch.code).toBe(2);
    expect(mismatch.stderr).toContain("does not belong to the certificate");
  }, 30_000);
});
