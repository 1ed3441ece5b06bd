// What socketlab can measure, as data: every driver (a way of loading a server) and every push
// pattern (a way of learning of its events), with the names people and metrics know them by,
// the colour they get in charts, the round trips the lab's reasoning says they cost, and what
// they can do. Everything that names a driver or a pattern reads it here; the code that drives
// them is bound to these entries in bench/run/bind.ts. This module imports nothing but types.
import type { Transport } from "../protocol/limits.ts";

/** What a driver's operation is, which decides what its figures mean. */
export type Operation =
  /** A message and its reply, on a connection kept open. */
  | "echo"
  /** A message with no reply: the server counts what arrived, loss is measured, latency is not. */
  | "one-way"
  /** Opening a connection (and, for WebSocket, its upgrade), then closing it. */
  | "connect"
  /** A message on a new connection, timed from connect() to its reply. */
  | "first-reply";

export interface DriverEntry {
  /** The transport it speaks (TLS ones by their own names), and the mode its server runs in. */
  transport: BenchTransport;
  serverMode: "echo" | "sink";
  operation: Operation;
  /** In tables and progress lines: "HTTP, new connection per request". */
  label: string;
  /** In sentences and short lists: "HTTP (new connection)". */
  short: string;
  /** In chart legends, where a column is narrow: "HTTP new connection". */
  legend: string;
  /** In metric names (`<subject>.<scenario>.<figure>`); connect-only drivers share their transport's. */
  subject: string;
  /** Its colour and marker in every chart, so a transport looks the same throughout a report. */
  colour: number;
  /** Each operation opens its own connection (so "connections" means concurrency). */
  perOperationConnection: boolean;
  /** The kernel's byte counts on the server's sockets can be divided per operation. */
  wireMeasurable: boolean;
  /** The largest message it carries, bytes (a UDP datagram's payload). */
  maxPayload?: number;
  /** In the distance section: the row's name and what it should cost by the lab's reasoning. */
  distance?: { label: string; roundTrips: number; why: string };
}

export const DRIVERS = {
  tcp: {
    transport: "tcp",
    serverMode: "echo",
    operation: "echo",
    label: "TCP",
    short: "TCP",
    legend: "TCP",
    subject: "tcp",
    colour: 0,
    perOperationConnection: false,
    wireMeasurable: true,
  },
  udp: {
    transport: "udp",
    serverMode: "echo",
    operation: "echo",
    label: "UDP",
    short: "UDP",
    legend: "UDP",
    subject: "udp",
    colour: 1,
    perOperationConnection: false,
    wireMeasurable: false,
    maxPayload: 65_507,
  },
  "udp-oneway": {
    transport: "udp",
    serverMode: "sink",
    operation: "one-way",
    label: "UDP one way",
    short: "UDP one way",
    legend: "UDP one way",
    subject: "udp-oneway",
    colour: 5,
    perOperationConnection: false,
    wireMeasurable: false,
    maxPayload: 65_507,
  },
  ws: {
    transport: "ws",
    serverMode: "echo",
    operation: "echo",
    label: "WebSocket",
    short: "WebSocket",
    legend: "WebSocket",
    subject: "ws",
    colour: 2,
    perOperationConnection: false,
    wireMeasurable: true,
    distance: { label: "WebSocket message, open connection", roundTrips: 1, why: "the message" },
  },
  http: {
    transport: "http",
    serverMode: "echo",
    operation: "echo",
    label: "HTTP keep-alive",
    short: "HTTP keep-alive",
    legend: "HTTP keep-alive",
    subject: "http",
    colour: 3,
    perOperationConnection: false,
    wireMeasurable: true,
    distance: { label: "HTTP request, keep-alive connection", roundTrips: 1, why: "the request" },
  },
  "http-close": {
    transport: "http",
    serverMode: "echo",
    operation: "echo",
    label: "HTTP, new connection per request",
    short: "HTTP (new connection)",
    legend: "HTTP new connection",
    subject: "http-close",
    colour: 4,
    perOperationConnection: true,
    wireMeasurable: false,
    distance: { label: "HTTP request, new connection", roundTrips: 2, why: "TCP handshake, request" },
  },
  "tcp-connect": {
    transport: "tcp",
    serverMode: "echo",
    operation: "connect",
    label: "TCP connect",
    short: "TCP connect",
    legend: "TCP connect",
    subject: "tcp",
    colour: 6,
    perOperationConnection: true,
    wireMeasurable: false,
  },
  "ws-connect": {
    transport: "ws",
    serverMode: "echo",
    operation: "connect",
    label: "WebSocket handshake",
    short: "WebSocket handshake",
    legend: "WebSocket handshake",
    subject: "ws",
    colour: 7,
    perOperationConnection: true,
    wireMeasurable: false,
  },
  "tcp-new": {
    transport: "tcp",
    serverMode: "echo",
    operation: "first-reply",
    label: "TCP, new connection per message",
    short: "TCP (new connection)",
    legend: "TCP new connection",
    subject: "tcp-new",
    colour: 8,
    perOperationConnection: true,
    wireMeasurable: false,
    distance: { label: "TCP message, new connection", roundTrips: 2, why: "handshake, message" },
  },
  "ws-new": {
    transport: "ws",
    serverMode: "echo",
    operation: "first-reply",
    label: "WebSocket, new connection per message",
    short: "WebSocket (new connection)",
    legend: "WebSocket new connection",
    subject: "ws-new",
    colour: 9,
    perOperationConnection: true,
    wireMeasurable: false,
    distance: { label: "WebSocket message, new connection", roundTrips: 3, why: "TCP handshake, upgrade, message" },
  },
  https: {
    transport: "https",
    serverMode: "echo",
    operation: "echo",
    label: "HTTPS keep-alive",
    short: "HTTPS keep-alive",
    legend: "HTTPS keep-alive",
    subject: "https",
    colour: 10,
    perOperationConnection: false,
    wireMeasurable: true,
    distance: { label: "HTTPS request, keep-alive connection", roundTrips: 1, why: "the request: TLS adds no round trip once the connection is open" },
  },
  "https-close": {
    transport: "https",
    serverMode: "echo",
    operation: "echo",
    label: "HTTPS, new connection per request",
    short: "HTTPS (new connection)",
    legend: "HTTPS new connection",
    subject: "https-close",
    colour: 11,
    perOperationConnection: true,
    wireMeasurable: false,
    distance: { label: "HTTPS request, new connection", roundTrips: 3, why: "TCP handshake, TLS 1.3 handshake, request" },
  },
  wss: {
    transport: "wss",
    serverMode: "echo",
    operation: "echo",
    label: "WSS (WebSocket over TLS)",
    short: "WSS",
    legend: "WSS",
    subject: "wss",
    colour: 12,
    perOperationConnection: false,
    wireMeasurable: true,
    distance: { label: "WSS message, open connection", roundTrips: 1, why: "the message: TLS adds no round trip once the connection is open" },
  },
  "wss-connect": {
    transport: "wss",
    serverMode: "echo",
    operation: "connect",
    label: "WSS handshake (TLS and upgrade)",
    short: "WSS handshake",
    legend: "WSS handshake",
    subject: "wss",
    colour: 13,
    perOperationConnection: true,
    wireMeasurable: false,
  },
  "wss-new": {
    transport: "wss",
    serverMode: "echo",
    operation: "first-reply",
    label: "WSS, new connection per message",
    short: "WSS (new connection)",
    legend: "WSS new connection",
    subject: "wss-new",
    colour: 14,
    perOperationConnection: true,
    wireMeasurable: false,
    distance: { label: "WSS message, new connection", roundTrips: 4, why: "TCP handshake, TLS 1.3 handshake, upgrade, message" },
  },
} as const satisfies Record<string, DriverEntry>;

export type DriverName = keyof typeof DRIVERS;
export const DRIVER_NAMES = Object.keys(DRIVERS) as DriverName[];

/**
 * The transports the bench names: the four the servers speak, and HTTP and WebSocket over TLS
 * (the same servers with --tls). The default set is the lab's four; TLS ones are asked for by name.
 */
export const BENCH_TRANSPORTS = ["tcp", "udp", "ws", "http", "https", "wss"] as const;
export type BenchTransport = (typeof BENCH_TRANSPORTS)[number];
export const DEFAULT_TRANSPORTS: readonly BenchTransport[] = ["tcp", "udp", "ws", "http"];

/**
 * Which drivers stand for a transport in each scenario: its echo driver; rtt adds a request on a
 * new connection where that differs (HTTP); connect times connection set-up (and, through the
 * network relay, where connect() returns at loopback speed, a first reply instead); distance
 * compares an open connection with a new one (TCP only the new one: its open-connection row
 * would repeat WebSocket's).
 */
export interface TransportEntry {
  label: string;
  /** The server that speaks it, and whether over TLS. */
  server: Transport;
  tls: boolean;
  echo: DriverName;
  rtt: DriverName[];
  connect?: { direct: DriverName; relayed: DriverName };
  distance: DriverName[];
  /** The push patterns a server of this transport offers. */
  push: PushKind[];
  /** Connectionless: no set-up to time, loss and reordering to count. */
  datagram: boolean;
}

export const TRANSPORT_DRIVERS = {
  tcp: {
    label: "TCP",
    server: "tcp",
    tls: false,
    echo: "tcp",
    rtt: ["tcp"],
    connect: { direct: "tcp-connect", relayed: "tcp-new" },
    distance: ["tcp-new"],
    push: [],
    datagram: false,
  },
  udp: { label: "UDP", server: "udp", tls: false, echo: "udp", rtt: ["udp"], distance: [], push: [], datagram: true },
  ws: {
    label: "WebSocket",
    server: "ws",
    tls: false,
    echo: "ws",
    rtt: ["ws"],
    connect: { direct: "ws-connect", relayed: "ws-connect" },
    distance: ["ws", "ws-new"],
    push: ["ws"],
    datagram: false,
  },
  http: {
    label: "HTTP",
    server: "http",
    tls: false,
    echo: "http",
    rtt: ["http", "http-close"],
    connect: { direct: "http-close", relayed: "http-close" },
    distance: ["http", "http-close"],
    push: ["sse", "long", "short"],
    datagram: false,
  },
  https: {
    label: "HTTPS",
    server: "http",
    tls: true,
    echo: "https",
    rtt: ["https", "https-close"],
    connect: { direct: "https-close", relayed: "https-close" },
    distance: ["https", "https-close"],
    push: [],
    datagram: false,
  },
  wss: {
    label: "WSS",
    server: "ws",
    tls: true,
    echo: "wss",
    rtt: ["wss"],
    connect: { direct: "wss-connect", relayed: "wss-connect" },
    distance: ["wss", "wss-new"],
    push: [],
    datagram: false,
  },
} as const satisfies Record<BenchTransport, TransportEntry>;

/** Each plain driver and the same over TLS: what TLS adds is the difference between them. */
export const TLS_PAIRS: readonly (readonly [DriverName, DriverName])[] = [
  ["http", "https"],
  ["http-close", "https-close"],
  ["ws", "wss"],
  ["ws-new", "wss-new"],
  ["ws-connect", "wss-connect"],
];

export const PUSH_KINDS = ["ws", "sse", "long", "short"] as const;
export type PushKind = (typeof PUSH_KINDS)[number];

export interface PatternEntry {
  transport: Transport;
  /** In tables: "HTTP short polling" (with ", every 250 ms" where it polls at an interval). */
  label: string;
  /** In chart legends: "short polling" (likewise). */
  legend: string;
  /** In metric names; a polling pattern's interval follows it ("short250"). */
  subject: string;
  /** In the distance section, where "ws" already names the request row. */
  distanceSubject: string;
  /** Polls at an interval the user chooses (--intervals). */
  polls: boolean;
  /** What the lab's reasoning says delivery costs in round trips, as a range, and why. */
  roundTrips: { low: number; high: number; why: string };
  /** Where that differs when events come at least twice per round trip (a poll then always finds some waiting). */
  busyRoundTrips?: { low: number; high: number; why: string };
}

export const PATTERNS = {
  ws: {
    transport: "ws",
    label: "WebSocket push",
    legend: "WebSocket push",
    subject: "ws",
    distanceSubject: "ws-push",
    polls: false,
    roundTrips: { low: 0.5, high: 0.5, why: "one way, sent as it happens" },
  },
  sse: {
    transport: "http",
    label: "Server-Sent Events",
    legend: "SSE",
    subject: "sse",
    distanceSubject: "sse",
    polls: false,
    roundTrips: { low: 0.5, high: 0.5, why: "one way, sent as it happens" },
  },
  long: {
    transport: "http",
    label: "HTTP long polling",
    legend: "long polling",
    subject: "long",
    distanceSubject: "long",
    polls: false,
    roundTrips: { low: 0.5, high: 1.5, why: "one way to a waiting poll, a round trip more while the next poll travels" },
    busyRoundTrips: { low: 1, high: 1, why: "events outpace round trips, so polls go back to back: half a round trip waiting, then one way" },
  },
  short: {
    transport: "http",
    label: "HTTP short polling",
    legend: "short polling",
    subject: "short",
    distanceSubject: "short",
    polls: true,
    roundTrips: { low: 1, high: 1, why: "half a cycle of interval + round trip, then one way" },
  },
} as const satisfies Record<PushKind, PatternEntry>;

/**
 * The lab's comparison, WebSocket against HTTP, as the report's findings and its lab table lay
 * it out: which driver or pattern plays each part.
 */
export const LAB = {
  websocket: { request: "ws", newConnection: "ws-new", push: "ws" },
  http: { request: "http", newConnection: "http-close", longPolling: "long", shortPolling: "short" },
  /** The polling interval the findings compare push with, where it was run. */
  findingsPollMs: 250,
} as const satisfies {
  websocket: { request: DriverName; newConnection: DriverName; push: PushKind };
  http: { request: DriverName; newConnection: DriverName; longPolling: PushKind; shortPolling: PushKind };
  findingsPollMs: number;
};
