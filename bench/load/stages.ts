// An open loop whose rate ramps through stages on the same connections (k6's ramping arrival
// rate): each stage goes linearly from one rate to the next, and its operations (by when they
// were due) are recorded apart, so every stage has its own figures.
import { RateRamp } from "./arrivals.ts";
import { openLoop } from "./open.ts";
import type { Session } from "./session.ts";
import { SegmentRecorder } from "../stats/segments.ts";

export interface Stage {
  lengthNs: number;
  fromPerSec: number;
  toPerSec: number;
}

/**
 * Runs the stages after the warm-up. The warm-up holds the first stage's starting rate, or where
 * that is 0, the lowest rate a stage reaches: connections warm at a load the run will have.
 */
export function stagedLoop(session: Session, stages: Stage[], opts: { warmupNs: number; maxInflightPerPipe: number }): Promise<void> {
  const ramp = new RateRamp();
  const reached = stages.map((s) => s.toPerSec).filter((r) => r > 0);
  const warmRate = stages[0]!.fromPerSec > 0 ? stages[0]!.fromPerSec : Math.min(...reached);
  if (opts.warmupNs > 0) ramp.append(opts.warmupNs, warmRate, warmRate);
  const starts = stages.map((s) => ramp.append(s.lengthNs, s.fromPerSec, s.toPerSec).startNs);
  const segments = new SegmentRecorder();
  session.segments = segments;
  const durationNs = stages.reduce((sum, s) => sum + s.lengthNs, 0);
  return openLoop(session, { arrivals: ramp, warmupNs: opts.warmupNs, durationNs, maxInflightPerPipe: opts.maxInflightPerPipe }, (loop) => {
    for (const start of starts) segments.begin(loop.originNs + start);
  });
}
