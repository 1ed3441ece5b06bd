// What TLS adds, from runs of a plain driver and its TLS sibling in the same section: round trips
// (the distance section's slopes), CPU per operation on each side, and bytes per operation on
// the wire. A finding only where both were measured alike (same size, same round trip).
import { DRIVERS, TLS_PAIRS, type DriverName } from "../catalog.ts";
import { distanceRows } from "../model/distance-rows.ts";
import { latency } from "../model/format.ts";
import { isLoadRun, sectionRuns, type BenchResult, type LoadResult } from "../model/results.ts";
import { rttMsOf } from "../model/spec.ts";

/** The first pair of runs of `plain` and `tls` measured alike, preferring no emulated distance (its CPU is the cleanest). */
function alike(runs: LoadResult[], plain: DriverName, tls: DriverName): [LoadResult, LoadResult] | undefined {
  const key = (r: LoadResult) => `${r.spec.size}@${rttMsOf(r.spec)}`;
  const tlsRuns = new Map(runs.filter((r) => r.spec.driver === tls).map((r) => [key(r), r]));
  const pairs = runs.filter((r) => r.spec.driver === plain && tlsRuns.has(key(r))).map((r) => [r, tlsRuns.get(key(r))!] as [LoadResult, LoadResult]);
  return pairs.sort((a, b) => rttMsOf(a[0].spec) - rttMsOf(b[0].spec))[0];
}

const us = (v: number) => latency(v * 1000);

/**
 * Bytes of one message and its reply on the wire, where each is one TCP segment (one small
 * message in flight): the kernel's byte count per segment, exact however the counters' window
 * and the measured phase differ (their ratio, bytes per operation, is not).
 */
function bytesPerMessage(r: LoadResult): number | undefined {
  const w = r.wirePerOp;
  if (!w || r.spec.window !== 1 || r.spec.model !== "closed" || r.spec.size > 1024 || w.segmentsIn <= 0 || w.segmentsOut <= 0) return undefined;
  return w.in / w.segmentsIn + w.out / w.segmentsOut;
}

export function tlsFindings(result: BenchResult): string[] {
  const lines: string[] = [];
  const distance = result.sections.find((s) => s.kind === "distance");
  const costs = new Map(distance && distance.kind === "distance" ? distanceRows(distance).map((row) => [row.subject, row.roundTrips]) : []);
  const runs = result.sections.flatMap((s) => sectionRuns(s).filter(isLoadRun));
  for (const [plain, tls] of TLS_PAIRS) {
    const parts: string[] = [];
    const [a, b] = [costs.get(DRIVERS[plain].subject), costs.get(DRIVERS[tls].subject)];
    if (a !== undefined && b !== undefined)
      parts.push(
        `${b.toFixed(2)} round trips against ${a.toFixed(2)}${b - a > 0.5 ? ` (${Math.round(b - a)} more: the TLS handshake)` : " (none more once the connection is open)"}`,
      );
    const pair = alike(runs, plain, tls);
    if (pair) {
      const [p, t] = pair;
      if (!p.remote && !t.remote && p.counts.completed > 0 && t.counts.completed > 0)
        parts.push(
          `server CPU ${us(t.cost.serverCpuPerOpUs)} per operation against ${us(p.cost.serverCpuPerOpUs)}, client ${us(t.cost.clientCpuPerOpUs)} against ${us(p.cost.clientCpuPerOpUs)}`,
        );
      const [pb, tb] = [bytesPerMessage(p), bytesPerMessage(t)];
      if (pb !== undefined && tb !== undefined)
        parts.push(`${Math.round(tb - pb)} more bytes per request and reply on the wire (each TLS record's header and tag)`);
    }
    if (parts.length) lines.push(`What TLS adds to ${DRIVERS[plain].short}: ${DRIVERS[tls].short} took ${parts.join("; ")}.`);
  }
  return lines;
}
