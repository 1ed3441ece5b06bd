/** Free slot, in flight, in flight and measured. */
const FREE = 0;
const PENDING = 1;
const MEASURED = 2;

/** The most slots the ring grows to (17 bytes each: about a megabyte). */
export const MAX_RING_SLOTS = 1 << 16;

/** An operation kept beside the ring, when it has fallen behind the ring's span. */
interface Straggler {
  intended: number;
  sent: number;
  measured: boolean;
}

/**
 * The operations one pipe has in flight, by sequence number: when each was due, when it was
 * sent, and whether it is measured. Sequence numbers are handed out in order, so operations live
 * in a ring indexed by their number, spanning the oldest still in flight to the newest: no object
 * and no map entry per operation (a Map of objects here cost more per message than the three
 * histogram records together). The ring doubles when the span outgrows it, up to
 * MAX_RING_SLOTS; past that, the operations that fell behind the span (a datagram lost among
 * many answered, waiting out its timeout) move to a map of their own. So memory follows what is
 * in flight, which the in-flight cap bounds, not the rate times the timeout.
 */
export class InflightTable {
  private intended = new Float64Array(64);
  private sent = new Float64Array(64);
  private state = new Uint8Array(64);
  private mask = 63;
  /** No operation from here down is in the ring (those still in flight are stragglers). */
  private oldest = 0;
  /** The number the next operation gets. */
  private next = 0;
  /** In flight below `oldest`, in ascending order (they move here oldest first). */
  private readonly stragglers = new Map<number, Straggler>();
  /** Operations in flight. */
  size = 0;

  constructor(private readonly maxSlots = MAX_RING_SLOTS) {}

  /** Operations in flight kept beside the ring (for tests and diagnostics). */
  get stragglerCount(): number {
    return this.stragglers.size;
  }

  /** Operations numbered so far (the next one's number). */
  get issued(): number {
    return this.next;
  }

  /** Puts the next operation in flight and returns its number. */
  add(intended: number, sent: number, measured: boolean): number {
    if (this.next - this.oldest > this.mask) {
      if (this.mask + 1 < this.maxSlots) this.grow();
      else this.spill();
    }
    const slot = this.next & this.mask;
    this.intended[slot] = intended;
    this.sent[slot] = sent;
    this.state[slot] = measured ? MEASURED : PENDING;
    this.size++;
    return this.next++;
  }

  /** Whether operation `seq` is in flight. */
  has(seq: number): boolean {
    if (seq < this.oldest) return this.stragglers.has(seq);
    return seq < this.next && this.state[seq & this.mask] !== FREE;
  }

  /** When in-flight operation `seq` was due. */
  intendedOf(seq: number): number {
    return seq < this.oldest ? this.stragglers.get(seq)!.intended : this.intended[seq & this.mask]!;
  }

  /** When in-flight operation `seq` was sent. */
  sentOf(seq: number): number {
    return seq < this.oldest ? this.stragglers.get(seq)!.sent : this.sent[seq & this.mask]!;
  }

  /** Whether in-flight operation `seq` was issued in the measured phase. */
  measuredOf(seq: number): boolean {
    return seq < this.oldest ? this.stragglers.get(seq)!.measured : this.state[seq & this.mask] === MEASURED;
  }

  /** Takes in-flight operation `seq` out; the oldest bound moves past every ended operation. */
  remove(seq: number): void {
    this.size--;
    if (seq < this.oldest) {
      this.stragglers.delete(seq);
      return;
    }
    this.state[seq & this.mask] = FREE;
    if (seq === this.oldest) this.advance();
  }

  /** The in-flight operations' numbers, oldest first (a copy: the table may change meanwhile). */
  inOrder(): number[] {
    const out = [...this.stragglers.keys()];
    for (let seq = this.oldest; seq < this.next; seq++) if (this.state[seq & this.mask] !== FREE) out.push(seq);
    return out;
  }

  /** The oldest operation in flight, or -1. */
  first(): number {
    if (this.stragglers.size > 0) return this.stragglers.keys().next().value!;
    return this.size === 0 ? -1 : this.oldest;
  }

  /** Moves the oldest bound past ended operations, to the oldest one in flight (or to `next`). */
  private advance(): void {
    while (this.oldest < this.next && this.state[this.oldest & this.mask] === FREE) this.oldest++;
  }

  /** The ring at its largest is full: what is in flight at its old end moves to the map, until a slot is free. */
  private spill(): void {
    while (this.next - this.oldest > this.mask) {
      const slot = this.oldest & this.mask;
      if (this.state[slot] !== FREE) {
        this.stragglers.set(this.oldest, { intended: this.intended[slot]!, sent: this.sent[slot]!, measured: this.state[slot] === MEASURED });
        this.state[slot] = FREE;
      }
      this.oldest++;
      this.advance();
    }
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
