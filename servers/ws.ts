import type { ServerWebSocket } from "bun";
import { TIME_QUERY, sharedClockMs } from "../protocol/events.ts";
import { HELLO_FROM_SERVER } from "../protocol/limits.ts";
import { printable } from "../lib/text.ts";
import { EventLog } from "./event-log.ts";
import { chatPage, wantsPage } from "./chat-page.ts";
import { startPublisher } from "./publisher.ts";
import { bump, newStats, pushSettings, requireMode, servedBy, type RunningServer, type ServerMode, type ServerOptions } from "./types.ts";

interface Peer {
  id: number;
}

const CHAT_TOPIC = "chat";
const EVENTS_TOPIC = "events";
/** Bytes queued for one peer before Bun closes it. Reading pauses under backpressure, so this is a safety net. */
const BACKPRESSURE_LIMIT = 16 << 20;
const IDLE_TIMEOUT_SEC = 120;

export const MODES = ["hello", "echo", "chat", "push"] as const satisfies readonly ServerMode[];

/**
 * WebSocket on Bun.serve. hello: every message is answered "Hello from server"; echo: every
 * message comes back unchanged (text as text, binary as binary); chat: messages are logged and
 * relayed to the other clients, and lines the operator types (say) go to everyone; push: the
 * server publishes events ({ id, t, data } as JSON text) at a fixed rate to every client. Any
 * path upgrades, as the lab's client connects to ws://host:8765 with none.
 */
export async function start(options: ServerOptions): Promise<RunningServer> {
  requireMode("ws", options.mode, MODES);
  const stats = newStats();
  const log = options.log;
  let nextId = 0;

  const send = (ws: ServerWebSocket<Peer>, message: string | Uint8Array): void => {
    const size = typeof message === "string" ? Buffer.byteLength(message) : message.length;
    // send returns the bytes written, -1 when queued behind backpressure (still delivered), or 0
    // when dropped; an empty message also writes 0 bytes, so 0 means dropped only for size > 0.
    const result = ws.send(message);
    if (result !== 0 || size === 0) {
      stats.bytesOut += size;
      // Flow control: stop reading from a peer that is not reading its replies; drain resumes.
      if (result === -1) ws.pause();
      return;
    }
    // Echo must not lose messages silently: this peer is cut off and counted.
    bump(stats.errors, "dropped-backpressure");
    ws.close(1013, "server send buffer full");
  };

  const onMessage: Record<string, (ws: ServerWebSocket<Peer>, message: string | Buffer) => void> = {
    echo: (ws, message) => send(ws, message),
    hello: (ws, message) => {
      log?.(`Message from client: ${printable(message)}`);
      send(ws, HELLO_FROM_SERVER);
      log?.("Message sent to client");
    },
    // Push subscribers have nothing to say but a clock query (for a remote one's offset estimate);
    // anything else is counted and ignored.
    push: (ws, message) => {
      if (message === TIME_QUERY) send(ws, JSON.stringify({ t: sharedClockMs() }));
    },
    chat: (ws, message) => {
      const text = printable(message, 4000);
      log?.(`Received message from client ${ws.data.id}: ${text}`);
      ws.publish(CHAT_TOPIC, `[client ${ws.data.id}] ${text}`);
    },
  };
  const handle = onMessage[options.mode]!;
  const page = options.mode === "chat" ? chatPage("ws") : undefined;

  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    ...(options.tls ? { tls: options.tls } : {}),
    fetch(req, srv) {
      // Numbered once connected (open), so that a request that does not upgrade takes no number.
      if (srv.upgrade(req, { data: { id: 0 } })) return undefined;
      // A browser asking a chat server for a page gets the chat page: the exercise's second
      // computer needs nothing but a browser.
      if (page && wantsPage(req)) return new Response(page.html, { headers: page.headers });
      bump(stats.rejected, "not-websocket");
      return new Response(`This is a WebSocket server: connect with a WebSocket client (${options.tls ? "wss" : "ws"}://).\n`, {
        status: 426,
        headers: { Upgrade: "websocket" },
      });
    },
    websocket: {
      data: {} as Peer,
      maxPayloadLength: options.maxMessage,
      backpressureLimit: BACKPRESSURE_LIMIT,
      closeOnBackpressureLimit: true,
      perMessageDeflate: false,
      idleTimeout: IDLE_TIMEOUT_SEC,
      open(ws) {
        ws.data.id = ++nextId;
        stats.connections++;
        if (options.mode === "push") ws.subscribe(EVENTS_TOPIC);
        if (options.mode !== "chat") return;
        ws.subscribe(CHAT_TOPIC);
        log?.(`Client ${ws.data.id} connected`);
        ws.publish(CHAT_TOPIC, `* client ${ws.data.id} joined`);
      },
      message(ws, message) {
        stats.messages++;
        stats.bytesIn += typeof message === "string" ? Buffer.byteLength(message) : message.length;
        handle(ws, message);
      },
      drain(ws) {
        ws.resume();
      },
      close(ws, code, reason) {
        // Bun rejects bad input itself (1009 or 1002 to the peer) and reports it here as 1006
        // with the reason it gave: "Received too big message", "Received invalid opcode", ...
        if (code === 1009 || /too big/i.test(reason)) bump(stats.rejected, "oversize");
        else if (code === 1002 || code === 1007 || reason.startsWith("Received")) bump(stats.rejected, "protocol-error");
        if (options.mode !== "chat") return;
        log?.(`Client ${ws.data.id} disconnected`);
        server.publish(CHAT_TOPIC, `* client ${ws.data.id} left`);
      },
    },
  });

  let stopPublisher: (() => void) | undefined;
  if (options.mode === "push") {
    const events = new EventLog(1000);
    events.subscribe((event) => {
      const text = JSON.stringify(event);
      // publish returns the bytes sent to one subscriber (0 when there are none yet).
      if (server.publish(EVENTS_TOPIC, text) > 0) stats.bytesOut += Buffer.byteLength(text) * server.subscriberCount(EVENTS_TOPIC);
    });
    stopPublisher = startPublisher(events, pushSettings(options).ratePerSec, pushSettings(options).eventSize);
  }
  return servedBy("ws", options, server, stats, (text) => void server.publish(CHAT_TOPIC, `[server] ${text}`), stopPublisher);
}
