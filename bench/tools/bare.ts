// The smallest Bun programs that make the harness's round trips: an echo server and a client
// that sends 64 bytes, waits for them back, and sends again, timing each round trip. Nothing
// else: no framing beyond what the transport needs, no histograms, no schedule. Beside the
// harness in the same CPU layout they split a round trip's cost into Bun's (the runtime, the
// kernel) and the harness's own (bench:peers).
import { PROJECT_ROOT, spawnChild } from "../../lib/children.ts";
import { RunError } from "../../lib/errors.ts";

export type BareTransport = "tcp" | "udp" | "ws";

/** Echo servers, each printing "PORT <n>" once listening. */
const SERVERS: Record<BareTransport, string> = {
  tcp: `const l = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data(s, d) { s.write(d); } } }); console.log("PORT " + l.port);`,
  udp: `const u = await Bun.udpSocket({ hostname: "127.0.0.1", socket: { data(s, d, port, addr) { s.send(d, port, addr); } } }); console.log("PORT " + u.port);`,
  ws: `const s = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch(req, srv) { return srv.upgrade(req) ? undefined : new Response("no", { status: 400 }); }, websocket: { message(ws, m) { ws.send(m); } } }); console.log("PORT " + s.port);`,
};

/**
 * Clients: PORT and SECONDS from the environment; round trips for SECONDS after a half-second
 * warm-up, then one line: the median round trip in ns and how many were timed.
 */
const CLIENT_END = `const report = () => { t.sort((a, b) => a - b); console.log(JSON.stringify({ p50: t[t.length >> 1], count: t.length })); process.exit(0); };`;
const CLIENT_START = `const port = Number(process.env.PORT); const warm = Bun.nanoseconds() + 5e8; const end = warm + Number(process.env.SECONDS) * 1e9; const t = []; const m = new Uint8Array(64); let at = 0; let got = 0;
  const done = () => { const now = Bun.nanoseconds(); if (now > warm) t.push(now - at); if (now > end) return report(); at = Bun.nanoseconds(); return true; };`;
const CLIENTS: Record<BareTransport, string> = {
  tcp: `${CLIENT_START} ${CLIENT_END}
  await Bun.connect({ hostname: "127.0.0.1", port, socket: { open(s) { at = Bun.nanoseconds(); s.write(m); }, data(s, d) { got += d.length; if (got < 64) return; got -= 64; if (done()) s.write(m); } } });`,
  udp: `${CLIENT_START} ${CLIENT_END}
  const u = await Bun.udpSocket({ socket: { data(s) { if (done()) s.send(m, port, "127.0.0.1"); } } }); at = Bun.nanoseconds(); u.send(m, port, "127.0.0.1");`,
  ws: `${CLIENT_START} ${CLIENT_END}
  const ws = new WebSocket("ws://127.0.0.1:" + port); ws.binaryType = "arraybuffer"; ws.onopen = () => { at = Bun.nanoseconds(); ws.send(m); }; ws.onmessage = () => { if (done()) ws.send(m); };`,
};

/**
 * A bare round trip's p50 (ns): the server and the client, each a process of its own, started
 * with the given CPU-placement prefixes (taskset), for `seconds` after a half-second warm-up.
 */
export async function bareRoundTrip(transport: BareTransport, seconds: number, prefix: { server: string[]; swarm: string[] }): Promise<number> {
  const server = spawnChild([...prefix.server, process.execPath, "-e", SERVERS[transport]], PROJECT_ROOT);
  try {
    const port = Number((await server.stdout.waitFor(/^PORT \d+/, 10_000)).split(" ")[1]);
    return (await bareClient<{ p50: number }>(transport, [...prefix.swarm, process.execPath, "-e", CLIENTS[transport]], port, seconds)).p50;
  } finally {
    server.kill("SIGKILL");
    await server.exited().catch(() => {});
  }
}

/**
 * The smallest Bun HTTP/1.1 client for the same exchange as the HTTP row: CONNS keep-alive
 * connections, each sending POST /echo with 64 bytes and sending again once the whole response
 * is in (its size read from the first response's head: every response of the echo is as long).
 * After a half-second warm-up it counts responses for SECONDS, then prints the rate.
 */
const HTTP_CLIENT = `const port = Number(process.env.PORT); const seconds = Number(process.env.SECONDS);
  const req = new TextEncoder().encode("POST /echo HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nContent-Type: application/octet-stream\\r\\nContent-Length: 64\\r\\n\\r\\n" + "x".repeat(64));
  const warm = Bun.nanoseconds() + 5e8; const end = warm + seconds * 1e9; let size = 0; let count = 0;
  const report = () => { console.log(JSON.stringify({ rate: count / seconds })); process.exit(0); };
  setTimeout(report, (seconds + 10) * 1000);
  for (let i = 0; i < Number(process.env.CONNS); i++) {
    let got = 0; let head = "";
    await Bun.connect({ hostname: "127.0.0.1", port, socket: { open(s) { s.write(req); }, data(s, d) {
      got += d.length;
      if (size === 0) { head += d.toString("latin1"); const at = head.indexOf("\\r\\n\\r\\n"); if (at < 0) return; size = at + 4 + Number(/content-length: *(\\d+)/i.exec(head)[1]); }
      for (; got >= size; got -= size) { const now = Bun.nanoseconds(); if (now > warm) count++; if (now > end) return report(); s.write(req); }
    } } });
  }`;

/** Responses a second the bare HTTP client gets from the HTTP echo server at `port`, over `connections` connections. */
export async function bareHttpRate(port: number, seconds: number, connections: number): Promise<number> {
  return (await bareClient<{ rate: number }>("HTTP", [process.execPath, "-e", HTTP_CLIENT], port, seconds, { CONNS: String(connections) })).rate;
}

/** Runs a bare client against `port` for `seconds` and reads the JSON line it ends with. */
async function bareClient<T>(name: string, cmd: string[], port: number, seconds: number, env: Record<string, string> = {}): Promise<T> {
  const client = spawnChild(cmd, PROJECT_ROOT, { PORT: String(port), SECONDS: String(seconds), ...env });
  const code = await client.exited((seconds + 15) * 1000);
  const line = client.stdout.text.trim().split("\n").at(-1) ?? "";
  if (code !== 0 || !line.startsWith("{")) throw new RunError(`the bare ${name} client failed: ${client.stderr.text.trim().slice(-200) || `exit ${code}`}`);
  return JSON.parse(line) as T;
}
