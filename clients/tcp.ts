import type { Socket } from "bun";
import { FrameDecoder, encodeFrame, framePayload } from "../protocol/frame.ts";
import { MAX_MESSAGE_BYTES } from "../protocol/limits.ts";
import { RunError } from "../lib/errors.ts";
import { hostPort, netRunError, type Target } from "../lib/net.ts";
import { SocketWriter } from "../lib/socket-writer.ts";
import { printable } from "../lib/text.ts";
import { formatMs, withTimeout } from "../lib/timeout.ts";
import type { EchoChannel, EchoHandlers, Print } from "./types.ts";
import { connectReady } from "../lib/tls.ts";

/** A client may have this much unsent data queued (a window of large messages). */
const MAX_QUEUED_BYTES = 256 << 20;

interface Handlers {
  data(chunk: Uint8Array): void;
  drain(): void;
  close(reason: string): void;
}

/** Bun.connect with a deadline (over TLS, to the end of the handshake) and errors a person can read. */
async function connect(target: Target, timeoutMs: number, handlers: Handlers): Promise<Socket<undefined>> {
  return connectReady(
    {
      hostname: target.host,
      port: target.port,
      tls: target.tls,
      socket: {
        data: (_s, chunk) => handlers.data(chunk),
        drain: () => handlers.drain(),
        close: () => handlers.close("server closed the connection"),
        error: (_s, err) => handlers.close(err.message),
      },
    },
    timeoutMs,
    hostPort(target.host, target.port),
  ).catch((err: unknown) => {
    throw err instanceof RunError ? err : netRunError(err, target.host, target.port);
  });
}

export interface TcpEchoChannel extends EchoChannel {
  /** How often the kernel took less than offered (the resume-on-drain path ran). */
  readonly shortWrites: number;
}

/** Length-prefixed echo over one TCP connection. Sends are queued and resumed on drain. */
export async function openEcho(target: Target, handlers: EchoHandlers, timeoutMs = 5000): Promise<TcpEchoChannel> {
  const decoder = new FrameDecoder(MAX_MESSAGE_BYTES);
  let writer: SocketWriter | undefined;
  let closing = false;
  const socket = await connect(target, timeoutMs, {
    data(chunk) {
      try {
        decoder.push(chunk, (frame) => handlers.onReply(framePayload(frame)));
      } catch (err) {
        socket.end();
        handlers.onClose?.(`bad frame from server: ${(err as Error).message}`);
      }
    },
    drain: () => writer?.drain(),
    close(reason) {
      if (!closing) handlers.onClose?.(reason);
    },
  });
  writer = new SocketWriter(socket, MAX_QUEUED_BYTES);
  const w = writer;
  return {
    send: (payload) => w.write(encodeFrame(payload)),
    async close() {
      closing = true;
      socket.end();
    },
    get shortWrites() {
      return w.shortWrites;
    },
  };
}

/**
 * The lab's TCP exercise: connect, send the message, print the server's answer, close.
 * With `framed`, the message travels as one length-prefixed frame (for echo-mode servers).
 */
export async function hello(target: Target, message: string, timeoutMs: number, print: Print, framed = false): Promise<void> {
  let resolveReply!: (bytes: Uint8Array) => void;
  let rejectReply!: (err: Error) => void;
  const reply = new Promise<Uint8Array>((resolve, reject) => {
    resolveReply = resolve;
    rejectReply = reject;
  });
  const decoder = new FrameDecoder(MAX_MESSAGE_BYTES);
  const socket = await connect(target, timeoutMs, {
    data(chunk) {
      if (!framed) return resolveReply(chunk.slice());
      try {
        decoder.push(chunk, (frame) => resolveReply(framePayload(frame).slice()));
      } catch (err) {
        rejectReply(new RunError(`the server's answer is not a valid frame: ${(err as Error).message}`));
      }
    },
    drain() {},
    close: (reason) => rejectReply(new RunError(`${reason} before answering (is it a ${framed ? "echo" : "hello"}-mode TCP server?)`)),
  });
  try {
    const bytes = new TextEncoder().encode(message);
    const writer = new SocketWriter(socket, MAX_QUEUED_BYTES);
    writer.write(framed ? encodeFrame(bytes) : bytes);
    print("Message sent to server");
    const answer = await withTimeout(reply, timeoutMs, `no answer from ${target.host}:${target.port} within ${formatMs(timeoutMs)}`);
    print(`Message from server: ${printable(answer, 4000)}`);
  } finally {
    socket.end();
  }
}

/** Handlers for connections that are only opened and closed: one shared table, no closures. */
const CONNECT_ONLY = { data() {}, error() {} };

/**
 * One TCP connection set up (the three-way handshake done) and closed: the unit of the connect
 * benchmark. Kept lean — no per-connection closures or timers — because it is the hot path
 * there; the load model bounds the wait.
 */
export async function connectOnce(target: Target): Promise<void> {
  const socket = await Bun.connect({ hostname: target.host, port: target.port, socket: CONNECT_ONLY });
  socket.end();
}
