// The bench's WebSocket client, over Bun.connect. Bun's WebSocket client writes each message
// with a system call of its own and offers no way to gather them: at 64 B with a window in
// flight that was three quarters of its CPU, more than the server's per message. Here a
// turn's messages leave in one write (GatheringWriter), as our TCP and HTTP clients do. The
// hello and chat clients (clients/ws.ts) keep Bun's WebSocket: one message costs nothing there.
import type { Socket } from "bun";
import { createHash } from "node:crypto";
import { RunError } from "../lib/errors.ts";
import { hostPort, netRunError, type Target } from "../lib/net.ts";
import { GatheringWriter, MAX_QUEUED_BYTES, SocketWriter } from "../lib/socket-writer.ts";
import { printable } from "../lib/text.ts";
import { connectReady } from "../lib/tls.ts";
import { formatMs, withTimeout } from "../lib/timeout.ts";
import { MAX_MESSAGE_BYTES } from "../protocol/limits.ts";
import type { EchoChannel, EchoHandlers } from "./types.ts";
import { CLIENT_BINARY, OP_CLOSE, OP_PING, OP_PONG, ServerFrameReader, WsProtocolError, closePayload, controlFrame } from "./ws-frames.ts";
import { wsUrl } from "./ws.ts";

/** RFC 6455's fixed GUID, hashed with the key to prove the server read the upgrade request. */
const ACCEPT_GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
/** An upgrade response longer than this is not one. */
const MAX_HEAD_BYTES = 16 * 1024;

/** The upgrade request, and the key its answer must prove it read. */
function upgradeRequest(target: Target): { request: Uint8Array; key: string } {
  const key = Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString("base64");
  const lines = [
    `GET ${target.path ?? "/"} HTTP/1.1`,
    `Host: ${hostPort(target.host, target.port)}`,
    "Upgrade: websocket",
    "Connection: Upgrade",
    `Sec-WebSocket-Key: ${key}`,
    "Sec-WebSocket-Version: 13",
    ...(target.subprotocol ? [`Sec-WebSocket-Protocol: ${target.subprotocol}`] : []),
    ...(target.headers ?? []).map(([name, value]) => `${name}: ${value}`),
  ];
  return { request: new TextEncoder().encode(`${lines.join("\r\n")}\r\n\r\n`), key };
}

/** What is wrong with a server's answer to the upgrade (`head`: up to the blank line), or undefined. */
export function upgradeProblem(head: string, key: string, target: Target): string | undefined {
  const url = wsUrl(target);
  const [statusLine = "", ...fields] = head.split("\r\n");
  const status = /^HTTP\/1\.[01] (\d{3}) ?(.*)$/.exec(statusLine);
  if (!status) return `${url} did not answer the WebSocket upgrade in HTTP (it began "${printable(statusLine, 48)}")`;
  if (status[1] !== "101") return `${url} answered HTTP ${status[1]}${status[2] ? ` ${status[2]}` : ""}, not a WebSocket upgrade (is it a WebSocket server?)`;
  const header = new Map<string, string>();
  for (const field of fields) {
    const colon = field.indexOf(":");
    if (colon > 0) header.set(field.slice(0, colon).trim().toLowerCase(), field.slice(colon + 1).trim());
  }
  const accept = createHash("sha1")
    .update(key + ACCEPT_GUID)
    .digest("base64");
  if (header.get("upgrade")?.toLowerCase() !== "websocket" || !/(^|,)\s*upgrade\s*(,|$)/i.test(header.get("connection") ?? ""))
    return `${url} answered 101 without upgrading to websocket`;
  if (header.get("sec-websocket-accept") !== accept) return `${url} answered the upgrade with the wrong Sec-WebSocket-Accept`;
  if (header.has("sec-websocket-extensions")) return `${url} agreed to an extension none was offered (${header.get("sec-websocket-extensions")})`;
  const protocol = header.get("sec-websocket-protocol");
  if (protocol !== target.subprotocol)
    return target.subprotocol
      ? `${url} did not agree to the subprotocol ${target.subprotocol}${protocol ? ` (it chose ${protocol})` : ""}`
      : `${url} chose a subprotocol none was offered (${protocol})`;
  return undefined;
}

/** The end of an HTTP head (after its blank line) in `bytes`, or -1. */
function endOfHead(bytes: Uint8Array): number {
  for (let i = bytes.indexOf(13); i >= 0 && i + 3 < bytes.length; i = bytes.indexOf(13, i + 1))
    if (bytes[i + 1] === 10 && bytes[i + 2] === 13 && bytes[i + 3] === 10) return i + 4;
  return -1;
}

/** "1000 bye" from a close frame's payload. */
function describeClose(payload: Uint8Array): string {
  if (payload.length < 2) return "no status";
  const reason = new TextDecoder().decode(payload.subarray(2));
  return `${(payload[0]! << 8) | payload[1]!}${reason ? ` ${reason}` : ""}`;
}

export interface WsEchoChannel extends EchoChannel {
  /** Sends a close (1000) and ends the connection without waiting for the server's answer. */
  closeNow(): void;
}

/**
 * Binary-message echo over one WebSocket connection: connect (and over TLS, shake hands), ask
 * for the upgrade, check the answer, then messages. The server's pings are answered; its close
 * is answered and reported; a breach of the protocol closes the channel (1002), saying what.
 * Rejects with a RunError a person can act on when the upgrade does not happen in `timeoutMs`.
 */
export async function openWireEcho(target: Target, handlers: EchoHandlers, timeoutMs = 5000): Promise<WsEchoChannel> {
  const url = wsUrl(target);
  const started = performance.now();
  const { request, key } = upgradeRequest(target);
  let head: Uint8Array | undefined = new Uint8Array(0); // the upgrade's answer so far; undefined once upgraded
  let closing = false; // close() was called, or the server closed: the socket's close is expected
  let upgraded!: (err?: Error) => void;
  const upgrade = new Promise<void>((resolve, reject) => {
    upgraded = (err) => (err ? reject(err) : resolve());
  });
  upgrade.catch(() => {}); // awaited below; a late failure is also reported there
  let serverClosed: () => void = () => {};
  const closedByServer = new Promise<void>((resolve) => {
    serverClosed = resolve;
  });
  let writer: SocketWriter | undefined;
  let gather: GatheringWriter | undefined;
  /** A control frame, after whatever was gathered before it. */
  const sendControl = (opcode: number, payload?: Uint8Array): void => {
    gather?.flush();
    writer?.write(controlFrame(opcode, payload));
  };
  /** The channel ends for `reason`: reported once, unless close() asked for it. */
  const end = (reason: string): void => {
    serverClosed();
    if (closing) return;
    closing = true;
    handlers.onClose?.(reason);
  };
  const reader = new ServerFrameReader(MAX_MESSAGE_BYTES, {
    message: (bytes, start, end) => handlers.onReply(bytes, start, end),
    control(opcode, payload) {
      if (opcode === OP_PING) sendControl(OP_PONG, payload);
      else if (opcode === OP_CLOSE) {
        // Answered with its own code (RFC 6455, 5.5.1), unless ours is already on its way.
        // Reported before the socket ends: ending it may report its close at once.
        if (!closing) sendControl(OP_CLOSE, payload.subarray(0, 2));
        end(`closed by server (${describeClose(payload)})`);
        socket.end();
      }
    },
  });
  const received = (chunk: Uint8Array): void => {
    try {
      reader.push(chunk);
    } catch (err) {
      if (!(err instanceof WsProtocolError)) throw err;
      sendControl(OP_CLOSE, closePayload(1002));
      end(`protocol error from ${url}: ${err.message}`);
      socket.end();
    }
  };
  const socket: Socket<undefined> = await connectReady(
    {
      hostname: target.host,
      port: target.port,
      tls: target.tls,
      socket: {
        data(s, chunk) {
          if (head === undefined) return received(chunk);
          const sofar: Uint8Array = Buffer.concat([head, chunk]);
          const at = endOfHead(sofar);
          if (at < 0) {
            head = sofar;
            if (sofar.length > MAX_HEAD_BYTES) upgraded(new RunError(`${url} sent ${sofar.length} bytes without ending an HTTP head`));
            return;
          }
          head = undefined;
          const problem = upgradeProblem(new TextDecoder("latin1").decode(sofar.subarray(0, at - 4)), key, target);
          if (problem) {
            s.terminate();
            return upgraded(new RunError(problem));
          }
          upgraded();
          if (at < sofar.length) received(sofar.subarray(at)); // a first message right behind the answer
        },
        drain: () => writer?.drain(),
        close() {
          if (head !== undefined) upgraded(new RunError(`${url} closed the connection instead of answering the WebSocket upgrade (is it a WebSocket server?)`));
          else end("server closed the connection");
        },
        error(_s, err) {
          if (head !== undefined) upgraded(netRunError(err, target.host, target.port));
          else end(err.message);
        },
      },
    },
    timeoutMs,
    hostPort(target.host, target.port),
  ).catch((err: unknown) => {
    throw err instanceof RunError ? err : netRunError(err, target.host, target.port);
  });
  socket.setNoDelay(true);
  writer = new SocketWriter(socket, MAX_QUEUED_BYTES);
  gather = new GatheringWriter(writer, CLIENT_BINARY);
  writer.write(request);
  try {
    const left = Math.max(1, timeoutMs - (performance.now() - started));
    await withTimeout(upgrade, left, `timed out after ${formatMs(timeoutMs)} opening ${url}`);
  } catch (err) {
    closing = true;
    socket.terminate();
    throw err;
  }
  const w = writer;
  const g = gather;
  return {
    send: (payload) => !closing && g.write(payload),
    async close() {
      if (closing) return;
      closing = true;
      // Queued messages go first; the close handshake is waited for, within 2 s in all.
      g.flush();
      const deadline = performance.now() + 2000;
      while (w.pending > 0 && !w.closed && performance.now() < deadline) await Bun.sleep(5);
      w.write(controlFrame(OP_CLOSE, closePayload(1000, "bye")));
      let timer: Timer | undefined;
      await Promise.race([closedByServer, new Promise<void>((resolve) => (timer = setTimeout(resolve, Math.max(0, deadline - performance.now()))))]);
      clearTimeout(timer);
      socket.end();
    },
    closeNow() {
      closing = true;
      g.flush();
      w.write(controlFrame(OP_CLOSE, closePayload(1000)));
      socket.end();
    },
  };
}

/** One WebSocket opening handshake (TCP connect, TLS where asked, the upgrade), then closed without waiting. */
export async function handshakeOnce(target: Target, timeoutMs = 5000): Promise<void> {
  (await openWireEcho(target, { onReply() {} }, timeoutMs)).closeNow();
}
