// Bun's TCP `socket.write` does not buffer: it returns how many bytes the kernel took (possibly
// fewer than asked, 0 when full, -1 once the socket is closing). This keeps the unsent tail,
// resends it on `drain` (which can fire spuriously, so it simply tries again), and refuses to
// queue beyond `limit` bytes so a peer that never reads cannot grow our memory without bound.

export interface WritableSocket {
  write(data: Uint8Array): number;
}

export class SocketWriter {
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
