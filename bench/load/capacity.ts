// The highest rate that holds a latency objective, found on one set of connections (as tcpkali's
// `-r @latency` and the websocket-shootout step-up do): an open loop at a constant rate for a
// step, then quiet until the step's operations are all answered or given up, then judged. Rates
// double until a step breaks the objective, then the bracket is bisected; the best rate is run
// once more to confirm it. Reconnecting between points would move the knee (vegeta #163): here
// only the rate changes.
import { RateRamp } from "./arrivals.ts";
import { openLoop, type OpenLoopControl } from "./open.ts";
import type { Session } from "./session.ts";
import { brokenObjective, type Objective } from "../stats/objective.ts";
import { SegmentRecorder } from "../stats/segments.ts";

export interface CapacityOptions {
  objectives: Objective[];
  /** The first step's rate, and the top of the search, operations per second. */
  startPerSec: number;
  maxPerSec: number;
  stepNs: number;
  /** The search ends when the bracket's width is at most this share of its lower end. */
  precision: number;
  warmupNs: number;
  maxInflightPerPipe: number;
}

/** A bound on steps, confirmation included: doubling from 1/s to 10M/s is 24. */
export const MAX_CAPACITY_STEPS = 40;

export interface StepVerdict {
  ratePerSec: number;
  /** Index of the step's segment in the session's segments. */
  segment: number;
  pass: boolean;
  /** Failed: the first objective broken, and the value that broke it (ns). */
  broke?: { objective: string; valueNs: number };
  /** Failed: operations due in the step that timed out, failed or went unsent. */
  unanswered?: number;
  /** The run of the best rate again, at the end. */
  confirmation?: boolean;
}

export interface CapacityFound {
  steps: StepVerdict[];
  /** The highest rate that held; undefined when none did. */
  ratePerSec?: number;
  /** The lowest rate that did not; undefined when every rate up to the top held. */
  failedAtPerSec?: number;
  /** Whether the best rate held again when run once more. */
  confirmed?: boolean;
}

export async function capacitySearch(session: Session, opts: CapacityOptions): Promise<CapacityFound> {
  const clock = session.clock;
  const ramp = new RateRamp();
  const segments = new SegmentRecorder();
  session.segments = segments;
  if (opts.warmupNs > 0) ramp.append(opts.warmupNs, opts.startPerSec, opts.startPerSec);
  let loop!: OpenLoopControl;
  const done = openLoop(session, { arrivals: ramp, maxInflightPerPipe: opts.maxInflightPerPipe, warmupNs: opts.warmupNs }, (l) => (loop = l));
  const until = (atNs: number) => new Promise<void>((resolve) => clock.at(atNs, resolve));
  await until(loop.originNs + opts.warmupNs);

  const steps: StepVerdict[] = [];
  const step = async (ratePerSec: number, confirmation = false): Promise<StepVerdict> => {
    // The schedule resumes from now: the quiet since the last step is a stretch with nothing due.
    const idleNs = clock.now() - loop.originNs - ramp.endNs;
    if (idleNs > 0) ramp.append(idleNs, 0, 0);
    const s = ramp.append(opts.stepNs, ratePerSec, ratePerSec);
    const segment = segments.begin(loop.originNs + s.startNs);
    loop.resume();
    await until(loop.originNs + s.startNs + s.lengthNs);
    // Quiet until the step's operations are answered or given up (the session sweeps timeouts).
    const deadline = clock.now() + session.timeoutNs + 200_000_000;
    while (session.totalInflight > 0 && clock.now() < deadline) await until(clock.now() + 1_000_000);
    const verdict = { ratePerSec, segment, ...judge(segments, segment, opts.objectives), ...(confirmation ? { confirmation } : {}) };
    steps.push(verdict);
    return verdict;
  };

  let best: number | undefined;
  let failed: number | undefined;
  let rate = Math.min(opts.startPerSec, opts.maxPerSec);
  while (steps.length < MAX_CAPACITY_STEPS - 1 && session.anyAlive) {
    if ((await step(rate)).pass) best = rate;
    else failed = rate;
    let next: number;
    if (failed === undefined) next = Math.min(opts.maxPerSec, rate * 2);
    else if (best === undefined) next = Math.max(1, Math.floor(rate / 2));
    else next = Math.round((best + failed) / 2);
    const bracketClosed = best !== undefined && failed !== undefined && (failed - best) / best <= opts.precision;
    if (bracketClosed || next === rate) break;
    rate = next;
  }
  const confirmed = best !== undefined && session.anyAlive ? (await step(best, true)).pass : undefined;
  loop.stop();
  await done;
  return { steps, ratePerSec: best, failedAtPerSec: failed, confirmed };
}

/** A step holds when operations were sent, every one answered, none in error, within the objectives. */
function judge(segments: SegmentRecorder, i: number, objectives: readonly Objective[]): Pick<StepVerdict, "pass" | "broke" | "unanswered"> {
  const s = segments.view(i);
  const unanswered = s.sent - s.completed;
  if (s.sent === 0 || unanswered > 0) return { pass: false, unanswered };
  const broken = brokenObjective(s.latency, objectives);
  if (broken) return { pass: false, broke: { objective: broken.objective.text, valueNs: broken.valueNs } };
  return { pass: true };
}
