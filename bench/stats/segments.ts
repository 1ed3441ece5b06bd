// A run cut by when operations were due (not when they completed): the stages of a ramp, the
// steps of a capacity search. An operation belongs to the segment its intended send time falls
// in, wherever it ends, so a stage's latency is that of the load the stage offered.
import { decodeHistogram, encodeHistogram, newHistogram, record, type Histogram } from "./histogram.ts";

/** One segment as a swarm process recorded it: its histogram travels encoded, to be merged. */
export interface SegmentShare {
  /** Operations due in it and sent (late ones included). */
  sent: number;
  completed: number;
  timeouts: number;
  errors: number;
  /** Corrected latency (from the intended send) of its completions, ns, compressed base64. */
  histogram: string;
  /** How late its sends left against their schedule, ns, compressed base64. */
  lag: string;
}

/** A segment's operations: counted, and timed into histograms (corrected latency; send lag). */
export interface SegmentCounts {
  sent: number;
  completed: number;
  timeouts: number;
  errors: number;
  latency: Histogram;
  lag: Histogram;
}

interface Segment extends SegmentCounts {
  startNs: number;
}

/** Segments start at given instants (in the session's clock) and last until the next one starts. */
export class SegmentRecorder {
  private readonly segments: Segment[] = [];

  /** A segment begins at `startNs` (after every earlier one); returns its index. */
  begin(startNs: number): number {
    this.segments.push({ startNs, sent: 0, completed: 0, timeouts: 0, errors: 0, latency: newHistogram(), lag: newHistogram() });
    return this.segments.length - 1;
  }

  /** The segment an operation due at `intendedNs` belongs to; undefined before the first. */
  private at(intendedNs: number): Segment | undefined {
    for (let i = this.segments.length - 1; i >= 0; i--) if (this.segments[i]!.startNs <= intendedNs) return this.segments[i];
    return undefined;
  }

  sent(intendedNs: number, lagNs: number): void {
    const s = this.at(intendedNs);
    if (!s) return;
    s.sent++;
    record(s.lag, lagNs);
  }

  completed(intendedNs: number, latencyNs: number): void {
    const s = this.at(intendedNs);
    if (!s) return;
    s.completed++;
    record(s.latency, latencyNs);
  }

  timedOut(intendedNs: number): void {
    const s = this.at(intendedNs);
    if (s) s.timeouts++;
  }

  failed(intendedNs: number): void {
    const s = this.at(intendedNs);
    if (s) s.errors++;
  }

  /** Segment i as recorded so far (its histograms live: read, do not keep). */
  view(i: number): Readonly<Segment> {
    return this.segments[i]!;
  }

  shares(): SegmentShare[] {
    return this.segments.map((s) => ({
      sent: s.sent,
      completed: s.completed,
      timeouts: s.timeouts,
      errors: s.errors,
      histogram: encodeHistogram(s.latency),
      lag: encodeHistogram(s.lag),
    }));
  }
}

/** One segment, every process's share added. */
export type MergedSegment = SegmentCounts;

export function emptySegment(): MergedSegment {
  return { sent: 0, completed: 0, timeouts: 0, errors: 0, latency: newHistogram(), lag: newHistogram() };
}

/** Adds a share (its histograms encoded; a share without a lag histogram adds none) into a segment. */
export function addShare(into: MergedSegment, s: Omit<SegmentShare, "lag"> & { lag?: string }): void {
  into.sent += s.sent;
  into.completed += s.completed;
  into.timeouts += s.timeouts;
  into.errors += s.errors;
  into.latency.add(decodeHistogram(s.histogram));
  if (s.lag !== undefined) into.lag.add(decodeHistogram(s.lag));
}

/** Several processes' segments of one run: the i-th of each added (they share the schedule). */
export function mergeSegments(parts: SegmentShare[][]): MergedSegment[] {
  const n = Math.max(0, ...parts.map((p) => p.length));
  return Array.from({ length: n }, (_, i) => {
    const merged = emptySegment();
    for (const part of parts) if (part[i]) addShare(merged, part[i]);
    return merged;
  });
}
