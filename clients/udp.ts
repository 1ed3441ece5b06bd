import { RunError, codeOf } from "../lib/errors.ts";
import { hostPort, resolveIp, type Target } from "../lib/net.ts";
import { printable } from "../lib/text.ts";
import { formatMs } from "../lib/timeout.ts";
import type { EchoChannel, EchoHandlers, Print } from "./types.ts";

type Listener = (payload: Uint8Array) => void;

/**
 * A UDP socket connected to the server, so the kernel filters datagrams from anyone else and
 * reports "port unreachable" (ECONNREFUSED) when nothing listens there.
 */
async function connected(target: Target, onData: Listener, onError: (code: string) => void) {
  const ip = await resolveIp(target.host);
  return Bun.udpSocket({
    hostname: ip.includes(":") ? "::" : "0.0.0.0",
    connect: { hostname: ip, port: target.port },
    socket: {
      data: (_s, buf) => onData(buf),
      error: (err) => onError(codeOf(err) ?? "socket-error"),
    },
  });
}

/** Bytes of datagram buffers a channel keeps for its bursts, at most (past 64 buffers). */
const KEPT_BYTES = 4 << 20;

/**
 * Datagram echo. Loss is possible by nature: the caller counts what came back. Datagrams sent
 * in the same turn of the event loop leave together in one sendmmsg (Bun's sendMany), flushed
 * before the loop moves on, so a burst costs one system call instead of one per datagram.
 */
export async function openEcho(target: Target, handlers: EchoHandlers): Promise<EchoChannel> {
  const socket = await connected(
    target,
    (payload) => handlers.onReply(payload, 0, payload.length),
    (code) => {
      if (code === "ECONNREFUSED") handlers.onClose?.(`no UDP server at ${hostPort(target.host, target.port)} (port unreachable)`);
    },
  );
  // The turn's datagrams, copied (callers reuse their buffer for the next datagram before the
  // flush) into buffers kept from turn to turn, as many as the largest burst so far: no datagram
  // allocates once its length has been seen in its place (a burst shorter than the largest
  // takes one array of its own). Each buffer is a datagram's exact length, not a view of a
  // larger one: handed views, sendMany cost half as much again per datagram. Past KEPT_BYTES
  // (large datagrams in a long burst), the rest are let go after the flush.
  const batch: Uint8Array[] = [];
  let queued = 0;
  const flush = (): void => {
    const n = queued;
    queued = 0;
    try {
      if (n === 1) socket.send(batch[0]!);
      else socket.sendMany(n === batch.length ? batch : batch.slice(0, n));
    } catch {
      // A full socket buffer drops the rest of the burst: for UDP that is loss, counted by the caller.
    }
    const keep = Math.max(64, Math.floor(KEPT_BYTES / batch[0]!.length));
    if (batch.length > keep) batch.length = keep;
  };
  return {
    send(payload) {
      const i = queued++;
      if (i === 0) queueMicrotask(flush);
      if (batch[i]?.length !== payload.length) batch[i] = new Uint8Array(payload.length);
      batch[i]!.set(payload);
      return true;
    },
    async close() {
      socket.close();
    },
  };
}

/**
 * The lab's UDP exercise: send one message, print the acknowledgement. UDP may lose either
 * datagram, so each try waits `timeoutMs` and the message is sent again, up to `tries` times.
 */
export async function hello(target: Target, message: string, timeoutMs: number, tries: number, print: Print): Promise<void> {
  let onAnswer: Listener = () => {};
  let onRefused = (): void => {};
  const socket = await connected(
    target,
    (payload) => onAnswer(payload),
    (code) => {
      if (code === "ECONNREFUSED") onRefused();
    },
  );
  try {
    const bytes = new TextEncoder().encode(message);
    for (let attempt = 1; attempt <= tries; attempt++) {
      let refused = false;
      const answer = new Promise<Uint8Array | undefined>((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        onAnswer = (payload) => {
          clearTimeout(timer);
          resolve(payload.slice());
        };
        onRefused = () => {
          refused = true;
          clearTimeout(timer);
          resolve(undefined);
        };
      });
      socket.send(bytes);
      print(attempt === 1 ? "Message sent to server." : `No answer yet; message sent again (try ${attempt} of ${tries}).`);
      const reply = await answer;
      if (reply) {
        print(`Server: ${printable(reply, 4000)}`);
        return;
      }
      // ICMP "port unreachable" is a definite answer: retrying cannot help.
      if (refused) throw new RunError(`no UDP server at ${hostPort(target.host, target.port)}: the port is unreachable (is the server running on that port?)`);
    }
    throw new RunError(
      `no answer from ${hostPort(target.host, target.port)} after ${tries} tries of ${formatMs(timeoutMs)} (is the UDP server running, and is the port right?)`,
    );
  } finally {
    socket.close();
  }
}
