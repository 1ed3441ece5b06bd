// What one operation is against a server socketlab did not write (a URL target): the request or
// message sent, and what counts as its answer. Plain data, carried to the swarm processes in
// their job and written into the result, so a report can say exactly what was asked.

/** How messages are delimited on a byte stream: our 4-byte length prefix, none (a plain echo: the reply is the message's own bytes), or a newline. */
export const FRAMES = ["length", "none", "line"] as const;
export type Frame = (typeof FRAMES)[number];

/** How a reply is matched to its message: our header echoed back inside it, or whatever comes next, in order. */
export const MATCHES = ["echo", "any"] as const;
export type Match = (typeof MATCHES)[number];

/** The URL schemes --target takes, each naming the transport it speaks. */
export const SCHEMES = ["http", "https", "ws", "wss", "tcp", "udp"] as const;
export type Scheme = (typeof SCHEMES)[number];

export interface UrlExchange {
  /** The target as given, with any user:password removed: for the report. */
  url: string;
  scheme: Scheme;
  /** HTTP and WebSocket: the path and query ("/" at least). */
  path: string;
  /** HTTP: the method (GET unless told). */
  method: string;
  /** HTTP request header fields, and the WebSocket upgrade's, as given (values of credentials included: the report redacts them). */
  headers: [string, string][];
  /**
   * The bytes of each message (TCP, UDP, WebSocket) or request body (HTTP), base64: `--message`
   * or `--body`. Absent: HTTP sends no body; the others send our header at --size bytes, which
   * an echo server sends back and `match: "echo"` checks.
   */
  payloadBase64?: string;
  /** HTTP: the statuses that count as success; empty means any 2xx. Others are errors by code ("http-404"). */
  expectStatus: number[];
  frame: Frame;
  match: Match;
  /** WebSocket: the subprotocol to ask for. */
  subprotocol?: string;
  /** HTTP: a new connection per request (otherwise keep-alive). */
  newConnection: boolean;
  /** HTTP: requests in flight per keep-alive connection (1: no pipelining). */
  pipeline: number;
}

/** Header fields whose values are secrets: a report names them and hides the value. */
const CREDENTIALS = /^(authorization|proxy-authorization|cookie|set-cookie|x-api-key|api-key|x-auth-token)$|token|secret|password/i;

/** The header fields for a report: credentials' values replaced by "(redacted)". */
export function redactedHeaders(headers: [string, string][]): [string, string][] {
  return headers.map(([name, value]) => [name, CREDENTIALS.test(name) ? "(redacted)" : value]);
}

/**
 * A command line as a result records it: the values of credential headers (-H, --header) and
 * a URL's user:password replaced, so a shared report does not hand out secrets.
 */
export function redactedArgv(argv: string[]): string[] {
  const header = (h: string): string => {
    const colon = h.indexOf(":");
    return colon > 0 && CREDENTIALS.test(h.slice(0, colon).trim()) ? `${h.slice(0, colon)}: (redacted)` : h;
  };
  return argv.map((arg, i) => {
    const prev = argv[i - 1];
    if (prev === "-H" || prev === "--header") return header(arg);
    if (arg.startsWith("--header=")) return `--header=${header(arg.slice(9))}`;
    return arg.replace(/^([a-z]+:\/\/)[^/@\s]*@/i, "$1(redacted)@");
  });
}

/** Whether an HTTP status counts as success for this exchange. */
export function statusExpected(exchange: Pick<UrlExchange, "expectStatus">, status: number): boolean {
  return exchange.expectStatus.length === 0 ? status >= 200 && status < 300 : exchange.expectStatus.includes(status);
}

/** The error kind a response with an unexpected status is counted under. */
export function statusKind(status: number): string {
  return `http-${status}`;
}

/** The exchange as a result file records it: credentials redacted, the message's bytes left out. */
export function recordedExchange(x: UrlExchange): UrlExchange {
  const { payloadBase64: _bytes, ...rest } = x;
  return { ...rest, headers: redactedHeaders(x.headers) };
}
