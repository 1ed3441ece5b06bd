/** Free slot, in flight, in flight and measured. */
const FREE = 0;
const PENDING = 1;
const MEASURED = 2;

/**
 * The operations one pipe has in flight, by sequence number: when each was due, when it was
 * sent, and whether it is measured. Sequence numbers are handed out in order, so operations live
 * in a ring indexed by their number, spanning the oldest still in flight to the newest: no object
 * and no map entry per operation (a Map of objects here cost more per message than the three
 * histogram records together). The ring doubles when the span outgrows it, so its size follows
 * the rate times the time the oldest operation stays in flight, which the session's timeout
 * bounds.
 */
export class InflightTable {
  private intended = new Float64Array(64);
  private sent = new Float64Array(64);
  private state = new Uint8Array(64);
  private mask = 63;
  /** No operation below this number is in flight. */
  private oldest = 0;
  /** The number the next operation gets. */
  private next = 0;
  /** Operations in flight. */
  size = 0;

  /** Operations numbered so far (the next one's number). */
  get issued(): number {
    return this.next;
  }

  /** Puts the next operation in flight and returns its number. */
  add(intended: number, sent: number, measured: boolean): number {
    if (this.next - this.oldest > this.mask) this.grow();
    const slot = this.next & this.mask;
    this.intended[slot] = intended;
    this.sent[slot] = sent;
    this.state[slot] = measured ? MEASURED : PENDING;
    this.size++;
    return this.next++;
  }

  /** Whether operation `seq` is in flight. */
  has(seq: number): boolean {
    return seq >= this.oldest && seq < this.next && this.state[seq & this.mask] !== FREE;
  }

  /** When in-flight operation `seq` was due. */
  intendedOf(seq: number): number {
    return this.intended[seq & this.mask]!;
  }

  /** When in-flight operation `seq` was sent. */
  sentOf(seq: number): number {
    return this.sent[seq & this.mask]!;
  }

  /** Whether in-flight operation `seq` was issued in the measured phase. */
  measuredOf(seq: number): boolean {
    return this.state[seq & this.mask] === MEASURED;
  }

  /** Takes in-flight operation `seq` out; the oldest bound moves past every ended operation. */
  remove(seq: number): void {
    this.state[seq & this.mask] = FREE;
    this.size--;
    if (seq !== this.oldest) return;
    while (this.oldest < this.next && this.state[this.oldest & this.mask] === FREE) this.oldest++;
  }

  /** The in-flight operations' numbers, oldest first (a copy: the table may change meanwhile). */
  inOrder(): number[] {
    const out: number[] = [];
    for (let seq = this.oldest; seq < this.next; seq++) if (this.state[seq & this.mask] !== FREE) out.push(seq);
    return out;
  }

  /** The oldest operation in flight, or -1. */
  first(): number {
    return this.size === 0 ? -1 : this.oldest;
  }

  private grow(): void {
    const capacity = 2 * (this.mask + 1);
    const mask = capacity - 1;
    const intended = new Float64Array(capacity);
    const sent = new Float64Array(capacity);
    const state = new Uint8Array(capacity);
    for (let seq = this.oldest; seq < this.next; seq++) {
      const from = seq & this.mask;
      const to = seq & mask;
      intended[to] = this.intended[from]!;
      sent[to] = this.sent[from]!;
      state[to] = this.state[from]!;
    }
    this.intended = intended;
    this.sent = sent;
    this.state = state;
    this.mask = mask;
  }
}
