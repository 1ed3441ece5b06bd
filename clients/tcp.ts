import type { Socket } from "bun";
import { FRAME_HEADER_BYTES, FrameDecoder, LENGTH_PREFIXED, encodeFrame, type OnFrame } from "../protocol/frame.ts";
import { MAX_MESSAGE_BYTES } from "../protocol/limits.ts";
import { RunError } from "../lib/errors.ts";
import { hostPort, netRunError, type Target } from "../lib/net.ts";
import { GatheringWriter, MAX_QUEUED_BYTES, SocketWriter } from "../lib/socket-writer.ts";
import { printable } from "../lib/text.ts";
import { formatMs, withTimeout } from "../lib/timeout.ts";
import type { EchoChannel, EchoHandlers, Print } from "./types.ts";
import { connectReady } from "../lib/tls.ts";

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

/** Length-prefixed echo over one TCP connection (our servers' framing). Sends are queued and resumed on drain. */
export function openEcho(target: Target, handlers: EchoHandlers, timeoutMs = 5000): Promise<TcpEchoChannel> {
  return openStream(target, handlers, { frame: "length" }, timeoutMs);
}

/** How a byte stream is cut into replies: see StreamOptions. */
export type StreamFrame = "length" | "none" | "line";

export interface StreamOptions {
  /**
   * "length": our 4-byte length prefix (openEcho). "none": no delimiter; with `replyBytes`, each
   * that many bytes are one reply (a plain echo server sends the message's own bytes back,
   * however the stream splits them), without, each read is one. "line": each line (LF, an
   * optional CR before it dropped) is one reply.
   */
  frame: StreamFrame;
  replyBytes?: number;
}

/** The longest line a line-framed reply may be before the channel gives up on the server. */
const MAX_LINE_BYTES = 1 << 20;

type OnReply = EchoHandlers["onReply"];

/**
 * Cuts a byte stream into replies as StreamOptions say; throws a one-line Error on a reply too
 * long. A reply that lies whole in a chunk is handed on as a range of it (no view is made: see
 * EchoHandlers); one split across chunks is assembled in a buffer of our own.
 */
export function replyCutter(options: StreamOptions, onReply: OnReply): (chunk: Uint8Array) => void {
  if (options.frame === "length") {
    const decoder = new FrameDecoder(MAX_MESSAGE_BYTES);
    const onFrame: OnFrame = (bytes, start, end) => onReply(bytes, start + FRAME_HEADER_BYTES, end);
    return (chunk) => decoder.push(chunk, onFrame);
  }
  const whole = options.replyBytes;
  if (options.frame === "none" && whole === undefined) return (chunk) => onReply(chunk, 0, chunk.length);
  const pending = new Uint8Array(options.frame === "none" ? whole! : MAX_LINE_BYTES);
  let used = 0;
  if (options.frame === "none")
    return (chunk) => {
      for (let pos = 0; pos < chunk.length; ) {
        if (used === 0 && chunk.length - pos >= whole!) {
          onReply(chunk, pos, pos + whole!);
          pos += whole!;
          continue;
        }
        const n = Math.min(whole! - used, chunk.length - pos);
        pending.set(chunk.subarray(pos, pos + n), used);
        used += n;
        pos += n;
        if (used === whole) {
          used = 0;
          onReply(pending, 0, whole);
        }
      }
    };
  return (chunk) => {
    let pos = 0;
    for (let lf = chunk.indexOf(10, pos); lf >= 0; lf = chunk.indexOf(10, pos)) {
      let bytes = chunk;
      let start = pos;
      let end = lf;
      pos = lf + 1;
      if (used > 0) {
        if (used + end - start > MAX_LINE_BYTES) throw new Error(`a line over ${MAX_LINE_BYTES} bytes`);
        pending.set(chunk.subarray(start, end), used);
        bytes = pending;
        end = used + end - start;
        start = 0;
        used = 0;
      }
      onReply(bytes, start, end > start && bytes[end - 1] === 13 ? end - 1 : end);
    }
    const rest = chunk.length - pos;
    if (rest === 0) return;
    if (used + rest > MAX_LINE_BYTES) throw new Error(`a line over ${MAX_LINE_BYTES} bytes without a newline`);
    pending.set(chunk.subarray(pos), used);
    used += rest;
  };
}

/**
 * Messages and replies over one TCP connection, cut as `options` says; for servers socketlab
 * did not write (a plain echo, a line protocol). A stream that does not follow the framing
 * closes the channel, saying what came back.
 */
export async function openStream(target: Target, handlers: EchoHandlers, options: StreamOptions, timeoutMs = 5000): Promise<TcpEchoChannel> {
  let writer: SocketWriter | undefined;
  let closing = false;
  let seen: Uint8Array | undefined; // the first bytes from the server, to quote if they make no sense
  const cut = replyCutter(options, (bytes, start, end) => handlers.onReply(bytes, start, end));
  const socket = await connect(target, timeoutMs, {
    data(chunk) {
      seen ??= chunk.slice(0, 48);
      try {
        cut(chunk);
      } catch (err) {
        closing = true;
        socket.end();
        handlers.onClose?.(`${framingName(options.frame)} does not fit what the server sent (${(err as Error).message}): it began "${printable(seen, 48)}"`);
      }
    },
    drain: () => writer?.drain(),
    close(reason) {
      if (!closing) handlers.onClose?.(reason);
    },
  });
  writer = new SocketWriter(socket, MAX_QUEUED_BYTES);
  const w = writer;
  // A turn's messages leave in one write (a pipeline's burst of replies is answered in one).
  const gather = new GatheringWriter(w, options.frame === "length" ? LENGTH_PREFIXED : undefined);
  return {
    send: (payload) => gather.write(payload),
    async close() {
      closing = true;
      gather.flush();
      socket.end();
    },
    get shortWrites() {
      return w.shortWrites;
    },
  };
}

function framingName(frame: StreamFrame): string {
  return frame === "length" ? "our 4-byte length framing (--frame length)" : frame === "line" ? "line framing (--frame line)" : "--frame none";
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
        decoder.push(chunk, (bytes, start, end) => resolveReply(bytes.slice(start + FRAME_HEADER_BYTES, end)));
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
