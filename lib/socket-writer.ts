// Bun's TCP `socket.write` does not buffer: it returns how many bytes the kernel took (possibly
// fewer than asked, 0 when full, -1 once the socket is closing). This keeps the unsent tail,
// resends it on `drain` (which can fire spuriously, so it simply tries again), and refuses to
// queue beyond `limit` bytes so a peer that never reads cannot grow our memory without bound.

/** What a client may have queued unsent (a window of large messages), in bytes. */
export const MAX_QUEUED_BYTES = 256 << 20;

export interface WritableSocket {
  write(data: Uint8Array): number;
}

/** What writes whole messages: a SocketWriter, or a GatheringWriter in front of one. */
export interface MessageWriter {
  write(data: Uint8Array): boolean;
}

export class SocketWriter implements MessageWriter {
  private queue: Uint8Array[] = [];
  private queuedBytes = 0;
  /** Times the kernel took less than offered: shows the resume-on-drain path was exercised. */
  shortWrites = 0;
  closed = false;

  constructor(
    private readonly socket: WritableSocket,
    readonly limit: number,
  ) {}

  get pending(): number {
    return this.queuedBytes;
  }

  /** Sends or queues data. Returns false when the queue limit would be exceeded or the socket is gone. */
  write(data: Uint8Array): boolean {
    if (this.closed) return false;
    if (this.queue.length > 0) return this.enqueue(data, 0);
    const n = this.socket.write(data);
    if (n < 0) {
      this.closed = true;
      return false;
    }
    if (n === data.length) return true;
    this.shortWrites++;
    return this.enqueue(data, n);
  }

  /** Call from the socket's drain handler. */
  drain(): void {
    while (this.queue.length > 0) {
      const head = this.queue[0]!;
      const n = this.socket.write(head);
      if (n < 0) {
        this.closed = true;
        return;
      }
      this.queuedBytes -= n;
      if (n < head.length) {
        this.shortWrites++;
        this.queue[0] = head.subarray(n);
        return;
      }
      this.queue.shift();
    }
  }

  private enqueue(data: Uint8Array, from: number): boolean {
    const rest = data.length - from;
    if (this.queuedBytes + rest > this.limit) return false;
    // Copy, for real: the caller's bytes may be a view of a receive buffer, and Buffer#slice (what
    // Bun hands to data handlers) returns a view, not a copy; the Uint8Array constructor copies.
    this.queue.push(new Uint8Array(data.subarray(from)));
    this.queuedBytes += rest;
    return true;
  }
}

/** Messages up to this size are gathered into one write per turn; larger ones go on their own. */
const GATHER_MAX_BYTES = 4096;
const GATHER_BUFFER_BYTES = 64 * 1024;

/** How a message is framed on the wire (our length prefix, a WebSocket frame); none: as it is. */
export interface Framing {
  /** Bytes the framing puts before a payload of `length` bytes. */
  headerBytes(length: number): number;
  /** Writes the framed payload at `at` in `into` (room for header and payload is there). */
  encode(payload: Uint8Array, into: Uint8Array, at: number): void;
  /**
   * Where the payload travels unchanged after its header: the header alone, so that a large
   * message goes in two writes instead of being copied. Absent: the framing transforms the
   * payload (WebSocket masking), and a large message is framed into a buffer of its own.
   */
  header?(length: number): Uint8Array;
}

/**
 * Gathers the messages written in one turn of the event loop and writes them together, once,
 * as the turn ends (a microtask): a pipeline's replies, answered in a burst, cost one system
 * call instead of one each. Where the last turn had a lone message (a round trip, one in
 * flight), a turn's first message goes out at once instead, and waits for nothing. Each
 * message is framed on the way in (`framing`). A message is timed from when the load model
 * issued it, so a gathered one includes the moments until its batch leaves, as it would for
 * any client that pipelines.
 */
export class GatheringWriter implements MessageWriter {
  private readonly buffer = new Uint8Array(GATHER_BUFFER_BYTES);
  /** Where a large message is framed, when the framing transforms its payload. */
  private large = new Uint8Array(0);
  /** The buffer's first bytes as last written: kept while the length repeats. */
  private view = new Uint8Array(0);
  private used = 0;
  private scheduled = false;
  /** Messages written in this turn, and in the last one. */
  private inTurn = 0;
  private lastTurn = 0;
  /** As the turn ends: what was gathered goes, and the turn's count is kept for the next. */
  private readonly flushTask = (): void => {
    this.scheduled = false;
    this.lastTurn = this.inTurn;
    this.inTurn = 0;
    this.flush();
  };

  constructor(
    private readonly writer: SocketWriter,
    private readonly framing?: Framing,
  ) {}

  /** Gathers (or, when large, writes) one message; false where the writer would refuse it. */
  write(payload: Uint8Array): boolean {
    if (this.writer.closed) return false;
    const need = payload.length + (this.framing ? this.framing.headerBytes(payload.length) : 0);
    if (this.writer.pending + this.used + need > this.writer.limit) return false;
    this.inTurn++;
    if (!this.scheduled) {
      // The turn's first message; a microtask marks where the turn ends. Alone last time: straight out.
      this.scheduled = true;
      queueMicrotask(this.flushTask);
      if (this.lastTurn <= 1) return this.direct(payload, need);
    }
    if (need > GATHER_MAX_BYTES) {
      this.flush();
      return this.direct(payload, need);
    }
    if (this.used + need > this.buffer.length) this.flush();
    if (this.framing) this.framing.encode(payload, this.buffer, this.used);
    else this.buffer.set(payload, this.used);
    this.used += need;
    return true;
  }

  /**
   * One message written on its own, framed if need be: a small one through the buffer (empty
   * then: nothing is gathered before a turn's first message or after a flush).
   */
  private direct(payload: Uint8Array, need: number): boolean {
    const framing = this.framing;
    if (!framing) return this.writer.write(payload);
    if (need <= GATHER_MAX_BYTES) {
      framing.encode(payload, this.buffer, 0);
      return this.writer.write(this.first(need));
    }
    if (framing.header) return this.writer.write(framing.header(payload.length)) && this.writer.write(payload);
    // Placed so that the payload starts on a word boundary, where a framing can work in words;
    // in a buffer kept for the next large message (the writer copies what it cannot send).
    const pad = (4 - ((need - payload.length) & 3)) & 3;
    if (this.large.length < pad + need) this.large = new Uint8Array(pad + need);
    const frame = this.large.subarray(pad, pad + need);
    framing.encode(payload, frame, 0);
    return this.writer.write(frame);
  }

  /** Writes what was gathered (the writer copies whatever the kernel does not take at once). */
  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writer.write(this.first(n));
  }

  /**
   * The buffer's first `n` bytes. A view is an object allocated, and a round trip's messages are
   * all one size: one view serves them all (the writer copies whatever it cannot send at once).
   */
  private first(n: number): Uint8Array {
    if (this.view.length !== n) this.view = this.buffer.subarray(0, n);
    return this.view;
  }
}
