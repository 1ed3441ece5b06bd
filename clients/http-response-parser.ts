// An incremental HTTP/1.1 response parser, for the lean HTTP client: status line, header fields,
// and bodies framed by Content-Length, chunked Transfer-Encoding or the end of the connection.
import { grownBuffer } from "../lib/bytes.ts";
import { printable } from "../lib/text.ts";

/** Status line plus header fields (and, separately, chunked trailers) may take this much. */
const MAX_HEAD_BYTES = 64 << 10;
/** A response body bigger than this is refused rather than buffered (the echo limit is 1 MiB). */
const MAX_BODY_BYTES = 64 << 20;

export const LF = 10;
export const CR = 13;
const SP = 32;
const TAB = 9;

const latin1 = new TextDecoder("latin1");
export const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

/** A response that is not HTTP/1.x as we can read it. The message is one line. */
export class HttpParseError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "HttpParseError";
  }
}

export interface ResponseHandler {
  /** The status line and header fields are in. Return false to stop parsing (the caller gives up on the connection). */
  onHead(parser: ResponseParser): boolean;
  /**
   * A complete body: `bytes` from `start` to `end`, a range of the chunk given to push() or of a
   * buffer the parser reuses for the next response; copy it to keep it. A range, not a view, as
   * clients/types.ts EchoHandlers explains.
   */
  onBody(bytes: Uint8Array, start: number, end: number): void;
}

// Parser states. Those up to TRAILER read lines; the others count or collect body bytes.
const STATUS_LINE = 0;
const HEADER_LINE = 1;
const CHUNK_SIZE = 2;
const CHUNK_END = 3;
const TRAILER = 4;
const BODY = 5;
const CHUNK_DATA = 6;
const UNTIL_CLOSE = 7;
const STOPPED = 8;

const CONTENT_LENGTH = ascii("content-length");
const TRANSFER_ENCODING = ascii("transfer-encoding");
const CONNECTION = ascii("connection");
const CLOSE = ascii("close");
const KEEP_ALIVE = ascii("keep-alive");

/**
 * Incremental HTTP/1.1 response parser: status line, header fields (case-insensitive), and a
 * body framed by Content-Length, by chunked Transfer-Encoding, or by the end of the connection.
 * Chunks may split anything anywhere. Only what must outlive a chunk is copied: a line cut by a
 * chunk boundary, or a body that spans chunks (into one buffer reused from response to response,
 * grown by doubling, so a 1 MiB body costs O(n) copying, not O(n^2)). A body that lies whole in
 * one chunk is handed over as a view of that chunk.
 */
export class ResponseParser {
  /** Of the response being parsed (after onHead: of the one just announced). */
  status = 0;
  /** The reason phrase, decoded only for non-2xx statuses (the ones anyone reads). */
  reason = "";
  /** The server will close the connection after this response (Connection: close, HTTP/1.0, or a body ended by the close). */
  closeAfter = false;
  /** Responses completed so far. */
  responses = 0;
  /** Bytes of status lines, header fields, chunk framing and trailers: everything but bodies. */
  framingBytes = 0;
  /** Bytes of bodies delivered. */
  bodyBytes = 0;
  /** The requests are HEAD: responses carry no body, whatever their Content-Length says (RFC 9112 section 6.3). */
  noBody = false;
  /** Content-Length bodies are read past and counted (bodyBytes), and handed over empty: for a caller that only needs to know a response came. */
  discardBodies = false;

  private state = STATUS_LINE;
  private http10 = false;
  private keepAlive = false;
  private contentLength = -1;
  private chunked = false;
  private sectionBytes = 0;
  private line: Uint8Array = new Uint8Array(256);
  private lineLength = 0;
  private body: Uint8Array = new Uint8Array(0);
  private bodyLength = 0;
  private remaining = 0;

  constructor(
    private readonly handler: ResponseHandler,
    private readonly maxBody = MAX_BODY_BYTES,
  ) {}

  /** Nothing is half-parsed: the connection sits between responses. */
  get idle(): boolean {
    return (this.state === STATUS_LINE && this.lineLength === 0) || this.state === STOPPED;
  }

  /** Ignores everything from now on (the connection is being given up). */
  stop(): void {
    this.state = STOPPED;
  }

  /** Feeds bytes from the wire. Throws HttpParseError on a malformed response; parsing stops then. */
  push(chunk: Uint8Array): void {
    const end = chunk.length;
    let pos = 0;
    try {
      while (pos < end) {
        const state = this.state;
        if (state === STOPPED) return;
        if (state === BODY) pos = this.contentBody(chunk, pos);
        else if (state === CHUNK_DATA || state === UNTIL_CLOSE) pos = this.collect(chunk, pos);
        else pos = this.lines(chunk, pos);
      }
    } catch (err) {
      if (err instanceof HttpParseError) this.state = STOPPED;
      throw err;
    }
  }

  /** The connection ended. A body delimited by the close is complete now; anything else half-parsed is an error. */
  end(): void {
    if (this.state === UNTIL_CLOSE) {
      this.state = STOPPED;
      return this.deliver(this.body, 0, this.bodyLength);
    }
    if (this.idle) return;
    const where =
      this.state === BODY
        ? `after ${this.contentLength - this.remaining} of ${this.contentLength} body bytes`
        : this.state === STATUS_LINE
          ? "in the status line"
          : this.state === HEADER_LINE
            ? "in the header fields"
            : `in the chunked body, after ${this.bodyLength} bytes`;
    this.state = STOPPED;
    throw new HttpParseError(`the response was cut off ${where}`);
  }

  /** Finds the next line end; a line cut by the chunk's end waits in `line` for the rest. */
  private lines(chunk: Uint8Array, pos: number): number {
    const lf = chunk.indexOf(LF, pos);
    const stop = lf < 0 ? chunk.length : lf;
    this.sectionBytes += stop - pos + (lf < 0 ? 0 : 1);
    if (this.sectionBytes > MAX_HEAD_BYTES) {
      throw new HttpParseError(
        this.state <= HEADER_LINE ? `response head over ${MAX_HEAD_BYTES} bytes` : `chunk framing line or trailers over ${MAX_HEAD_BYTES} bytes`,
      );
    }
    if (lf < 0) {
      this.keep(chunk, pos, stop);
      return stop;
    }
    if (this.lineLength === 0) {
      this.onLine(chunk, pos, lf);
    } else {
      this.keep(chunk, pos, lf);
      const length = this.lineLength;
      this.lineLength = 0;
      this.onLine(this.line, 0, length);
    }
    return lf + 1;
  }

  private keep(chunk: Uint8Array, from: number, to: number): void {
    const need = this.lineLength + (to - from);
    this.line = grownBuffer(this.line, this.lineLength, need);
    this.line.set(chunk.subarray(from, to), this.lineLength);
    this.lineLength = need;
  }

  /** One line, without its LF (and without a CR before it). */
  private onLine(buf: Uint8Array, start: number, end: number): void {
    this.framingBytes += end - start + 1;
    if (end > start && buf[end - 1] === CR) end--;
    switch (this.state) {
      case STATUS_LINE:
        // Tolerate a stray blank line between responses, as RFC 9112 section 2.2 suggests.
        if (end > start) this.statusLine(buf, start, end);
        return;
      case HEADER_LINE:
        if (end > start) this.headerLine(buf, start, end);
        else this.endOfHead();
        return;
      case CHUNK_SIZE:
        this.sectionBytes = 0; // the limit is per framing line here, not per body
        return this.chunkSize(buf, start, end);
      case CHUNK_END:
        if (end > start) throw new HttpParseError("chunk data longer than its announced size");
        this.sectionBytes = 0;
        this.state = CHUNK_SIZE;
        return;
      case TRAILER:
        if (end === start) this.finish(this.body, 0, this.bodyLength);
        return;
    }
  }

  private statusLine(b: Uint8Array, s: number, e: number): void {
    // "HTTP/1.x NNN reason": the version, one space, three digits, then a space or the end.
    const ok =
      e - s >= 12 &&
      b[s] === 72 &&
      b[s + 1] === 84 &&
      b[s + 2] === 84 &&
      b[s + 3] === 80 &&
      b[s + 4] === 47 &&
      b[s + 5] === 49 &&
      b[s + 6] === 46 &&
      isDigit(b[s + 7]) &&
      b[s + 8] === SP &&
      isDigit(b[s + 9]) &&
      isDigit(b[s + 10]) &&
      isDigit(b[s + 11]) &&
      (e - s === 12 || b[s + 12] === SP);
    if (!ok) throw new HttpParseError(`expected an HTTP/1.x status line, got "${printable(b.subarray(s, e), 60)}"`);
    this.http10 = b[s + 7] === 48;
    this.status = (b[s + 9]! - 48) * 100 + (b[s + 10]! - 48) * 10 + (b[s + 11]! - 48);
    this.reason = this.status >= 200 && this.status < 300 ? "" : printable(b.subarray(s + 13, e), 60);
    this.keepAlive = false;
    this.closeAfter = false;
    this.contentLength = -1;
    this.chunked = false;
    this.state = HEADER_LINE;
  }

  private headerLine(b: Uint8Array, s: number, e: number): void {
    if (b[s] === SP || b[s] === TAB) throw new HttpParseError("obsolete line folding in the response header fields");
    const colon = b.indexOf(58, s);
    if (colon <= s || colon >= e || b[colon - 1] === SP || b[colon - 1] === TAB) {
      throw new HttpParseError(`malformed header field "${printable(b.subarray(s, e), 60)}"`);
    }
    let vs = colon + 1;
    let ve = e;
    while (vs < ve && (b[vs] === SP || b[vs] === TAB)) vs++;
    while (ve > vs && (b[ve - 1] === SP || b[ve - 1] === TAB)) ve--;
    if (nameIs(b, s, colon, CONTENT_LENGTH)) this.setContentLength(b, vs, ve);
    else if (nameIs(b, s, colon, TRANSFER_ENCODING)) this.setTransferEncoding(latin1.decode(b.subarray(vs, ve)));
    else if (nameIs(b, s, colon, CONNECTION)) {
      // Its comma-separated options, compared in place: most servers send this field with every
      // response, and decoding it into strings cost a tenth of a load generator's time.
      for (let ts = vs; ts < ve; ) {
        let te = b.indexOf(44, ts);
        if (te < 0 || te > ve) te = ve;
        let a = ts;
        let z = te;
        while (a < z && (b[a] === SP || b[a] === TAB)) a++;
        while (z > a && (b[z - 1] === SP || b[z - 1] === TAB)) z--;
        if (nameIs(b, a, z, CLOSE)) this.closeAfter = true;
        else if (nameIs(b, a, z, KEEP_ALIVE)) this.keepAlive = true;
        ts = te + 1;
      }
    }
  }

  private setContentLength(b: Uint8Array, s: number, e: number): void {
    let value = 0;
    for (let i = s; i < e; i++) {
      const c = b[i]!;
      if (!isDigit(c) || value > this.maxBody) throw new HttpParseError(`bad Content-Length "${printable(b.subarray(s, e), 30)}"`);
      value = value * 10 + (c - 48);
    }
    if (e === s) throw new HttpParseError("empty Content-Length");
    if (value > this.maxBody) throw new HttpParseError(`Content-Length ${value} is over the ${this.maxBody}-byte limit`);
    if (this.contentLength >= 0 && this.contentLength !== value) throw new HttpParseError("conflicting Content-Length fields");
    this.contentLength = value;
  }

  private setTransferEncoding(value: string): void {
    for (const token of value.toLowerCase().split(",")) {
      const coding = token.trim();
      if (coding === "chunked") this.chunked = true;
      else if (coding !== "") throw new HttpParseError(`unsupported Transfer-Encoding "${printable(coding, 30)}"`);
    }
  }

  private endOfHead(): void {
    const status = this.status;
    this.sectionBytes = 0;
    if (status < 200 && status !== 101) {
      // 1xx informational (100 Continue, 103 Early Hints): a final response follows.
      this.state = STATUS_LINE;
      return;
    }
    if (this.chunked && this.contentLength >= 0) {
      // RFC 9112 section 6.3: such a message "ought to be handled as an error".
      throw new HttpParseError("both Content-Length and Transfer-Encoding");
    }
    // HTTP/1.0 closes unless asked not to; after 101 the connection speaks another protocol.
    if ((this.http10 && !this.keepAlive) || status === 101) this.closeAfter = true;
    this.state = BODY; // a placeholder until framing is decided: onHead may stop the parser
    if (!this.handler.onHead(this)) {
      this.state = STOPPED;
      return;
    }
    if (this.state === STOPPED) return;
    this.bodyLength = 0;
    if (status === 204 || status === 304 || status === 101 || this.noBody) return this.finish(EMPTY, 0, 0);
    if (this.chunked) {
      this.state = CHUNK_SIZE;
    } else if (this.contentLength >= 0) {
      if (this.contentLength === 0) return this.finish(EMPTY, 0, 0);
      this.remaining = this.contentLength;
      this.state = BODY;
    } else {
      this.closeAfter = true;
      this.state = UNTIL_CLOSE;
    }
  }

  private chunkSize(b: Uint8Array, s: number, e: number): void {
    let size = 0;
    let i = s;
    for (; i < e; i++) {
      const digit = hexValue(b[i]!);
      if (digit < 0) break;
      size = size * 16 + digit;
      if (size > this.maxBody) throw new HttpParseError(`chunked body over the ${this.maxBody}-byte limit`);
    }
    // After the digits: nothing, or whitespace and/or ";" chunk extensions (ignored).
    if (i === s || (i < e && b[i] !== 59 && b[i] !== SP && b[i] !== TAB)) {
      throw new HttpParseError(`bad chunk size line "${printable(b.subarray(s, e), 30)}"`);
    }
    if (size === 0) {
      this.state = TRAILER;
      this.sectionBytes = 0;
      return;
    }
    if (this.bodyLength + size > this.maxBody) throw new HttpParseError(`chunked body over the ${this.maxBody}-byte limit`);
    this.reserve(this.bodyLength + size);
    this.remaining = size;
    this.state = CHUNK_DATA;
  }

  /** Content-Length body: a range of the chunk when it lies whole in it, else copied into the reused buffer. */
  private contentBody(chunk: Uint8Array, pos: number): number {
    const available = chunk.length - pos;
    if (this.discardBodies) {
      // Counted, not kept: even a view of the chunk (a Buffer, from Bun) cost a tenth of a load
      // generator's time at one response per read.
      const n = Math.min(available, this.remaining);
      this.remaining -= n;
      if (this.remaining === 0) {
        this.bodyBytes += this.contentLength;
        this.finish(EMPTY, 0, 0);
      }
      return pos + n;
    }
    if (this.remaining === this.contentLength && available >= this.remaining) {
      const end = pos + this.remaining;
      this.finish(chunk, pos, end);
      return end;
    }
    if (this.remaining === this.contentLength && this.body.length < this.contentLength) this.body = new Uint8Array(this.contentLength);
    const n = Math.min(available, this.remaining);
    this.body.set(chunk.subarray(pos, pos + n), this.contentLength - this.remaining);
    this.remaining -= n;
    if (this.remaining === 0) this.finish(this.body, 0, this.contentLength);
    return pos + n;
  }

  /** Chunk data, or a body that runs to the close: appended to the growing buffer. */
  private collect(chunk: Uint8Array, pos: number): number {
    const chunkData = this.state === CHUNK_DATA;
    const n = chunkData ? Math.min(chunk.length - pos, this.remaining) : chunk.length - pos;
    if (!chunkData) {
      if (this.bodyLength + n > this.maxBody) throw new HttpParseError(`body over the ${this.maxBody}-byte limit`);
      this.reserve(this.bodyLength + n);
    }
    this.body.set(chunk.subarray(pos, pos + n), this.bodyLength);
    this.bodyLength += n;
    if (chunkData) {
      this.remaining -= n;
      if (this.remaining === 0) this.state = CHUNK_END;
    }
    return pos + n;
  }

  /** Capacity for `size` body bytes, keeping those collected; doubles so appending stays linear. */
  private reserve(size: number): void {
    if (size <= this.body.length) return;
    // At least 4 KiB (bodies start from an empty buffer), at most the body limit.
    this.body = grownBuffer(this.body, this.bodyLength, Math.max(size, Math.min(4096, this.maxBody)), Math.max(size, this.maxBody));
  }

  private finish(bytes: Uint8Array, start: number, end: number): void {
    this.state = this.closeAfter ? STOPPED : STATUS_LINE;
    this.sectionBytes = 0;
    this.deliver(bytes, start, end);
  }

  private deliver(bytes: Uint8Array, start: number, end: number): void {
    this.responses++;
    this.bodyBytes += end - start;
    this.handler.onBody(bytes, start, end);
  }
}

const EMPTY = new Uint8Array(0);

function isDigit(c: number | undefined): boolean {
  return c !== undefined && c >= 48 && c <= 57;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** b[s..e) equals `lower` ignoring ASCII case. */
function nameIs(b: Uint8Array, s: number, e: number, lower: Uint8Array): boolean {
  if (e - s !== lower.length) return false;
  for (let i = 0; i < lower.length; i++) {
    let c = b[s + i]!;
    if (c >= 65 && c <= 90) c |= 0x20;
    if (c !== lower[i]) return false;
  }
  return true;
}
