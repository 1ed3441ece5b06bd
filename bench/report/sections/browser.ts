// The browser section: what Chromium measured, beside what the Bun clients measured of the same
// rows in the same report (its push and round-trip sections), and under which timer.
import { count, latency, table } from "../../model/format.ts";
import type { BrowserRow, LoadResult, PushRunResult, Section, SectionOf } from "../../model/results.ts";

/** The request rows' counterparts among the Bun clients' round trips (by driver). */
const BUN_DRIVER: Record<string, string> = { ws: "ws", fetch: "http", "fetch-new": "http-close" };

/** The Bun clients' figure for the same row, where the report has one. */
function bunFigure(row: BrowserRow, sections: Section[]): LoadResult | PushRunResult | undefined {
  if (row.kind === "push") {
    const runs = sections.flatMap((s) => (s.kind === "push" ? s.runs : []));
    return runs.find((r) => r.spec.pattern === row.subject && r.spec.intervalMs === row.intervalMs);
  }
  const runs = sections.flatMap((s) => (s.kind === "rtt" ? s.runs : []));
  return runs.find((r) => r.spec.driver === BUN_DRIVER[row.subject] && r.spec.size === 64);
}

function outcomeOf(row: BrowserRow): string {
  if (row.kind === "push")
    return `${count(row.delivered ?? 0)} of ${count(row.expected ?? 0)}${row.duplicates ? `, ${count(row.duplicates)} twice` : ", once each"}${row.failures ? `; ${count(row.failures)} failed requests` : ""}`;
  const opened = row.newConnections ?? 0;
  const connections = row.subject === "ws" ? "" : `, ${count(opened)} on a new connection`;
  return `${count(row.latency.count)} requests${connections}${row.failures ? `; ${count(row.failures)} failed` : ""}`;
}

function bunNote(sections: Section[]): string {
  const push = sections.find((x) => x.kind === "push");
  const rtt = sections.some((x) => x.kind === "rtt");
  if (!push && !rtt) return "This report has no Bun rows to set beside them: `bun run bench browser` and the suite measure both.";
  return `The Bun clients' figures are this report's own ${push ? `push rows (${count(push.subscribers)} subscribers)` : ""}${push && rtt ? " and " : ""}${rtt ? "round-trip rows" : ""}.`;
}

export function browserBody(s: SectionOf<"browser">, sections: Section[]): string {
  if (s.rows.length === 0)
    return `Not run: ${s.skipped.join("; ")}. With Chromium installed, the suite adds this section and \`bun run bench browser\` runs it alone.`;
  const rows = s.rows.map((row) => {
    const bun = bunFigure(row, sections);
    return [
      row.label,
      latency(row.latency.p50),
      latency(row.latency.p99),
      bun ? latency(bun.latency.p50) : "—",
      bun ? latency(bun.latency.p99) : "—",
      outcomeOf(row),
    ];
  });
  const timer = s.isolated
    ? `The page was cross-origin isolated (COOP same-origin, COEP require-corp), and its timer ticked in steps of ${s.timerResolutionUs?.toFixed(1)} µs; a page that is not isolated gets 100 µs steps, coarser than some of these figures.`
    : `The page was NOT cross-origin isolated: its timer ticked in steps of ${s.timerResolutionUs?.toFixed(1)} µs, and figures near that step are no finer than it.`;
  const clock =
    s.clockOffsetUs === undefined || s.clockRttUs === undefined
      ? ""
      : ` Against the push server's /time (the shortest of 20 exchanges took ${latency(s.clockRttUs * 1000)}), its clock read ${latency(Math.abs(s.clockOffsetUs) * 1000)} ${s.clockOffsetUs >= 0 ? "behind" : "ahead of"} the server's, within that exchange's ±${latency(s.clockRttUs * 500)}: both read this host's wall clock, so push latency is taken directly, as for the Bun subscribers.`;
  return [
    table(["in the browser", "p50", "p99", "Bun clients p50", "Bun clients p99", "measured"], rows),
    "",
    `${s.userAgent ?? "Chromium"} ran one page, served by the bench, against our push servers and an echo server on this host. ${timer}${clock}`,
    "",
    `Push: ${count(s.eventsPerSec)} events/s to one subscriber per pattern, each in turn (WebSocket, EventSource, fetch long polling, fetch short polling); latency runs from publication on the server to the page's handler, for the events published in the measured window. Requests: one at a time, 64 B each way (a WebSocket message to an echo server; fetch POST /echo, on a kept-alive connection, or with the server closing the connection after each answer, which resource timing confirms). ${bunNote(sections)}`,
  ].join("\n");
}
