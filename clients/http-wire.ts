// A lean HTTP/1.1 echo client on raw TCP (Bun.connect), for measurements fetch cannot make:
// exact control over connections (one keep-alive connection with pipelined requests, or a new
// connection per request) and exact counts of the bytes written to and read from the wire.
import type { Socket } from "bun";
import { describeNetError, hostPort, netRunError, type Target } from "../lib/net.ts";
import { GatheringWriter, MAX_QUEUED_BYTES, type MessageWriter, SocketWriter, type WritableSocket } from "../lib/socket-writer.ts";
import { formatMs, withTimeout } from "../lib/timeout.ts";
import { CR, HttpParseError, LF, ResponseParser, ascii, type ResponseHandler } from "./http-response-parser.ts";
import type { EchoChannel, EchoHandlers, OpenEcho } from "./types.ts";
import { RunError } from "../lib/errors.ts";
import { tlsOption } from "../lib/tls.ts";

/** Larger bodies go to the socket as they are, after their head, instead of being copied behind it. */
const COPY_BODY_BELOW = 16 << 10;
export interface WireEchoOptions {
  /**
   * true (default): one keep-alive connection; requests sent in a row are pipelined on it and
   * replies come back in send order. false: a new connection per request, with
   * `Connection: close`; concurrent sends each get their own connection, and replies come back
   * in the order they complete. send() returns before the connection is made: a failure to
   * connect then closes the channel through onClose.
   *
   * Bun.serve (1.4.4) closes a connection on which more than a few MiB of pipelined requests
   * wait behind responses it cannot send yet; the channel then reports the cut-off response.
   * Keep pipeline depth times body size well under that.
   */
  reuse?: boolean;
  /** Deadline for each connection attempt, and for close() to see the sockets closed, in ms (default 5000). */
  timeoutMs?: number;
  /**
   * For a server socketlab did not write: this request, the same for every send() (whose payload
   * is then ignored), instead of POST /echo with the payload. Replies are the responses' bodies;
   * a response whose status `accept` refuses goes to onReject as "http-<status>" and the channel
   * goes on; a keep-alive connection the server closes between responses is replaced by a new
   * one at the next send (HTTP/1.0 style servers), counted in connectionsOpened.
   */
  request?: FixedRequestSpec;
  accept?: (status: number) => boolean;
  /** onReply gets an empty body for every Content-Length response: the caller only counts answers. */
  discardBodies?: boolean;
}

export interface FixedRequestSpec {
  method: string;
  /** Path and query, starting with "/". */
  path: string;
  /** Header fields as given; a Host among them replaces ours. */
  headers: [string, string][];
  body?: Uint8Array;
}

/** How a channel writes its requests: POST /echo around each payload, or one fixed request. */
interface RequestMaker {
  size(length: number): number;
  write(writer: MessageWriter, payload: Uint8Array): boolean;
  encode(payload: Uint8Array): Uint8Array;
}

/** One request, encoded once: what a load tester sends to a URL. */
class FixedRequest implements RequestMaker {
  private readonly bytes: Uint8Array;

  constructor(host: string, close: boolean, spec: FixedRequestSpec) {
    const fields = spec.headers.some(([name]) => name.toLowerCase() === "host") ? [] : [`Host: ${host}`];
    for (const [name, value] of spec.headers) fields.push(`${name}: ${value}`);
    if (spec.body) fields.push(`Content-Length: ${spec.body.length}`);
    if (close) fields.push("Connection: close");
    const head = new TextEncoder().encode(`${spec.method} ${spec.path} HTTP/1.1\r\n${fields.join("\r\n")}\r\n\r\n`);
    this.bytes = new Uint8Array(head.length + (spec.body?.length ?? 0));
    this.bytes.set(head);
    if (spec.body) this.bytes.set(spec.body, head.length);
  }

  size(): number {
    return this.bytes.length;
  }

  write(writer: MessageWriter): boolean {
    return writer.write(this.bytes);
  }

  encode(): Uint8Array {
    return this.bytes;
  }
}

export interface WireEchoChannel extends EchoChannel {
  /** Bytes the sockets took (request heads and bodies), counted as the kernel accepts them. */
  readonly bytesWritten: number;
  /** Bytes read from the sockets: status lines, header fields, framing and bodies. */
  readonly bytesRead: number;
  /** TCP connections established, the reachability check of reuse=false included. */
  readonly connectionsOpened: number;
  /** How often a socket took less than offered (the resume-on-drain path ran). */
  readonly shortWrites: number;
}

/**
 * `POST /echo` requests. The head is constant but for the Content-Length digits, so its prefix
 * is encoded once; a small request is assembled in one reused buffer and goes out in one write.
 */
class EchoRequests implements RequestMaker {
  private readonly prefix: Uint8Array;
  private readonly scratch: Uint8Array;

  constructor(host: string, close: boolean) {
    const connection = close ? "Connection: close\r\n" : "";
    this.prefix = ascii(`POST /echo HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/octet-stream\r\n${connection}Content-Length: `);
    this.scratch = new Uint8Array(this.prefix.length + 20 + COPY_BODY_BELOW);
    this.scratch.set(this.prefix);
  }

  /** Bytes of the whole request for a body of `length` bytes. */
  size(length: number): number {
    return this.prefix.length + digitCount(length) + 4 + length;
  }

  /**
   * Writes one request. The scratch buffer is safe to reuse at once: SocketWriter copies
   * whatever the socket did not take. False when the socket is gone.
   */
  write(writer: MessageWriter, payload: Uint8Array): boolean {
    const headEnd = this.head(this.scratch, payload.length);
    if (payload.length < COPY_BODY_BELOW) {
      this.scratch.set(payload, headEnd);
      return writer.write(this.scratch.subarray(0, headEnd + payload.length));
    }
    return writer.write(this.scratch.subarray(0, headEnd)) && writer.write(payload);
  }

  /** One request in a buffer of its own, for a connection that is not open yet. */
  encode(payload: Uint8Array): Uint8Array {
    const out = new Uint8Array(this.size(payload.length));
    out.set(this.prefix);
    out.set(payload, this.head(out, payload.length));
    return out;
  }

  /** Completes the head in `into` (which starts with the prefix); returns where the body goes. */
  private head(into: Uint8Array, length: number): number {
    let end = this.prefix.length + digitCount(length);
    for (let i = end - 1, n = length; i >= this.prefix.length; i--, n = Math.floor(n / 10)) into[i] = 48 + (n % 10);
    into[end++] = CR;
    into[end++] = LF;
    into[end++] = CR;
    into[end++] = LF;
    return end;
  }
}

function digitCount(n: number): number {
  let digits = 1;
  while (n >= 10) {
    n = Math.floor(n / 10);
    digits++;
  }
  return digits;
}

/** One TCP connection of a channel: its socket, writer and parser. */
class Wire implements WritableSocket, ResponseHandler {
  socket: Socket<Wire> | undefined;
  readonly writer = new SocketWriter(this, MAX_QUEUED_BYTES);
  /** Pipelined requests written in one turn leave in one write. */
  readonly gather = new GatheringWriter(this.writer);
  readonly parser = new ResponseParser(this);
  /** Requests written whose responses have not come back. */
  outstanding = 0;
  /** Given up or done with: its close is expected, not a failure. */
  finished = false;
  /** Settles once the connection can carry requests (over TLS: after the handshake). */
  readonly usable: Promise<void>;
  settle: (err?: Error) => void = () => {};

  constructor(
    readonly channel: WireEcho,
    /** reuse=false: the request to write once connected. */
    public request?: Uint8Array,
  ) {
    this.usable = new Promise<void>((resolve, reject) => {
      this.settle = (err) => (err ? reject(err) : resolve());
    });
    this.usable.catch(() => {}); // a failure is also reported through the channel
  }

  /** The writer's socket: counts what the kernel took. */
  write(data: Uint8Array): number {
    const n = this.socket!.write(data);
    if (n > 0) this.channel.bytesWritten += n;
    return n;
  }

  onHead(parser: ResponseParser): boolean {
    return this.channel.head(this, parser);
  }

  onBody(bytes: Uint8Array, start: number, end: number): void {
    this.channel.reply(this, bytes, start, end);
  }
}

// One handler set for every connection; each socket's own state is its `data`, a Wire.
const HANDLERS = {
  // Over TLS, Bun takes no bytes before the handshake: the connection is opened once it is done.
  open: (socket: Socket<Wire>) => (socket.data.channel.tls ? undefined : socket.data.channel.opened(socket.data, socket)),
  handshake: (socket: Socket<Wire>, ok: boolean, err: Error | null) =>
    ok ? socket.data.channel.opened(socket.data, socket) : socket.data.channel.failed(socket.data, err ?? new Error("TLS handshake failed")),
  data: (socket: Socket<Wire>, chunk: Uint8Array) => socket.data.channel.received(socket.data, chunk),
  drain: (socket: Socket<Wire>) => socket.data.writer.drain(),
  close: (socket: Socket<Wire>, err?: Error) => socket.data.channel.closed(socket.data, err),
  error: (socket: Socket<Wire>, err: Error) => socket.data.channel.failed(socket.data, err),
};

class WireEcho implements WireEchoChannel {
  bytesWritten = 0;
  bytesRead = 0;
  connectionsOpened = 0;
  /** close() was called or the channel failed: no more sends, no more callbacks. */
  private done = false;
  /** reuse=true: the one connection. */
  private main: Wire | undefined;
  /** Connections connecting or open; each leaves when its socket closes or its attempt fails. */
  private readonly live = new Set<Wire>();
  private shortWritesOfClosed = 0;
  private onAllClosed: (() => void) | undefined;
  private readonly where: string;
  private readonly requests: RequestMaker;
  /** A fixed request's channel: statuses `accept` refuses are rejections, and closed keep-alive connections are replaced. */
  private readonly accept: ((status: number) => boolean) | undefined;
  /** Over TLS (the target says so). */
  readonly tls: boolean;

  constructor(
    private readonly target: Target,
    private readonly handlers: EchoHandlers,
    private readonly reuse: boolean,
    private readonly timeoutMs: number,
    request?: FixedRequestSpec,
    accept?: (status: number) => boolean,
    discardBodies = false,
  ) {
    this.tls = target.tls !== undefined;
    this.where = hostPort(target.host, target.port);
    this.requests = request ? new FixedRequest(this.where, !reuse, request) : new EchoRequests(this.where, !reuse);
    this.accept = request ? (accept ?? ((status) => status >= 200 && status < 300)) : undefined;
    this.noBody = request?.method.toUpperCase() === "HEAD";
    this.discardBodies = discardBodies;
  }

  /** HEAD requests: their responses have no body. */
  readonly noBody: boolean;
  /** Replies are wanted for their arrival, not their bytes (a fixed request whose answers are not compared). */
  readonly discardBodies: boolean;

  get shortWrites(): number {
    let sum = this.shortWritesOfClosed;
    for (const wire of this.live) sum += wire.writer.shortWrites;
    return sum;
  }

  /** Connects (reuse=true), or checks once that the server accepts connections (reuse=false). */
  async open(): Promise<void> {
    const wire = new Wire(this);
    await this.connect(wire);
    if (this.reuse) this.main = wire;
    else {
      wire.finished = true;
      wire.socket?.end();
    }
  }

  send(payload: Uint8Array): boolean {
    if (this.done) return false;
    const wire = this.main;
    if (wire === undefined) return this.sendOnNewConnection(payload);
    // After a "Connection: close" response the server answers nothing more on this connection:
    // a fixed request's channel moves to a new one (once the old has answered everything).
    if (wire.parser.closeAfter || wire.writer.closed || wire.finished) {
      if (this.accept === undefined || wire.outstanding > 0) return false;
      this.main = new Wire(this, this.requests.encode(payload));
      this.connect(this.main).catch((err: unknown) => this.fail(err instanceof Error ? err.message : String(err)));
      return true;
    }
    if (wire.socket === undefined) return false; // still connecting: one request waits in it already
    if (wire.writer.pending + this.requests.size(payload.length) > wire.writer.limit) return false;
    if (!this.requests.write(wire.gather, payload)) return false;
    wire.outstanding++;
    return true;
  }

  async close(): Promise<void> {
    if (!this.done) {
      this.done = true;
      for (const wire of this.live) this.giveUp(wire, false);
    }
    if (this.live.size === 0) return;
    // Wait (bounded) for the sockets to close, so the byte counters are final on return.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(finish, this.timeoutMs);
      this.onAllClosed = finish;
      function finish(): void {
        clearTimeout(timer);
        resolve();
      }
    });
    this.onAllClosed = undefined;
    for (const wire of this.live) wire.socket?.terminate();
  }

  private sendOnNewConnection(payload: Uint8Array): boolean {
    // Encoded now: the caller may reuse payload's memory once send returns.
    const wire = new Wire(this, this.requests.encode(payload));
    this.connect(wire).catch((err: unknown) => this.fail(err instanceof Error ? err.message : String(err)));
    return true;
  }

  /** Bun.connect with a deadline; rejects with a RunError a person can read. */
  private async connect(wire: Wire): Promise<void> {
    const { host, port } = this.target;
    this.live.add(wire);
    const attempt = Bun.connect<Wire>({ hostname: host, port, data: wire, socket: HANDLERS, ...tlsOption(this.target.tls) }).catch((err: unknown) => {
      throw netRunError(err, host, port);
    });
    try {
      // opened() has normally set it already; this covers a promise that settles first.
      const started = performance.now();
      wire.socket ??= await withTimeout(attempt, this.timeoutMs, `timed out after ${formatMs(this.timeoutMs)} connecting to ${this.where}`);
      // One deadline for both: what the connect left of it goes to the handshake.
      const left = Math.max(1, this.timeoutMs - (performance.now() - started));
      if (this.tls)
        await withTimeout(wire.usable, left, `timed out after ${formatMs(this.timeoutMs)} in the TLS handshake with ${this.where} (is it a TLS server?)`);
    } catch (err) {
      // A connection that opens after the deadline is closed by opened(); one open but stuck in
      // its handshake is closed here.
      wire.socket?.terminate();
      wire.finished = true;
      this.forget(wire);
      throw err;
    }
  }

  opened(wire: Wire, socket: Socket<Wire>): void {
    wire.socket = socket;
    this.connectionsOpened++;
    wire.settle();
    if (wire.finished || this.done) {
      socket.terminate();
      return;
    }
    socket.setNoDelay(true); // pipelined requests must not wait for the previous one's ACK
    wire.parser.noBody = this.noBody;
    wire.parser.discardBodies = this.discardBodies;
    const request = wire.request;
    if (request) {
      wire.request = undefined;
      wire.outstanding = 1;
      wire.writer.write(request);
    }
  }

  received(wire: Wire, chunk: Uint8Array): void {
    this.bytesRead += chunk.length;
    if (wire.finished) return;
    try {
      wire.parser.push(chunk);
    } catch (err) {
      if (!(err instanceof HttpParseError)) throw err;
      this.fail(`malformed response from ${this.where}: ${err.message}`);
    }
  }

  head(wire: Wire, parser: ResponseParser): boolean {
    // A fixed request's channel reads every response to its end, wanted or not (onReject).
    if (this.accept !== undefined && wire.outstanding > 0) return true;
    const ok = parser.status >= 200 && parser.status < 300;
    // A response nobody asked for would shift every later reply onto the wrong request.
    if (ok && wire.outstanding > 0) return true;
    this.fail(
      ok
        ? `response from ${this.where} to no request (HTTP ${parser.status})`
        : `HTTP ${parser.status}${parser.reason ? ` ${parser.reason}` : ""} from ${this.where}`,
    );
    return false;
  }

  reply(wire: Wire, bytes: Uint8Array, start: number, end: number): void {
    if (this.done) return;
    wire.outstanding--;
    const status = wire.parser.status;
    const deliver = (): void => {
      if (this.accept === undefined || this.accept(status)) this.handlers.onReply(bytes, start, end);
      else this.handlers.onReject?.(`http-${status}`);
    };
    if (this.reuse) return deliver();
    wire.finished = true;
    try {
      deliver();
    } finally {
      wire.socket?.end();
    }
  }

  closed(wire: Wire, err: Error | undefined): void {
    this.forget(wire);
    if (wire.finished || this.done) return;
    wire.finished = true;
    try {
      wire.parser.end(); // completes a body that runs to the close
    } catch (cut) {
      if (!(cut instanceof HttpParseError)) throw cut;
      return this.fail(`${this.where} closed the connection mid-response: ${cut.message}`);
    }
    // Answered, by a body that ran to the close; or a fixed request's keep-alive connection
    // closed between responses, replaced at the next send.
    if (wire.outstanding === 0 && (!this.reuse || this.accept !== undefined)) return;
    if (err) return this.fail(describeNetError(err, this.target.host, this.target.port));
    if (wire.outstanding > 0)
      return this.fail(`${this.where} closed the connection with ${wire.outstanding} request${wire.outstanding === 1 ? "" : "s"} unanswered`);
    this.fail(`${this.where} closed the connection${wire.parser.closeAfter ? " (as its last response announced)" : " (idle keep-alive connection)"}`);
  }

  /** A socket error, or an exception from a handler (onReply included): the channel cannot go on. */
  failed(wire: Wire, err: Error): void {
    wire.settle(new RunError(describeNetError(err, this.target.host, this.target.port)));
    wire.finished = true;
    wire.socket?.terminate();
    this.fail(describeNetError(err, this.target.host, this.target.port));
  }

  private fail(reason: string): void {
    if (this.done) return;
    this.done = true;
    for (const wire of this.live) this.giveUp(wire, true);
    this.handlers.onClose?.(reason);
  }

  private giveUp(wire: Wire, abrupt: boolean): void {
    wire.finished = true;
    wire.parser.stop();
    if (abrupt) wire.socket?.terminate();
    else {
      wire.gather.flush();
      wire.socket?.end();
    }
  }

  private forget(wire: Wire): void {
    if (!this.live.delete(wire)) return;
    this.shortWritesOfClosed += wire.writer.shortWrites;
    if (this.live.size === 0) this.onAllClosed?.();
  }
}

/**
 * HTTP echo on POST /echo over raw TCP, with exact control over connections and exact byte
 * counts. Rejects with a RunError when the server cannot be reached within timeoutMs.
 */
export async function openWireEcho(target: Target, handlers: EchoHandlers, options: WireEchoOptions = {}): Promise<WireEchoChannel> {
  const channel = new WireEcho(target, handlers, options.reuse ?? true, options.timeoutMs ?? 5000, options.request, options.accept, options.discardBodies);
  await channel.open();
  return channel;
}

/** The registry's entry (clients/index.ts), under the name every client file gives its echo channel. */
export const openEcho: OpenEcho = (target, handlers) => openWireEcho(target, handlers);
