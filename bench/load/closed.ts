import { Phases, type PhaseOptions } from "./phases.ts";
import type { Session } from "./session.ts";

export interface ClosedLoopOptions extends PhaseOptions {
  /** Operations each pipe keeps in flight: 1 is ping-pong; more is a pipeline. */
  window: number;
}

/**
 * Closed loop: every pipe keeps `window` operations in flight and issues the next as soon as
 * one ends. It measures what the system does at its own pace (latency and maximum throughput),
 * and by construction cannot overload it: a slow server slows the senders down.
 */
export function closedLoop(session: Session, opts: ClosedLoopOptions): Promise<void> {
  // A pipe may complete an operation inside issue(); the guard turns that re-entry into another
  // turn of the outer loop instead of a recursion as deep as the run is long. The pipes waiting
  // for that turn are kept each once, oldest first, in an array (a Set's iterator would be an
  // allocation per completion).
  let refilling = false;
  const again: number[] = [];
  const refill = (pipe: number): void => {
    if (refilling) {
      if (!again.includes(pipe)) again.push(pipe);
      return;
    }
    refilling = true;
    try {
      for (let p: number | undefined = pipe; p !== undefined; p = again.shift()) {
        while (phases.issuing && session.alive(p) && session.inflight(p) < opts.window) {
          if (phases.countReached) return phases.stop();
          if (!session.issue(p)) break;
        }
      }
    } finally {
      refilling = false;
    }
  };
  const phases = new Phases(session, opts);
  session.onSlotFree = refill;
  return phases.start(() => {
    for (let pipe = 0; pipe < session.pipes; pipe++) refill(pipe);
  });
}
