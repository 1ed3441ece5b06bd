// The lab write-up's WebSocket-vs-HTTP table, redone with a run's measurements.
import { LAB, type DriverName, type PushKind } from "../catalog.ts";
import { distanceRows, p50At, type DistanceRow } from "../model/distance-rows.ts";
import { latency, table } from "../model/format.ts";
import { isLoadRun, type BenchResult, type LoadResult, type PushRunResult, type SectionOf } from "../model/results.ts";
import { pushRun, runFor, sectionOf } from "./headline.ts";
import { wire } from "./sections/cells.ts";

/** The lab's WebSocket-vs-HTTP table, redone with this run's measurements. */
export function labTable(result: BenchResult): string | undefined {
  const rtt = sectionOf(result, "rtt");
  const push = sectionOf(result, "push");
  const distance = sectionOf(result, "distance");
  if (!rtt && !push && !distance) return undefined;
  const ws = rtt && runFor(rtt.runs, LAB.websocket.request);
  const http = rtt && runFor(rtt.runs, LAB.http.request);
  const close = rtt && runFor(rtt.runs, LAB.http.newConnection);
  const wsPush = push && pushRun(push.runs, LAB.websocket.push);
  const long = push && pushRun(push.runs, LAB.http.longPolling);
  const shorts = push?.runs.filter((r) => r.spec.pattern === LAB.http.shortPolling) ?? [];
  const p = (r: LoadResult | undefined) => (r ? `${latency(r.latency.p50)} / ${latency(r.latency.p99)}` : "—");
  const pp = (r: PushRunResult | undefined) => (r ? `${latency(r.latency.p50)} / ${latency(r.latency.p99)}` : "—");
  const wb = (r: PushRunResult | undefined) => (r?.bytesPerEvent ? `${Math.round(r.bytesPerEvent.up)} / ${Math.round(r.bytesPerEvent.down)} B` : "—");
  const rows: string[][] = [
    [
      "Communication model",
      "full duplex: either side sends at any time",
      "request/response: the client asks, the server answers",
      "request/response, after a TCP handshake each time",
    ],
    ["Round trip p50 / p99 (measured)", p(ws), p(http), p(close)],
    ["Bytes on the wire per message, up / down (measured)", ws ? wire(ws) : "—", http ? wire(http) : "—", "—"],
    [
      "Server push delivery p50 / p99 (measured)",
      pp(wsPush),
      `long polling ${pp(long)}${shorts.map((s) => `; ${s.spec.intervalMs} ms polling ${pp(s)}`).join("")}`,
      "—",
    ],
    [
      "Bytes per pushed event, up / down (measured)",
      wb(wsPush),
      `long polling ${wb(long)}${shorts.map((s) => `; ${s.spec.intervalMs} ms polling ${wb(s)}`).join("")}`,
      "—",
    ],
    [
      "Requests per delivered event (measured)",
      wsPush ? "0 (one upgrade for the session)" : "—",
      `long polling ${long ? long.requestsPerEvent.toFixed(2) : "—"}${shorts.map((s) => `; ${s.spec.intervalMs} ms polling ${s.requestsPerEvent.toFixed(2)}`).join("")}`,
      "1 request and 1 connection",
    ],
    ["Connection persistence", "one connection for the whole session", "connection kept alive between requests", "a new connection for every request"],
    ...(distance ? distanceLabRows(distance) : []),
  ];
  return table(["", "WebSocket", "HTTP, keep-alive", "HTTP, new connection each"], rows);
}

/** The lab table's rows from the distance section: what each side costs in round trips, and push far away. */
export function distanceLabRows(s: SectionOf<"distance">): string[][] {
  const rows = distanceRows(s);
  const far = Math.max(...s.rttsMs);
  const request = (driver: DriverName) => rows.find((row) => row.runs.some((r) => isLoadRun(r) && r.spec.driver === driver));
  const pattern = (kind: PushKind) => rows.filter((row) => row.runs.some((r) => !isLoadRun(r) && r.spec.pattern === kind));
  const trips = (row: DistanceRow | undefined) => row?.roundTrips?.toFixed(2) ?? "—";
  const farP50 = (row: DistanceRow | undefined) => p50At(row, far);
  const interval = (row: DistanceRow) => (row.runs[0] && !isLoadRun(row.runs[0]) ? row.runs[0].spec.intervalMs : 0);
  /** "long polling X; 250 ms polling Y": the HTTP patterns' cells. */
  const httpPush = (cell: (row: DistanceRow | undefined) => string) =>
    [`long polling ${cell(pattern(LAB.http.longPolling)[0])}`, ...pattern(LAB.http.shortPolling).map((row) => `${interval(row)} ms polling ${cell(row)}`)].join(
      "; ",
    );
  const wsPush = pattern(LAB.websocket.push)[0];
  return [
    [
      "Round trips per message as distance grows (measured)",
      `${trips(request(LAB.websocket.request))}; ${trips(request(LAB.websocket.newConnection))} on a new connection`,
      trips(request(LAB.http.request)),
      trips(request(LAB.http.newConnection)),
    ],
    ["Round trips per pushed event as distance grows (measured)", trips(wsPush), httpPush(trips), "—"],
    [`Push delivery at a ${far} ms round trip, p50 (measured)`, farP50(wsPush), httpPush(farP50), "—"],
  ];
}
