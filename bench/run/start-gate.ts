// --start-at: several agents (or a bench and its agents) begin measuring at one agreed instant,
// each connected and warmed up by then. The instant is the wall clock's (epoch ms), so the hosts'
// clocks must agree (NTP keeps them within milliseconds); each result records its measured window
// in the same clock, and bench merge checks that the windows overlap.

import { MAX_START_WAIT_MS } from "../model/config.ts";

let pending: number | undefined;

/** The next run starts measuring at `atMs` (epoch ms); only the first run waits. */
export function startAt(atMs: number | undefined): void {
  pending = atMs;
}

/**
 * Waits, once, until the first run's warm-up must begin for its measuring to begin at the
 * instant given to startAt. A start already past begins at once (the window says when it was).
 */
export async function untilStart(warmupMs: number): Promise<void> {
  if (pending === undefined) return;
  const waitMs = pending - warmupMs - Date.now();
  pending = undefined;
  if (waitMs > 0) await Bun.sleep(Math.min(waitMs, MAX_START_WAIT_MS));
}
