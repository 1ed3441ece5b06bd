// The tables and notes of the push and fan-out sections.
import { count, latency, table } from "../../model/format.ts";
import type { PushRunResult } from "../../model/results.ts";

export function pushTable(runs: PushRunResult[], fanout: boolean): string {
  const head = fanout ? ["pattern", "subscribers"] : ["pattern"];
  return table(
    [...head, "p50", "p90", "p99", "max", fanout ? "last subscriber p50 / max" : "delivered", "requests per event", "empty polls", "wire up / down per event"],
    runs.map((r) => [
      r.label,
      ...(fanout ? [count(r.spec.subscribers)] : []),
      latency(r.latency.p50),
      latency(r.latency.p90),
      latency(r.latency.p99),
      latency(r.latency.max),
      fanout ? `${latency(r.slowestDelivery.p50)} / ${latency(r.slowestDelivery.max)}` : `${count(r.delivered)} of ${count(r.expected)}`,
      r.requestsPerEvent.toFixed(2),
      count(r.emptyPolls),
      r.bytesPerEvent ? `${Math.round(r.bytesPerEvent.up)} / ${Math.round(r.bytesPerEvent.down)} B` : "—",
    ]),
  );
}

/** "10 subscribers", or "10 subscribers (HTTP short polling, every 250 ms: 100)" where rows differ. */
export function pushAudience(runs: PushRunResult[]): string {
  const first = runs[0]!.spec.subscribers;
  const others = [...new Map(runs.filter((r) => r.spec.subscribers !== first).map((r) => [r.label, r.spec.subscribers])).entries()];
  return `${count(first)} subscribers${others.length ? ` (${others.map(([label, n]) => `${label}: ${count(n)}, as its median depends on where each poller's polls fall`).join("; ")})` : ""}`;
}

/** Across hosts, latencies rest on an estimated clock offset: say how far off it may be. */
export function clockNote(runs: PushRunResult[]): string {
  const clock = runs.find((r) => r.clock)?.clock;
  if (!clock) return "";
  return `The server is on another host: its clock was estimated ${clock.offsetMs >= 0 ? "+" : ""}${clock.offsetMs.toFixed(3)} ms from ours (NTP-style, the fastest of ${clock.samples} round trips), so every latency here is uncertain by ±${clock.uncertaintyMs.toFixed(3)} ms. `;
}
