// Counts of what happened to the operations of a measured phase, and their sum over processes.

export interface SessionCounts {
  /** Operations issued during the measured phase. */
  sent: number;
  /** Of those, the ones that completed (each has its latency in the histograms). */
  completed: number;
  /** Operations given up on after the timeout (for UDP: lost). */
  timeouts: number;
  /** Sends issued more than 1 ms after their intended time (open loop). */
  behind: number;
  /** Sends the schedule called for in the measured phase that never left (open loop overload). */
  unsent: number;
  errors: Record<string, number>;
}

/** Several sessions' counts as one (swarm processes, or merged runs): everything adds up. */
export function sumCounts(all: SessionCounts[]): SessionCounts {
  const sum = (f: (c: SessionCounts) => number) => all.reduce((a, c) => a + f(c), 0);
  const errors: Record<string, number> = {};
  for (const c of all) for (const [kind, n] of Object.entries(c.errors)) errors[kind] = (errors[kind] ?? 0) + n;
  return {
    sent: sum((c) => c.sent),
    completed: sum((c) => c.completed),
    timeouts: sum((c) => c.timeouts),
    behind: sum((c) => c.behind),
    unsent: sum((c) => c.unsent),
    errors,
  };
}
