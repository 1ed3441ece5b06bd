// When an open loop's operations are due: a constant rate, or a rate that changes linearly from
// segment to segment (k6's ramping arrival rate; the capacity search's steps). Operation k is due
// where the cumulative arrivals reach k, so a ramp's sends thicken smoothly instead of jumping.

/** The schedule of an open loop, from its own start (offsets in ns). */
export interface Arrivals {
  /** When operation k (from 0) is due; Infinity when the schedule, as known so far, has no k-th. */
  dueNs(k: number): number;
  /** How many operations are due before `offsetNs` (the ceiling of the cumulative arrivals). */
  dueBefore(offsetNs: number): number;
}

export function constantArrivals(ratePerSec: number): Arrivals {
  const intervalNs = 1e9 / ratePerSec;
  return {
    dueNs: (k) => k * intervalNs,
    dueBefore: (offsetNs) => Math.max(0, Math.ceil(offsetNs / intervalNs)),
  };
}

/** A stretch of the schedule whose rate goes linearly from `fromPerSec` to `toPerSec`. */
export interface RateSegment {
  startNs: number;
  lengthNs: number;
  fromPerSec: number;
  toPerSec: number;
  /** Operations due before it starts. */
  before: number;
}

/**
 * A schedule built from segments of linearly changing rate, one after another. Segments may be
 * appended while the loop runs (the capacity search decides its next step as it goes); past
 * the last one nothing is due until another is appended.
 */
export class RateRamp implements Arrivals {
  readonly segments: RateSegment[] = [];

  /** Appends a segment after the last; returns it. */
  append(lengthNs: number, fromPerSec: number, toPerSec: number): RateSegment {
    const last = this.segments.at(-1);
    const startNs = last ? last.startNs + last.lengthNs : 0;
    const before = last ? last.before + arrivalsIn(last, last.lengthNs) : 0;
    const segment = { startNs, lengthNs, fromPerSec, toPerSec, before };
    this.segments.push(segment);
    return segment;
  }

  get endNs(): number {
    const last = this.segments.at(-1);
    return last ? last.startNs + last.lengthNs : 0;
  }

  dueNs(k: number): number {
    // The loop asks in increasing k: search from the end, where it usually is.
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (k < s.before) continue;
      const m = k - s.before;
      if (m >= arrivalsIn(s, s.lengthNs) - 1e-9) return Number.POSITIVE_INFINITY;
      return s.startNs + offsetOf(s, m);
    }
    return Number.POSITIVE_INFINITY;
  }

  dueBefore(offsetNs: number): number {
    for (let i = this.segments.length - 1; i >= 0; i--) {
      const s = this.segments[i]!;
      if (offsetNs < s.startNs) continue;
      // The tolerance absorbs rounding in dueNs's inverse, so that dueBefore(dueNs(k)) is k.
      return Math.max(0, Math.ceil(s.before + arrivalsIn(s, Math.min(offsetNs - s.startNs, s.lengthNs)) - 1e-6));
    }
    return 0;
  }
}

/** Arrivals in the first `tNs` of a segment: the area under its rate line. */
function arrivalsIn(s: RateSegment, tNs: number): number {
  const t = tNs / 1e9;
  const slope = (s.toPerSec - s.fromPerSec) / (s.lengthNs / 1e9);
  return s.fromPerSec * t + (slope * t * t) / 2;
}

/**
 * Where in a segment the m-th arrival falls: the root of from·t + slope·t²/2 = m, written as
 * 2m / (from + √(from² + 2·slope·m)) so that it stays exact where the slope is 0 or tiny.
 */
function offsetOf(s: RateSegment, m: number): number {
  if (m <= 0) return 0;
  const slope = (s.toPerSec - s.fromPerSec) / (s.lengthNs / 1e9);
  const root = Math.sqrt(Math.max(0, s.fromPerSec * s.fromPerSec + 2 * slope * m));
  const denominator = s.fromPerSec + root;
  return denominator > 0 ? ((2 * m) / denominator) * 1e9 : Number.POSITIVE_INFINITY;
}
