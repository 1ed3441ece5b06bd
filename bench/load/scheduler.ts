// Bun's timers fire on a 1 ms grid (setTimeout(0) takes ~1.07 ms here), too coarse for a
// schedule of sends microseconds apart. So: sleep with setTimeout until about 1.5 ms before the
// deadline, then yield with setImmediate (about 1 µs a turn, and socket events still run) until
// it arrives. The residual lateness is measured by the open loop and reported as send lag.
import type { Scheduler } from "./types.ts";

const COARSE_MARGIN_NS = 1_500_000;

export const realScheduler: Scheduler = {
  now: () => Bun.nanoseconds(),
  at(atNs, fn) {
    const wait = atNs - Bun.nanoseconds();
    if (wait <= 0) setImmediate(fn);
    else if (wait < COARSE_MARGIN_NS) setImmediate(() => realScheduler.at(atNs, fn));
    else setTimeout(() => realScheduler.at(atNs, fn), Math.floor((wait - COARSE_MARGIN_NS) / 1e6));
  },
  roughlyAt(atNs, fn) {
    setTimeout(fn, Math.max(0, Math.ceil((atNs - Bun.nanoseconds()) / 1e6)));
  },
};
