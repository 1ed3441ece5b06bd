import { openWireEcho } from "../../clients/http-wire.ts";
import { ECHO_CLIENTS } from "../../clients/index.ts";
import { subscribe as httpSubscribe } from "../../clients/http.ts";
import { connectOnce } from "../../clients/tcp.ts";
import type { Subscription, Target } from "../../clients/types.ts";
import { handshakeOnce, subscribe as wsSubscribe } from "../../clients/ws.ts";
import type { ServerEvent } from "../../protocol/events.ts";
import type { Transport } from "../../protocol/limits.ts";
import type { ServerMode } from "../../servers/types.ts";
import { echoPipes, exchangePipes, firstReplyPipes, oneWayPipes } from "../load/echo-pipe.ts";
import type { OpenPipe } from "../load/types.ts";
import type { PushKind } from "./worker-protocol.ts";

/**
 * What the bench can drive, each bound to the server it needs. This is the one place where
 * transports meet load models: a driver turns a transport's client into pipes.
 */
export interface Driver {
  label: string;
  server: Transport;
  mode: ServerMode;
  /** True when an operation opens its own connection (so "connections" means concurrency). */
  perOperationConnection: boolean;
  /** True when nothing comes back: loss is counted by the server, latency is not measured. */
  oneWay?: boolean;
  /** `timeoutMs` is the session's per-operation timeout, for drivers that must free what it abandons. */
  pipes(target: Target, size: number, timeoutMs: number): OpenPipe;
}

const DRIVER_TABLE = {
  tcp: { label: "TCP", server: "tcp", mode: "echo", perOperationConnection: false, pipes: (t, size) => echoPipes(ECHO_CLIENTS.tcp, t, size) },
  udp: { label: "UDP", server: "udp", mode: "echo", perOperationConnection: false, pipes: (t, size) => echoPipes(ECHO_CLIENTS.udp, t, size) },
  "udp-oneway": { label: "UDP one way", server: "udp", mode: "sink", perOperationConnection: false, oneWay: true, pipes: (t, size) => oneWayPipes(ECHO_CLIENTS.udp, t, size) },
  ws: { label: "WebSocket", server: "ws", mode: "echo", perOperationConnection: false, pipes: (t, size) => echoPipes(ECHO_CLIENTS.ws, t, size) },
  http: {
    label: "HTTP keep-alive",
    server: "http",
    mode: "echo",
    perOperationConnection: false,
    pipes: (t, size) => echoPipes((target, handlers) => openWireEcho(target, handlers, { reuse: true }), t, size),
  },
  "http-close": {
    label: "HTTP, new connection per request",
    server: "http",
    mode: "echo",
    perOperationConnection: true,
    pipes: (t, size) => echoPipes((target, handlers) => openWireEcho(target, handlers, { reuse: false }), t, size),
  },
  "tcp-connect": { label: "TCP connect", server: "tcp", mode: "echo", perOperationConnection: true, pipes: (t) => exchangePipes(() => connectOnce(t)) },
  "ws-connect": { label: "WebSocket handshake", server: "ws", mode: "echo", perOperationConnection: true, pipes: (t) => exchangePipes(() => handshakeOnce(t)) },
  "tcp-new": { label: "TCP, new connection per message", server: "tcp", mode: "echo", perOperationConnection: true, pipes: (t, size, timeoutMs) => firstReplyPipes(ECHO_CLIENTS.tcp, t, size, timeoutMs) },
  "ws-new": { label: "WebSocket, new connection per message", server: "ws", mode: "echo", perOperationConnection: true, pipes: (t, size, timeoutMs) => firstReplyPipes(ECHO_CLIENTS.ws, t, size, timeoutMs) },
} as const satisfies Record<string, Driver>;

export type DriverName = keyof typeof DRIVER_TABLE;
export const DRIVERS: Record<DriverName, Driver> = DRIVER_TABLE;

export function isDriverName(name: string): name is DriverName {
  return Object.hasOwn(DRIVERS, name);
}

/** Long polls are held this long at most; events end them much sooner. */
const LONG_POLL_WAIT_MS = 30_000;
/** HTTP subscribers start from the present: a `since` beyond the newest id is sent back to it. */
const FROM_NOW = Number.MAX_SAFE_INTEGER;

export interface PushPattern {
  label(intervalMs: number): string;
  server: Transport;
  subscribe(target: Target, opts: { intervalMs: number; timeoutMs: number }, onEvent: (event: ServerEvent) => void): Subscription;
}

/** The ways a subscriber can learn of a server's events, bound to their transports. */
export const PUSH_PATTERNS: Record<PushKind, PushPattern> = {
  ws: { label: () => "WebSocket push", server: "ws", subscribe: (t, o, on) => wsSubscribe(t, o.timeoutMs, on) },
  sse: { label: () => "Server-Sent Events", server: "http", subscribe: (t, o, on) => httpSubscribe(t, { pattern: "sse", since: FROM_NOW, intervalMs: 0, waitMs: 0, timeoutMs: o.timeoutMs }, on) },
  long: { label: () => "HTTP long polling", server: "http", subscribe: (t, o, on) => httpSubscribe(t, { pattern: "long", since: FROM_NOW, intervalMs: 0, waitMs: LONG_POLL_WAIT_MS, timeoutMs: o.timeoutMs }, on) },
  short: { label: (ms) => `HTTP short polling, every ${ms} ms`, server: "http", subscribe: (t, o, on) => httpSubscribe(t, { pattern: "short", since: FROM_NOW, intervalMs: o.intervalMs, waitMs: 0, timeoutMs: o.timeoutMs, stagger: true }, on) },
};
