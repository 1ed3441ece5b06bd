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
  const refill = (pipe: number): void => {
    while (phases.issuing && session.alive(pipe) && session.inflight(pipe) < opts.window) {
      if (phases.countReached) return phases.stop();
      if (!session.issue(pipe)) return;
    }
  };
  const phases = new Phases(session, opts);
  session.onSlotFree = refill;
  return phases.start(() => {
    for (let pipe = 0; pipe < session.pipes; pipe++) refill(pipe);
  });
}
