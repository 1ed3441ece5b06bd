import type { Arrivals } from "./arrivals.ts";
import { Phases, type PhaseOptions } from "./phases.ts";
import type { Session } from "./session.ts";

/**
 * A turn issues what is due for at most this long, then lets timers and replies in: under
 * overload, a turn that sent everything due by its start would take longer each time (the
 * backlog grows while it sends), until the timer that ends the run could not fire for seconds.
 */
const TURN_BUDGET_NS = 1_000_000;
/** As the window ends, the sends a pause held back go for at most this long (a safety net: see onStop). */
const CATCH_UP_BUDGET_NS = 200_000_000;
/** Sends between two looks at the clock when checking a budget. */
const BUDGET_CHECK_EVERY = 64;

/** How many of the numbers from `from` up to `to` (not included) leave `rest` divided by `n`. */
function congruent(from: number, to: number, rest: number, n: number): number {
  return Math.floor((to - 1 - rest) / n) - Math.floor((from - 1 - rest) / n);
}

export interface OpenLoopControl {
  originNs: number;
  resume(): void;
  stop(): void;
}

export interface OpenLoopOptions extends PhaseOptions {
  /** When each operation is due, across all pipes, from the loop's start (warm-up included). */
  arrivals: Arrivals;
  /** A pipe with this many in flight takes no more until one ends (bounds memory under overload). */
  maxInflightPerPipe: number;
}

/**
 * Open loop (constant arrival rate, as wrk2 and k6's constant-arrival-rate): operation k is due
 * at t0 + k / rate, on pipe k mod N. A send that leaves late — the generator was busy, or the
 * pipe was at its in-flight cap because the server is slow — is still timed from when it was
 * due, so the latency includes the wait a real user would have had (coordinated-omission
 * correction). Late sends are counted, and what was still due but unsent at the end is counted
 * as backlog: the schedule never silently slows down.
 *
 * `started` receives the loop's origin (the instant the schedule's offsets count from), a
 * `resume` to call after appending to a schedule that had run out, and a `stop` for a loop whose
 * length nobody knew at its start (the capacity search).
 */
export function openLoop(session: Session, opts: OpenLoopOptions, started?: (loop: OpenLoopControl) => void): Promise<void> {
  const clock = session.clock;
  const arrivals = opts.arrivals;
  const t0 = clock.now();
  let k = 0;
  let timerPending = false;
  let blocked = false;
  /** When the latest turn began: what was due before it, it was that turn's to send. */
  let turnAt = t0;

  const tick = (): void => {
    timerPending = false;
    blocked = false;
    if (!phases.issuing) return;
    const now = clock.now();
    turnAt = now;
    for (let sent = 1; ; sent++) {
      const due = t0 + arrivals.dueNs(k);
      if (due === Number.POSITIVE_INFINITY) return; // the schedule has run out, for now
      if (due > now) {
        timerPending = true;
        clock.at(due, tick);
        return;
      }
      if (phases.countReached) return phases.stop();
      const pipe = k % session.pipes;
      if (!session.alive(pipe)) {
        session.error("not sent: connection closed");
        k++;
        continue;
      }
      if (session.inflight(pipe) >= opts.maxInflightPerPipe) {
        blocked = true; // resumed by the next completion or timeout
        return;
      }
      session.issue(pipe, due);
      k++;
      if (sent % BUDGET_CHECK_EVERY === 0 && clock.now() - now > TURN_BUDGET_NS) {
        timerPending = true;
        clock.at(now, tick); // at once, after what waits
        return;
      }
    }
  };

  const phases = new Phases(session, opts, (endNs) => {
    if (endNs === undefined) return; // count mode: everything asked for was sent
    // The sends due since the last turn began still go, late if the process was paused when the
    // window ended (the timer that ends it fires late too). Those due before it and still unsent
    // are a backlog (the generator could not send them, or a pipe's in-flight cap held them back
    // while the target fell behind): they are counted as never sent, not sent now and credited
    // to a window that has ended.
    const backlog = Math.max(0, arrivals.dueBefore(Math.min(turnAt, endNs) - t0) - k);
    // Those meant for a connection already closed are counted as in time: not sent, for that.
    let closedSends = 0;
    for (let pipe = 0; pipe < session.pipes; pipe++) if (!session.alive(pipe)) closedSends += congruent(k, k + backlog, pipe, session.pipes);
    if (closedSends > 0) session.error("not sent: connection closed", closedSends);
    k += backlog;
    const stopBy = clock.now() + CATCH_UP_BUDGET_NS;
    for (let due = t0 + arrivals.dueNs(k), sent = 1; due < endNs; due = t0 + arrivals.dueNs(k), sent++) {
      const pipe = k % session.pipes;
      if (session.alive(pipe) && session.inflight(pipe) >= opts.maxInflightPerPipe) break;
      if (session.alive(pipe)) session.issue(pipe, due, true);
      else session.error("not sent: connection closed");
      k++;
      if (sent % BUDGET_CHECK_EVERY === 0 && clock.now() > stopBy) break;
    }
    session.addUnsent(backlog - closedSends + Math.max(0, arrivals.dueBefore(endNs - t0) - k));
  });
  session.onSlotFree = () => {
    if (blocked && !timerPending) tick();
  };
  const kick = (): void => {
    if (!timerPending) tick();
  };
  started?.({ originNs: t0, resume: kick, stop: () => phases.stop(clock.now()) });
  return phases.start(kick);
}
