// Bun's TCP `socket.write` does not buffer: it returns how many bytes the kernel took (possibly
// fewer than asked, 0 when full, -1 once the socket is closing). This keeps the unsent tail,
// resends it on `drain` (which can fire spuriously, so it simply tries again), and refuses to
// queue beyond `limit` bytes so a peer that never reads cannot grow our memory without bound.

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

/**
 * Gathers the messages written in one turn of the event loop and writes them together, once,
 * as the turn ends (a microtask): a pipeline's replies, answered in a burst, cost one system
 * call instead of one each. Where the last turn had a lone message (a round trip, one in
 * flight), a turn's first message goes out at once instead, and waits for nothing. Each
 * message may get our 4-byte length prefix on the way in (`prefixed`). A message is timed from
 * when the load model issued it, so a gathered one includes the moments until its batch
 * leaves, as it would for any client that pipelines.
 */
export class GatheringWriter implements MessageWriter {
  private readonly buffer = new Uint8Array(GATHER_BUFFER_BYTES);
  private readonly view = new DataView(this.buffer.buffer);
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
    private readonly prefixed: boolean,
  ) {}

  /** Gathers (or, when large, writes) one message; false where the writer would refuse it. */
  write(payload: Uint8Array): boolean {
    if (this.writer.closed) return false;
    const need = payload.length + (this.prefixed ? 4 : 0);
    if (this.writer.pending + this.used + need > this.writer.limit) return false;
    this.inTurn++;
    if (!this.scheduled) {
      // The turn's first message; a microtask marks where the turn ends. Alone last time: straight out.
      this.scheduled = true;
      queueMicrotask(this.flushTask);
      if (this.lastTurn <= 1) return this.direct(payload);
    }
    if (payload.length > GATHER_MAX_BYTES) {
      this.flush();
      return this.direct(payload);
    }
    if (this.used + need > this.buffer.length) this.flush();
    if (this.prefixed) {
      this.view.setUint32(this.used, payload.length);
      this.used += 4;
    }
    this.buffer.set(payload, this.used);
    this.used += payload.length;
    return true;
  }

  /**
   * One message written on its own, prefixed if need be: a small one through the buffer (empty
   * then: nothing is gathered before a turn's first message or after a flush).
   */
  private direct(payload: Uint8Array): boolean {
    if (!this.prefixed) return this.writer.write(payload);
    if (payload.length <= GATHER_MAX_BYTES) {
      this.view.setUint32(0, payload.length);
      this.buffer.set(payload, 4);
      return this.writer.write(this.buffer.subarray(0, payload.length + 4));
    }
    const header = new Uint8Array(4);
    new DataView(header.buffer).setUint32(0, payload.length);
    return this.writer.write(header) && this.writer.write(payload);
  }

  /** Writes what was gathered (the writer copies whatever the kernel does not take at once). */
  flush(): void {
    if (this.used === 0) return;
    const n = this.used;
    this.used = 0;
    this.writer.write(this.buffer.subarray(0, n));
  }
}
