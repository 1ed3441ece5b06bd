import type { Pipe, PipeEvents, Scheduler } from "../../bench/load/types.ts";

/**
 * Virtual time for testing load models without a network or a wall clock: events run in time
 * order (ties in the order they were scheduled) and `now` jumps from one to the next.
 */
export class FakeScheduler implements Scheduler {
  private time = 0;
  private order = 0;
  private queue: { at: number; order: number; fn: () => void }[] = [];

  now(): number {
    return this.time;
  }

  at(atNs: number, fn: () => void): void {
    this.queue.push({ at: Math.max(atNs, this.time), order: this.order++, fn });
  }

  roughlyAt(atNs: number, fn: () => void): void {
    this.at(atNs, fn);
  }

  /** Runs events until none are left or virtual time passes `untilNs`. */
  run(untilNs: number): void {
    for (let steps = 0; steps < 50_000_000; steps++) {
      if (this.queue.length === 0) return;
      let best = 0;
      for (let i = 1; i < this.queue.length; i++) {
        const a = this.queue[i]!;
        const b = this.queue[best]!;
        if (a.at < b.at || (a.at === b.at && a.order < b.order)) best = i;
      }
      const next = this.queue[best]!;
      if (next.at > untilNs) return;
      this.queue.splice(best, 1);
      this.time = next.at;
      next.fn();
    }
    throw new Error("fake scheduler: too many steps");
  }
}

/**
 * A server with one worker: operations are served first come first served, each taking
 * `serviceNs` (with `parallel`, each simply takes that long, however many are in flight);
 * nothing is served during the stall window [stallFrom, stallUntil); ops for which
 * `lose(seq)` is true vanish (like a lost datagram).
 */
export function fakeServerPipe(
  clock: FakeScheduler,
  events: PipeEvents,
  opts: { serviceNs: number; parallel?: boolean; stallFrom?: number; stallUntil?: number; lose?: (seq: number) => boolean },
): Pipe {
  let freeAt = 0;
  return {
    issue(seq) {
      if (opts.lose?.(seq)) return true;
      let start = opts.parallel ? clock.now() : Math.max(clock.now(), freeAt);
      if (opts.stallFrom !== undefined && opts.stallUntil !== undefined && start >= opts.stallFrom && start < opts.stallUntil) start = opts.stallUntil;
      freeAt = start + opts.serviceNs;
      clock.at(freeAt, () => events.done(seq));
      return true;
    },
    async close() {},
  };
}
