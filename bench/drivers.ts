import { openWireEcho } from "../clients/http-wire.ts";
import { ECHO_CLIENTS } from "../clients/index.ts";
import { connectOnce } from "../clients/tcp.ts";
import type { Target } from "../clients/types.ts";
import { handshakeOnce } from "../clients/ws.ts";
import type { Transport } from "../protocol/limits.ts";
import type { ServerMode } from "../servers/types.ts";
import { echoPipes, exchangePipes } from "./load/echo-pipe.ts";
import type { OpenPipe } from "./load/types.ts";

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
  pipes(target: Target, size: number): OpenPipe;
}

export const DRIVERS = {
  tcp: { label: "TCP", server: "tcp", mode: "echo", perOperationConnection: false, pipes: (t, size) => echoPipes(ECHO_CLIENTS.tcp, t, size) },
  udp: { label: "UDP", server: "udp", mode: "echo", perOperationConnection: false, pipes: (t, size) => echoPipes(ECHO_CLIENTS.udp, t, size) },
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
} as const satisfies Record<string, Driver>;

export type DriverName = keyof typeof DRIVERS;

export function isDriverName(name: string): name is DriverName {
  return Object.hasOwn(DRIVERS, name);
}
