/**
 * What happened to a numbered stream of datagrams, as iperf3 reports it: how many never came
 * back, came back out of order, or came back twice, and the interarrival jitter of RFC 3550
 * (section 6.4.1): J += (|D| - J) / 16, where D is the change in transit time between
 * consecutive arrivals. Sequence numbers start at 0 and are dense.
 */
export interface SequenceReport {
  sent: number;
  /** Distinct sequence numbers that came back, late ones included. */
  received: number;
  /** Sent and never came back: sent - received. */
  lost: number;
  /** Arrived after a higher sequence number had. */
  reordered: number;
  /** Arrived again after the first time (or were never sent). */
  duplicated: number;
  /** Arrived after their timeout had already counted them out. */
  late: number;
  /** RFC 3550 jitter, nanoseconds. */
  jitterNs: number;
}

export class SequenceTracker {
  private seen = new Uint8Array(1024);
  private highest = -1;
  private received = 0;
  private reordered = 0;
  private duplicated = 0;
  private late = 0;
  private jitter = 0;
  private lastTransit: number | undefined;

  /** Datagram `seq`, sent at `sentNs`, arrived at `arrivedNs` (one clock for both). */
  arrive(seq: number, sentNs: number, arrivedNs: number): void {
    if (!this.markSeen(seq)) return;
    if (seq < this.highest) this.reordered++;
    else this.highest = seq;
    const transit = arrivedNs - sentNs;
    if (this.lastTransit !== undefined) this.jitter += (Math.abs(transit - this.lastTransit) - this.jitter) / 16;
    this.lastTransit = transit;
  }

  /** Datagram `seq` arrived after its sender stopped waiting for it (no send time any more). */
  arriveLate(seq: number): void {
    if (this.markSeen(seq)) this.late++;
  }

  /** False (and counted) when seq was already seen or is not a sequence number at all. */
  private markSeen(seq: number): boolean {
    if (!Number.isInteger(seq) || seq < 0 || seq > 0xffffffff) {
      this.duplicated++;
      return false;
    }
    if (seq >= this.seen.length) {
      const grown = new Uint8Array(Math.max(seq + 1, this.seen.length * 2));
      grown.set(this.seen);
      this.seen = grown;
    }
    if (this.seen[seq]) {
      this.duplicated++;
      return false;
    }
    this.seen[seq] = 1;
    this.received++;
    return true;
  }

  /** `sent`: how many sequence numbers were sent (0 .. sent-1). */
  report(sent: number): SequenceReport {
    return {
      sent,
      received: this.received,
      lost: Math.max(0, sent - this.received),
      reordered: this.reordered,
      duplicated: this.duplicated,
      late: this.late,
      jitterNs: this.jitter,
    };
  }
}

/** Several streams' reports as one: counts add up; jitter is their mean, as iperf3 reports it. */
export function sumSequences(reports: SequenceReport[]): SequenceReport {
  const sum = (f: (r: SequenceReport) => number) => reports.reduce((a, r) => a + f(r), 0);
  return {
    sent: sum((r) => r.sent),
    received: sum((r) => r.received),
    lost: sum((r) => r.lost),
    reordered: sum((r) => r.reordered),
    duplicated: sum((r) => r.duplicated),
    late: sum((r) => r.late),
    jitterNs: reports.length ? sum((r) => r.jitterNs) / reports.length : 0,
  };
}
