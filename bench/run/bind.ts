// The one place where the catalog's entries meet the code that speaks each protocol: every
// driver bound to the client that makes its pipes, every push pattern to the client that
// subscribes. The only module of bench/ that imports clients/ (bench/catalog.ts says what
// each entry is; this says how it is done).
import { openWireEcho } from "../../clients/http-wire.ts";
import { subscribe as httpSubscribe } from "../../clients/http.ts";
import { ECHO_CLIENTS } from "../../clients/index.ts";
import { connectOnce } from "../../clients/tcp.ts";
import type { OpenEcho, Subscription } from "../../clients/types.ts";
import { connect as openWebSocket, handshakeOnce, subscribe as wsSubscribe } from "../../clients/ws.ts";
import type { Target } from "../../lib/net.ts";
import type { ServerEvent } from "../../protocol/events.ts";
import type { DriverName, PushKind } from "../catalog.ts";
import { echoPipes, exchangePipes, firstReplyPipes, oneWayPipes } from "../load/echo-pipe.ts";
import type { OpenChannel, OpenPipe } from "../load/types.ts";
import type { ClockOffset } from "../model/results.ts";
import { httpClockOffset, wsClockOffset } from "./clock-offset.ts";

export type { Subscription };

/** Each transport's echo client, for tools that time a bare round trip beside the harness. */
export { ECHO_CLIENTS };

/** Makes a driver's pipes to a target; `timeoutMs` is the session's, for pipes that must free what it abandons. */
export type PipesOf = (target: Target, size: number, timeoutMs: number) => OpenPipe;

/** A client's echo channel to one target, as the load models open it. */
const channel =
  (open: OpenEcho, target: Target): OpenChannel =>
  (handlers, timeoutMs) =>
    open(target, handlers, timeoutMs);

const keepAlive: OpenEcho = (target, handlers) => openWireEcho(target, handlers, { reuse: true });
const newConnection: OpenEcho = (target, handlers) => openWireEcho(target, handlers, { reuse: false });

/** The pipes of the drivers that speak plain TCP; the TLS drivers are the same, over TLS. */
const PLAIN = {
  tcp: (t, size) => echoPipes(channel(ECHO_CLIENTS.tcp, t), size),
  udp: (t, size) => echoPipes(channel(ECHO_CLIENTS.udp, t), size),
  "udp-oneway": (t, size) => oneWayPipes(channel(ECHO_CLIENTS.udp, t), size),
  ws: (t, size) => echoPipes(channel(ECHO_CLIENTS.ws, t), size),
  http: (t, size) => echoPipes(channel(keepAlive, t), size),
  "http-close": (t, size) => echoPipes(channel(newConnection, t), size),
  "tcp-connect": (t) => exchangePipes(() => connectOnce(t)),
  "ws-connect": (t) => exchangePipes(() => handshakeOnce(t)),
  "tcp-new": (t, size, timeoutMs) => firstReplyPipes(channel(ECHO_CLIENTS.tcp, t), size, timeoutMs),
  "ws-new": (t, size, timeoutMs) => firstReplyPipes(channel(ECHO_CLIENTS.ws, t), size, timeoutMs),
} satisfies Partial<Record<DriverName, PipesOf>>;

export const PIPES: Record<DriverName, PipesOf> = {
  ...PLAIN,
  // Over TLS the same clients: the target carries the TLS settings (bench/run/orchestrate.ts).
  https: PLAIN.http,
  "https-close": PLAIN["http-close"],
  wss: PLAIN.ws,
  "wss-connect": PLAIN["ws-connect"],
  "wss-new": PLAIN["ws-new"],
};

/** Long polls are held this long at most; events end them much sooner. */
const LONG_POLL_WAIT_MS = 30_000;
/** HTTP subscribers start from the present: a `since` beyond the newest id is sent back to it. */
const FROM_NOW = Number.MAX_SAFE_INTEGER;

export type SubscribeOf = (target: Target, opts: { intervalMs: number; timeoutMs: number }, onEvent: (event: ServerEvent) => void) => Subscription;

export const SUBSCRIBERS: Record<PushKind, SubscribeOf> = {
  ws: (t, o, on) => wsSubscribe(t, o.timeoutMs, on),
  sse: (t, o, on) => httpSubscribe(t, { pattern: "sse", since: FROM_NOW, intervalMs: 0, waitMs: 0, timeoutMs: o.timeoutMs }, on),
  long: (t, o, on) => httpSubscribe(t, { pattern: "long", since: FROM_NOW, intervalMs: 0, waitMs: LONG_POLL_WAIT_MS, timeoutMs: o.timeoutMs }, on),
  short: (t, o, on) => httpSubscribe(t, { pattern: "short", since: FROM_NOW, intervalMs: o.intervalMs, waitMs: 0, timeoutMs: o.timeoutMs, stagger: true }, on),
};

/** Asks a push server of each pattern's transport for its clock, to read ours as its own. */
export const CLOCK_QUERIES: Record<PushKind, (target: Target) => Promise<ClockOffset>> = {
  ws: (t) => wsClockOffset(openWebSocket, t),
  sse: (t) => httpClockOffset(t),
  long: (t) => httpClockOffset(t),
  short: (t) => httpClockOffset(t),
};
