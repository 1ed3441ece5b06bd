// The one place where the catalog's entries meet the code that speaks each protocol: every
// driver bound to the client that makes its pipes, every push pattern to the client that
// subscribes. The only module of bench/ that imports clients/ (bench/catalog.ts says what
// each entry is; this says how it is done).
import { openWireEcho } from "../../clients/http-wire.ts";
import { subscribe as httpSubscribe } from "../../clients/http.ts";
import { ECHO_CLIENTS } from "../../clients/index.ts";
import { connectOnce, openStream } from "../../clients/tcp.ts";
import type { OpenEcho, Subscription } from "../../clients/types.ts";
import { connect as openWebSocket, subscribe as wsSubscribe } from "../../clients/ws.ts";
import { handshakeOnce } from "../../clients/ws-wire.ts";
import type { Target } from "../../lib/net.ts";
import type { ServerEvent } from "../../protocol/events.ts";
import { DRIVERS, TRANSPORT_DRIVERS, type DriverName, type PushKind } from "../catalog.ts";
import { echoPipes, exchangePipes, firstReplyPipes, oneWayPipes, orderedPipes } from "../load/echo-pipe.ts";
import { statusExpected, type UrlExchange } from "../model/exchange.ts";
import type { OpenChannel, OpenPipe } from "../load/types.ts";
import type { ClockOffset } from "../model/results.ts";
import { httpClockOffset, wsClockOffset } from "./clock-offset.ts";

export type { Subscription };

/** The browser scenario's page (it runs in Chromium, not here) and what it reports. */
export { browserBenchPage, type BrowserBenchJob, type BrowserBenchOutcome } from "../../clients/browser-bench.ts";

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

/**
 * A driver's pipes against a server socketlab did not write (a URL target): what each operation
 * sends and what answers it come from the exchange. Connection set-ups (tcp-connect, ws-connect)
 * are the same as against our servers: the target carries the WebSocket path and headers.
 */
export function foreignPipes(driver: DriverName, target: Target, x: UrlExchange, size: number, timeoutMs: number): OpenPipe {
  const operation = DRIVERS[driver].operation;
  if (operation === "connect") return PIPES[driver](target, size, timeoutMs);
  const given = x.payloadBase64 === undefined ? undefined : new Uint8Array(Buffer.from(x.payloadBase64, "base64"));
  // What the driver speaks underneath: https is http over the TLS the target carries.
  const transport = TRANSPORT_DRIVERS[DRIVERS[driver].transport].server;
  if (transport === "http") {
    const request = { method: x.method, path: x.path, headers: x.headers, body: given };
    const reuse = !DRIVERS[driver].perOperationConnection;
    const open: OpenEcho = (t, handlers) => openWireEcho(t, handlers, { reuse, request, accept: (s) => statusExpected(x, s), timeoutMs, discardBodies: true });
    return orderedPipes(channel(open, target), new Uint8Array(0));
  }
  const open: OpenEcho =
    transport === "tcp"
      ? (t, handlers) =>
          openStream(t, handlers, { frame: x.frame, replyBytes: x.frame === "none" && x.match === "echo" ? (given?.length ?? size) : undefined }, timeoutMs)
      : ECHO_CLIENTS[transport];
  // No message given, echo matching: our header, sent back, matches each reply to its message.
  if (given === undefined && x.match === "echo") return echoPipes(channel(open, target), size);
  let message = given ?? new Uint8Array(size).fill(0x61);
  let expect = x.match === "echo" ? message : undefined;
  if (x.frame === "line" && transport === "tcp") {
    // A line protocol: the message goes out as one line; an echo comes back without its newline.
    const text = message.at(-1) === 10 ? message.subarray(0, -1) : message;
    message = new Uint8Array([...text, 10]);
    expect &&= text.at(-1) === 13 ? text.subarray(0, -1) : text;
  }
  return orderedPipes(channel(open, target), message, { expect, reopenAfterMs: transport === "udp" ? timeoutMs : undefined });
}

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
