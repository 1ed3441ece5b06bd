// The distance section: each row's p50 at each round trip, its cost in round trips, and the reasoning.
import { DISTANCE_TOLERANCE, agrees, distanceRows, expectedText, p50At, type Expected } from "../../model/distance-rows.ts";
import { bytes, count, table } from "../../model/format.ts";
import type { SectionOf } from "../../model/results.ts";
import { pushAudience } from "./push.ts";

export function distanceTable(s: SectionOf<"distance">): string {
  return table(
    ["", "should cost (round trips)", ...s.rttsMs.map((ms) => `p50 at ${ms} ms`), "measured (round trips)"],
    distanceRows(s).map((row) => {
      const cells = s.rttsMs.map((ms) => p50At(row, ms));
      return [
        row.label,
        `${expectedText(row.expected)} (${row.expected.why})`,
        ...cells,
        row.roundTrips === undefined ? "—" : agreement(row.roundTrips, row.expected),
      ];
    }),
  );
}

/** The measured cost, marked by whether the reasoning explains it. */
export function agreement(measured: number, e: Expected): string {
  return `${measured.toFixed(2)} ${agrees(measured, e) ? "✓" : "✗"}`;
}

export function distanceBody(s: SectionOf<"distance">): string {
  const push = s.push[0]?.spec;
  const request = s.runs[0]?.spec;
  return [
    distanceTable(s),
    "",
    `Every row runs through the network relay with half the round trip added each way (at 0 ms, the relay alone). ${request ? (request.clients === 1 ? `Requests: one at a time, of ${bytes(request.size)} (never two at once, so that none waits for another's CPU). ` : `Requests: ${count(request.clients)} connections, one message of ${bytes(request.size)} in flight each. `) : ""}${push ? `Push: ${count(push.eventsPerSec)} events/s to ${pushAudience(s.push)}. ` : ""}"Measured" is the slope of p50 against the round-trip time (least squares), so what a row costs on this host alone cancels out; ✓ marks agreement with the reasoning within ${DISTANCE_TOLERANCE} round trips. The relay emulates a new connection's TCP handshake by holding its first bytes for the round trip SYN and SYN-ACK would take (netem/README.md).`,
  ].join("\n");
}
