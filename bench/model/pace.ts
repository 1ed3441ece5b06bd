// Which side set the pace of a closed-loop run: the one that was busy. A swarm process or a
// server near a whole CPU had no time to wait for the other, so the rate is its rate; with both
// below that, the round trips themselves (wake-ups, the network) set it.
import type { LoadResult } from "./results.ts";

/** Busier than this share of one CPU, a side is taken to have set the pace. */
export const BUSY = 0.9;

export type Pace = "generator" | "server" | "both" | "round trips";

/** Each side's busy share of one CPU over the measured phase (the swarm's per process); the server's undefined when remote. */
export function busyShares(r: LoadResult): { client: number; server?: number } {
  const sec = r.measuredSec;
  if (sec <= 0) return { client: 0, server: r.remote ? undefined : 0 };
  const client = (r.cost.client.userMs + r.cost.client.sysMs) / 1000 / sec / Math.max(1, r.cost.client.processes);
  const server = r.remote ? undefined : (r.cost.server.userMs + r.cost.server.sysMs) / 1000 / sec;
  return { client, server };
}

export function paceOf(r: LoadResult): Pace {
  const { client, server } = busyShares(r);
  const generator = client > BUSY;
  const serverBusy = server !== undefined && server > BUSY;
  return generator && serverBusy ? "both" : generator ? "generator" : serverBusy ? "server" : "round trips";
}
