/**
 * A peer for the relay's tare (tare.ts), run as a process of its own, as the programs a relay
 * carries are (a thread is cheaper to wake than a process: measured with threads, the tare came
 * out short): either a bare echo server or a client that times round trips of one 64-byte
 * message, alternating between the echo server (direct) and the relay in front of it (relayed).
 * Bare Bun sockets, no framing: 64 bytes on loopback arrive whole, and the client still waits
 * for all of them. Usage: `bun netem/tare-peer.ts '<PeerRequest as JSON>'`; it prints one
 * PeerReply as JSON (the echo server then stays until killed).
 */
import type { Socket } from "bun";

export type PeerRequest =
  | { role: "echo"; transport: "tcp" | "udp" }
  | { role: "client"; transport: "tcp" | "udp"; directPort: number; relayedPort: number; pairs: number; warmup: number; timeoutMs: number };

export type PeerReply = { port: number } | { direct: number[]; relayed: number[] } | { error: string };

const HOST = "127.0.0.1";
const SIZE = 64;

async function echo(transport: "tcp" | "udp"): Promise<number> {
  if (transport === "udp") {
    const socket = await Bun.udpSocket({
      hostname: HOST,
      socket: {
        data(s, buf, port, address) {
          s.send(buf, port, address);
        },
      },
    });
    return socket.port;
  }
  const listener = Bun.listen({
    hostname: HOST,
    port: 0,
    socket: {
      open(s) {
        s.setNoDelay(true);
      },
      data(s, chunk) {
        s.write(chunk);
      },
    },
  });
  return listener.port;
}

/** A round-tripper on one port: send() resolves with the round trip in ns once SIZE bytes are back. */
async function tripper(transport: "tcp" | "udp", port: number, timeoutMs: number): Promise<() => Promise<number>> {
  const payload = new Uint8Array(SIZE).fill(0x5a);
  let pending: { got: number; sentNs: number; resolve(ns: number): void } | undefined;
  const arrived = (bytes: number): void => {
    if (pending === undefined) return;
    pending.got += bytes;
    if (pending.got < SIZE) return;
    const p = pending;
    pending = undefined;
    p.resolve(Bun.nanoseconds() - p.sentNs);
  };
  let send: () => void;
  if (transport === "udp") {
    const socket = await Bun.udpSocket({ connect: { hostname: HOST, port }, socket: { data: (_s, buf) => arrived(buf.length) } });
    send = () => socket.send(payload);
  } else {
    const socket: Socket = await Bun.connect({ hostname: HOST, port, socket: { data: (_s, chunk) => arrived(chunk.length) } });
    socket.setNoDelay(true);
    send = () => socket.write(payload);
  }
  return () =>
    new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no echo within ${timeoutMs} ms`)), timeoutMs);
      pending = {
        got: 0,
        sentNs: Bun.nanoseconds(),
        resolve(ns) {
          clearTimeout(timer);
          resolve(ns);
        },
      };
      send();
    });
}

async function client(r: Extract<PeerRequest, { role: "client" }>): Promise<PeerReply> {
  const direct = await tripper(r.transport, r.directPort, r.timeoutMs);
  const relayed = await tripper(r.transport, r.relayedPort, r.timeoutMs);
  const d: number[] = [];
  const v: number[] = [];
  for (let i = 0; i < r.warmup + r.pairs; i++) {
    const a = await direct();
    const b = await relayed();
    if (i < r.warmup) continue;
    d.push(a);
    v.push(b);
  }
  return { direct: d, relayed: v };
}

if (import.meta.main) {
  const say = (reply: PeerReply): void => {
    process.stdout.write(`${JSON.stringify(reply)}\n`);
  };
  try {
    const r = JSON.parse(process.argv[2] ?? "{}") as PeerRequest;
    if (r.role === "echo") say({ port: await echo(r.transport) });
    else {
      say(await client(r));
      process.exit(0);
    }
  } catch (err) {
    say({ error: (err as Error).message });
    process.exit(1);
  }
}
