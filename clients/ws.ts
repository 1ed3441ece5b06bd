import { RunError } from "../lib/errors.ts";
import { hostPort, netRunError, resolveIp, type Target } from "../lib/net.ts";
import { printable } from "../lib/text.ts";
import { formatMs, withTimeout } from "../lib/timeout.ts";
import { isServerEvent, type ServerEvent } from "../protocol/events.ts";
import type { PollStats, Print, Subscription } from "./types.ts";
import { connectReady, tlsOption } from "../lib/tls.ts";

export function wsUrl(target: Target): string {
  return `${target.tls ? "wss" : "ws"}://${hostPort(target.host, target.port)}${target.path ?? "/"}`;
}

/**
 * The WebSocket API says only "failed to connect"; a plain TCP connect to the same place tells
 * a refused port or a bad address apart from a server that does not speak WebSocket.
 */
async function explainFailure(target: Target): Promise<RunError> {
  try {
    // Over TLS the probe shakes hands too, so a certificate it refuses is named as such.
    const probe = await connectReady(
      { hostname: target.host, port: target.port, tls: target.tls, socket: { data() {} } },
      2000,
      hostPort(target.host, target.port),
    );
    probe.end();
  } catch (err) {
    return err instanceof RunError ? err : netRunError(err, target.host, target.port);
  }
  return new RunError(`${wsUrl(target)} did not accept a WebSocket connection (is it a WebSocket server?)`);
}

/** An open WebSocket, or a RunError a person can act on. */
export async function connect(target: Target, timeoutMs: number): Promise<WebSocket> {
  await resolveIp(target.host); // an unknown host gets its own clear message
  // Bun's client offers permessage-deflate by default; measurements and echo want raw frames.
  const ws = new WebSocket(wsUrl(target), {
    perMessageDeflate: false,
    ...tlsOption(target.tls),
    ...(target.headers?.length ? { headers: Object.fromEntries(target.headers) } : {}),
    ...(target.subprotocol ? { protocols: [target.subprotocol] } : {}),
  });
  // Bun's own binary type: a Buffer over the received bytes, without the ArrayBuffer copy
  // (about a tenth of the client's CPU per message at 64 B).
  ws.binaryType = "nodebuffer" as WebSocket["binaryType"];
  const opened = new Promise<void>((resolve, reject) => {
    ws.onopen = () => resolve();
    ws.onclose = () => reject(new Error("closed before open"));
  });
  try {
    await withTimeout(opened, timeoutMs, `timed out after ${formatMs(timeoutMs)} opening ${wsUrl(target)}`);
  } catch (err) {
    ws.onclose = null;
    ws.close();
    throw err instanceof RunError ? err : await explainFailure(target);
  }
  ws.onclose = null;
  return ws;
}

function bytesOf(data: unknown): Uint8Array {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (typeof data === "string") return new TextEncoder().encode(data);
  return data as Uint8Array;
}

/** Closes with 1000 once queued data has gone, waiting at most timeoutMs for the close handshake. */
export async function closeGracefully(ws: WebSocket, timeoutMs: number): Promise<void> {
  if (ws.readyState === WebSocket.CLOSED) return;
  const deadline = Date.now() + timeoutMs;
  while (ws.bufferedAmount > 0 && Date.now() < deadline) await Bun.sleep(5);
  const closed = new Promise<void>((resolve) => ws.addEventListener("close", () => resolve(), { once: true }));
  ws.close(1000, "bye");
  await Promise.race([closed, Bun.sleep(Math.max(0, deadline - Date.now()))]);
}

/** One message, one answer, as in the lab's client loop taken once. */
export async function hello(target: Target, message: string, timeoutMs: number, print: Print): Promise<void> {
  const ws = await connect(target, timeoutMs);
  try {
    const answer = new Promise<string>((resolve, reject) => {
      ws.onmessage = (event) => resolve(typeof event.data === "string" ? event.data : printable(bytesOf(event.data)));
      ws.onclose = (event) => reject(new RunError(`server closed the connection (${event.code}) before answering`));
    });
    ws.send(message);
    print("Message sent to server");
    const text = await withTimeout(answer, timeoutMs, `no answer from ${wsUrl(target)} within ${formatMs(timeoutMs)}`);
    print(`Received response from server: ${printable(text, 4000)}`);
  } finally {
    ws.onclose = null;
    await closeGracefully(ws, 1000);
  }
}

export interface ChatIO {
  print: Print;
  /** Starts reading the user's lines; calls onLine per line and onEnd at end of input. */
  start(onLine: (line: string) => void, onEnd: () => void): { close(): void };
}

/**
 * Full-duplex chat: lines typed are sent at any time, messages from the server are printed as
 * they arrive (not only after sending, as in the lab's client). At end of input the client
 * stays `lingerMs` for late messages, then closes cleanly. Resolves with the exit code.
 */
export async function chat(target: Target, timeoutMs: number, lingerMs: number, io: ChatIO): Promise<number> {
  const ws = await connect(target, timeoutMs);
  io.print(`Connected to ${wsUrl(target)}. Type a message and press Enter; Ctrl-D quits.`);
  return new Promise<number>((resolve) => {
    let finished = false;
    const finish = (code: number): void => {
      if (finished) return;
      finished = true;
      input.close();
      resolve(code);
    };
    ws.onmessage = (event) => io.print(typeof event.data === "string" ? printable(event.data, 4000) : `(binary message, ${bytesOf(event.data).length} bytes)`);
    ws.onclose = (event) => {
      const normal = event.code === 1000 || event.code === 1001;
      io.print(`Server closed the connection (${event.code}${event.reason ? `: ${event.reason}` : ""}).`);
      finish(normal ? 0 : 1);
    };
    const input = io.start(
      (line) => {
        if (line.length > 0 && ws.readyState === WebSocket.OPEN) ws.send(line);
      },
      () => {
        setTimeout(() => {
          ws.onclose = null;
          closeGracefully(ws, 2000).then(() => finish(0));
        }, lingerMs);
      },
    );
  });
}

/** Receives a push-mode server's events ({ id, t, data } as JSON text messages). */
export function subscribe(target: Target, timeoutMs: number, onEvent: (event: ServerEvent) => void): Subscription {
  const stats: PollStats = { requests: 0, emptyPolls: 0, events: 0, missed: 0 };
  let socket: WebSocket | undefined;
  let closing = false;
  const ready = connect(target, timeoutMs).then((ws) => {
    socket = ws;
    stats.requests++;
    if (closing) ws.close(1000);
    return ws;
  });
  const done = ready.then(
    (ws) =>
      new Promise<void>((resolve, reject) => {
        ws.onmessage = (message) => {
          const event: unknown = typeof message.data === "string" ? JSON.parse(message.data) : undefined;
          if (!isServerEvent(event)) return reject(new RunError(`not an event from ${wsUrl(target)}`));
          stats.events++;
          onEvent(event);
        };
        ws.onclose = (e) => (closing ? resolve() : reject(new RunError(`the server closed ${wsUrl(target)} (${e.code})`)));
      }),
  );
  return {
    stats,
    ready: ready.then(() => {}),
    done,
    close() {
      closing = true;
      socket?.close(1000);
    },
  };
}
