import type { Socket } from "bun";
import { FrameDecoder, FrameTooLargeError, wholeFrames } from "../protocol/frame.ts";
import { HELLO_FROM_SERVER } from "../protocol/limits.ts";
import { SocketWriter } from "../lib/socket-writer.ts";
import { printable } from "../lib/text.ts";
import { bump, newStats, requireMode, snapshot, type RunningServer, type ServerMode, type ServerOptions } from "./types.ts";

/** A connection silent this long is closed, so half-open peers cannot hold memory forever. */
const IDLE_TIMEOUT_SEC = 120;
/**
 * Replies queued for one peer. Reading pauses as soon as anything is queued, so this is reached
 * only if one chunk read expands past it; it is a safety net, past which the peer is dropped.
 */
const MAX_PENDING_REPLY_BYTES = 16 << 20;

interface Conn {
  decoder: FrameDecoder;
  writer: SocketWriter;
}

const helloReply = new TextEncoder().encode(HELLO_FROM_SERVER);

export const MODES = ["hello", "echo"] as const satisfies readonly ServerMode[];

/**
 * TCP on Bun.listen. hello: every chunk read is a message, as with the lab's single read(),
 * answered with "Hello from server". echo: length-prefixed frames come back unchanged.
 */
export async function start(options: ServerOptions): Promise<RunningServer> {
  requireMode("tcp", options.mode, MODES);
  const stats = newStats();
  const log = options.log;

  const reply = (socket: Socket<Conn>, bytes: Uint8Array): void => {
    const writer = socket.data.writer;
    if (!writer.write(bytes)) {
      if (!writer.closed) bump(stats.rejected, "slow-reader");
      socket.end();
      return;
    }
    stats.bytesOut += bytes.length;
    // Flow control: while replies wait for a peer that is not reading, stop reading from it,
    // so it feels TCP backpressure instead of our memory growing. drain() resumes.
    if (writer.pending > 0) socket.pause();
  };

  const onEcho = (socket: Socket<Conn>, chunk: Uint8Array): void => {
    // The usual case, a chunk of whole frames and nothing held from before: it goes back as it
    // came, in one write (a pipelined burst is answered with one system call).
    const decoder = socket.data.decoder;
    const frames = decoder.buffered === 0 ? wholeFrames(chunk, decoder.maxPayload) : -1;
    if (frames > 0) {
      stats.messages += frames;
      reply(socket, chunk);
      return;
    }
    try {
      socket.data.decoder.push(chunk, (bytes, start, end) => {
        stats.messages++;
        reply(socket, bytes.subarray(start, end)); // the frame (header included) goes back byte for byte
      });
    } catch (err) {
      if (!(err instanceof FrameTooLargeError)) throw err;
      // A stream cannot be resynchronised after a bad length: drop this peer only.
      bump(stats.rejected, "oversize");
      socket.end();
    }
  };

  const onHello = (socket: Socket<Conn>, chunk: Uint8Array): void => {
    stats.messages++;
    log?.(`Message from client: ${printable(chunk)}`);
    reply(socket, helloReply);
    log?.("Message sent to client");
  };

  const onData = options.mode === "echo" ? onEcho : onHello;

  const listener = Bun.listen<Conn>({
    hostname: options.host,
    port: options.port,
    ...(options.tls ? { tls: options.tls } : {}),
    socket: {
      open(socket) {
        stats.connections++;
        socket.data = { decoder: new FrameDecoder(options.maxMessage), writer: new SocketWriter(socket, MAX_PENDING_REPLY_BYTES) };
        socket.timeout(IDLE_TIMEOUT_SEC);
      },
      data(socket, chunk) {
        stats.bytesIn += chunk.length;
        onData(socket, chunk);
      },
      drain(socket) {
        socket.data.writer.drain();
        if (socket.data.writer.pending === 0) socket.resume();
      },
      timeout(socket) {
        bump(stats.rejected, "idle-timeout");
        socket.end();
      },
      close(socket) {
        // A peer that vanished mid-frame: the partial frame is discarded and counted.
        if (socket.data && socket.data.decoder.buffered > 0) bump(stats.rejected, "truncated");
      },
      error(_socket, err) {
        bump(stats.errors, err.name || "socket-error");
      },
    },
  });

  return {
    transport: "tcp",
    mode: options.mode,
    hostname: listener.hostname,
    port: listener.port,
    stats: () => snapshot(stats),
    async stop() {
      listener.stop(true);
    },
  };
}
