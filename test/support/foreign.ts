import { PROJECT_ROOT, spawnChild, type Child } from "../../lib/children.ts";

/**
 * A few-line server socketlab did not write, run by Bun or Node in a child process of its own:
 * `code` listens on port 0 and prints "PORT <n>" once it does. Reaped by killAll.
 */
export interface ForeignServer {
  port: number;
  child: Child;
  stop(): Promise<void>;
}

export async function startForeign(runtime: "bun" | "node", code: string, env: Record<string, string> = {}, timeoutMs = 10_000): Promise<ForeignServer> {
  const exe = runtime === "bun" ? process.execPath : (Bun.which("node") ?? "node");
  const child = spawnChild([exe, "-e", code], PROJECT_ROOT, env);
  const line = await child.stdout.waitFor(/^PORT \d+/, timeoutMs).catch(() => {
    child.kill("SIGKILL");
    throw new Error(`the ${runtime} server did not start: ${child.stderr.text.trim().slice(-300)}`);
  });
  return {
    port: Number(line.split(" ")[1]),
    child,
    async stop() {
      child.kill("SIGKILL");
      await child.exited(5000).catch(() => {});
    },
  };
}

/** Servers the tests point the bench at; each prints its port. */
export const FOREIGN = {
  /** Bun.serve: GET /hello streams "hello" in two chunks (chunked); POST /check answers 200 only to the right method, token and body; anything else 404. */
  bunHttp: `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, async fetch(req) {
    const u = new URL(req.url);
    if (u.pathname === "/hello") return new Response(new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("hel")); c.enqueue(new TextEncoder().encode("lo")); c.close(); } }));
    if (u.pathname === "/check") { const ok = req.method === "POST" && req.headers.get("x-token") === "s3cret" && (await req.text()) === "ping"; return new Response(ok ? "ok" : "bad", { status: ok ? 200 : 400 }); }
    if (u.pathname === "/flaky") return new Response("x", { status: Math.random() < 0.5 ? 200 : 503 });
    return new Response("nope", { status: 404 });
  } }); console.log("PORT " + s.port);`,
  /** node:http with keep-alive off: every response says Connection: close, then the connection ends. */
  nodeHttpClose: `const http = require("http"); const s = http.createServer((q, r) => { r.setHeader("Connection", "close"); r.end("ok"); });
    s.keepAliveTimeout = 0; s.listen(0, "127.0.0.1", () => console.log("PORT " + s.address().port));`,
  /** node:https, keep-alive off, with the certificate and key in the files named by CERT and KEY. */
  nodeHttpsClose: `const https = require("https"); const fs = require("fs");
    const s = https.createServer({ cert: fs.readFileSync(process.env.CERT), key: fs.readFileSync(process.env.KEY) }, (q, r) => { r.setHeader("Connection", "close"); r.end("ok"); });
    s.listen(0, "127.0.0.1", () => console.log("PORT " + s.address().port));`,
  /** A plain TCP echo: whatever arrives goes back. */
  tcpEcho: `const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data(s, d) { s.write(d); } } }); console.log("PORT " + l.port);`,
  /** A newline protocol: each "PING" line is answered "PONG"; anything else ends the connection. */
  linePingPong: `const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open(s) { s.data = ""; }, data(s, d) {
    s.data += new TextDecoder().decode(d); let i; while ((i = s.data.indexOf("\\n")) >= 0) { const line = s.data.slice(0, i).trim(); s.data = s.data.slice(i + 1); if (line === "PING") s.write("PONG\\n"); else { s.end("ERR\\n"); return; } } } } }); console.log("PORT " + l.port);`,
  /** As the lab's UDP server: every datagram is answered with a fixed text. */
  udpAck: `const u = await Bun.udpSocket({ hostname: "127.0.0.1", socket: { data(s, b, port, addr) { s.send("Message received", port, addr); }, error() {} } }); console.log("PORT " + u.port);`,
  /** As udpAck, but every 20th datagram is answered 300 ms late. */
  udpSlowAck: `let n = 0; const u = await Bun.udpSocket({ hostname: "127.0.0.1", socket: { data(s, b, port, addr) {
    if (++n % 20 === 0) setTimeout(() => s.send("late", port, addr), 300); else s.send("Message received", port, addr); }, error() {} } }); console.log("PORT " + u.port);`,
  /**
   * A WebSocket bot on /chat: answers every message with one of its own. It lets in only a client
   * that sends X-Room: lab and asks for the subprotocol chat.v1 (which it then speaks).
   */
  wsBot: `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch(req, srv) {
      const ok = new URL(req.url).pathname === "/chat" && req.headers.get("x-room") === "lab" && (req.headers.get("sec-websocket-protocol") ?? "").split(/, */).includes("chat.v1");
      return ok && srv.upgrade(req, { headers: { "Sec-WebSocket-Protocol": "chat.v1" } }) ? undefined : new Response("no", { status: 404 }); },
    websocket: { message(ws, m) { ws.send("bot: got " + String(m).length + " bytes"); } } }); console.log("PORT " + s.port);`,
  /**
   * A TCP echo that answers at most RATE messages of 64 B per second in all, first come first
   * served (a token bucket holding 20 ms of tokens, so that its own timer waking late on a busy
   * machine costs it no capacity): above RATE its queue, and latency, grow.
   */
  tcpRateLimited: `const RATE = Number(process.env.RATE); const SIZE = 64; const queue = []; let head = 0; let tokens = 0; let last = performance.now();
    const pump = () => { const now = performance.now(); tokens = Math.min(RATE / 50, tokens + ((now - last) * RATE) / 1000); last = now;
      while (tokens >= 1 && head < queue.length) { const [s, chunk] = queue[head]; queue[head++] = undefined; tokens -= 1; s.write(chunk); }
      if (head > 4096 && head * 2 > queue.length) { queue.splice(0, head); head = 0; } };
    setInterval(pump, 1);
    const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open(s) { s.data = new Uint8Array(0); }, data(s, d) {
      const all = new Uint8Array(s.data.length + d.length); all.set(s.data); all.set(d, s.data.length);
      let at = 0; for (; at + SIZE <= all.length; at += SIZE) queue.push([s, all.slice(at, at + SIZE)]);
      s.data = all.slice(at); pump(); } } }); console.log("PORT " + l.port);`,
  /**
   * A WebSocket server written by hand on node:net, to show the client what Bun's server never
   * sends. It refuses (1002) a client frame that is not masked. MODE says how it answers a data
   * message: "echo" (default); "fragments" (a ping first, then the echo in three frames, and the
   * text "pongs N" to the message "pongs?"); "masked" (the echo masked, which a server must not
   * do); "close" (a close, 1001 "going away"); "badaccept" (no messages: a wrong accept key).
   */
  nodeWsRaw: `const net = require("net"); const crypto = require("crypto"); const MODE = process.env.MODE || "echo";
    const frame = (op, p, fin = true, mask = false) => { const n = p.length; const head = Buffer.from(n < 126 ? [(fin ? 128 : 0) | op, (mask ? 128 : 0) | n] : [(fin ? 128 : 0) | op, (mask ? 128 : 0) | 126, n >> 8, n & 255]);
      if (!mask) return Buffer.concat([head, p]); const k = Buffer.from([1, 2, 3, 4]); return Buffer.concat([head, k, Buffer.from(p.map((b, i) => b ^ k[i & 3]))]); };
    const s = net.createServer((c) => { let buf = Buffer.alloc(0); let open = false; let pongs = 0;
      c.on("error", () => {});
      c.on("data", (d) => { buf = Buffer.concat([buf, d]);
        if (!open) { const end = buf.indexOf("\\r\\n\\r\\n"); if (end < 0) return; const key = /sec-websocket-key: *(\\S+)/i.exec(buf.subarray(0, end).toString())[1]; buf = buf.subarray(end + 4); open = true;
          const accept = MODE === "badaccept" ? "AAAA" : crypto.createHash("sha1").update(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").digest("base64");
          c.write("HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: websocket\\r\\nConnection: Upgrade\\r\\nSec-WebSocket-Accept: " + accept + "\\r\\n\\r\\n"); }
        while (buf.length >= 2) { let n = buf[1] & 127, at = 2; if (n === 126) { if (buf.length < 4) return; n = buf.readUInt16BE(2); at = 4; } else if (n === 127) { if (buf.length < 10) return; n = Number(buf.readBigUInt64BE(2)); at = 10; }
          if (!(buf[1] & 128)) { c.end(frame(8, Buffer.from([3, 234]))); return; }
          if (buf.length < at + 4 + n) return; const op = buf[0] & 15; const k = buf.subarray(at, at + 4); const p = Buffer.from(buf.subarray(at + 4, at + 4 + n).map((b, i) => b ^ k[i & 3])); buf = buf.subarray(at + 4 + n);
          if (op === 10) { pongs++; continue; } if (op === 8) { c.end(frame(8, p.subarray(0, 2))); return; }
          if (MODE === "masked") c.write(frame(2, p, true, true)); else if (MODE === "close") c.write(frame(8, Buffer.concat([Buffer.from([3, 233]), Buffer.from("going away")])));
          else if (MODE === "fragments") { c.write(frame(9, Buffer.from("hi")));
            if (p.toString() === "pongs?") c.write(frame(1, Buffer.from("pongs " + pongs)));
            else { const a = Math.floor(p.length / 3), b = Math.floor((2 * p.length) / 3); c.write(frame(2, p.subarray(0, a), false)); setTimeout(() => { c.write(frame(0, p.subarray(a, b), false)); c.write(frame(9, Buffer.from("again"))); setTimeout(() => c.write(frame(0, p.subarray(b))), 5); }, 5); } }
          else c.write(frame(2, p)); } }); });
    s.listen(0, "127.0.0.1", () => console.log("PORT " + s.address().port));`,
  /** Accepts connections and never answers. */
  silentTcp: `const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } }); console.log("PORT " + l.port);`,
} as const;
