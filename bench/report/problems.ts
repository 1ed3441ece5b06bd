import { DRIVERS, TRANSPORT_DRIVERS } from "../catalog.ts";
import { loadRuns, pushRuns, type BrowserRow, type Section, type LoadResult, type PushRunResult } from "../model/results.ts";
import { rttOfRun } from "../model/distance-rows.ts";
import { count, latency, percent } from "../model/format.ts";
import { lateSends } from "../model/late-sends.ts";

function loadProblems(section: string, r: LoadResult): string[] {
  const name = `${section}, ${DRIVERS[r.spec.driver].label}, ${r.spec.size} B${r.spec.model === "open" ? `, ${count(r.spec.ratePerSec)}/s` : ""}`;
  const out: string[] = [];
  const datagrams = TRANSPORT_DRIVERS[DRIVERS[r.spec.driver].transport].datagram;
  // A capacity search overloads on purpose: its timeouts, late and unsent sends are its steps
  // breaking, and its tables show them. Only what no search should meet is a problem.
  const searching = r.capacity !== undefined;
  const errors = Object.entries(r.counts.errors);
  if (errors.length) out.push(`${name}: errors: ${errors.map(([k, v]) => `${k} ×${count(v)}`).join("; ")}`);
  if (r.counts.timeouts && !searching)
    out.push(`${name}: ${count(r.counts.timeouts)} operations got no reply within ${r.spec.timeoutMs} ms${datagrams ? " (lost datagrams)" : ""}`);
  if (r.oneWay?.lost)
    out.push(`${name}: ${count(r.oneWay.lost)} of ${count(r.oneWay.sent)} datagrams never reached the server (${percent(r.oneWay.lost / r.oneWay.sent)})`);
  if (r.sequence.lost && datagrams && !r.oneWay)
    out.push(
      `${name}: ${count(r.sequence.lost)} of ${count(r.sequence.sent)} datagrams lost (${percent(r.sequence.lost / r.sequence.sent)}) over the whole run`,
    );
  if (r.sequence.reordered || r.sequence.duplicated) out.push(`${name}: ${count(r.sequence.reordered)} reordered, ${count(r.sequence.duplicated)} duplicated`);
  if (r.counts.unsent && !searching)
    out.push(`${name}: ${count(r.counts.unsent)} scheduled sends never left (the target, or the generator, could not keep up)`);
  const rejected = Object.entries({ ...r.serverRejected, ...r.serverErrors });
  if (rejected.length) out.push(`${name}: the server counted ${rejected.map(([k, v]) => `${k} ×${count(v)}`).join(", ")}`);
  // Which side set a closed loop's pace is a column of its table, not a problem. An open loop's
  // sends are late only beyond what the machine's own pauses explain.
  if (r.spec.model === "open" && !searching) {
    const late = lateSends(r);
    if (late?.count)
      out.push(
        `${name}: ${count(late.count)} sends left more than ${latency(late.thresholdNs)} late, longer than any pause of the swarm process itself, with send lag p99 ${latency(r.lag.p99)}: the generator or the server's backpressure held them back`,
      );
    else if (!late && r.counts.behind > 0)
      out.push(
        `${name}: ${count(r.counts.behind)} sends left more than 1 ms late (send lag p99 ${latency(r.lag.p99)}; the machine's pauses were not measured)`,
      );
  }
  return out;
}

function pushProblems(section: string, r: PushRunResult): string[] {
  const name = `${section}, ${r.label}, ${r.spec.subscribers} subscribers`;
  const out: string[] = [];
  if (r.delivered < r.expected) out.push(`${name}: ${count(r.expected - r.delivered)} of ${count(r.expected)} deliveries missing`);
  if (r.delivered > r.expected) out.push(`${name}: ${count(r.delivered - r.expected)} deliveries more than events × subscribers (duplicates)`);
  if (r.missed) out.push(`${name}: ${count(r.missed)} events evicted before a poller asked for them`);
  if (r.clockAnomalies) out.push(`${name}: ${count(r.clockAnomalies)} deliveries appeared to arrive before publication (clock trouble); counted as 0`);
  if (r.events === 0) out.push(`${name}: no event was delivered in the measured window`);
  return out;
}

function browserProblems(row: BrowserRow): string[] {
  const name = `browser, ${row.label}`;
  const out: string[] = [];
  if (row.failures) out.push(`${name}: ${count(row.failures)} ${row.kind === "push" ? "requests or connections" : "requests"} failed in the page`);
  if (row.kind === "request" && row.latency.count === 0) out.push(`${name}: no request completed`);
  if (row.kind !== "push") return out;
  const expected = row.expected ?? 0;
  const delivered = row.delivered ?? 0;
  if (expected === 0) out.push(`${name}: no event was published in the measured window, or none arrived`);
  if (delivered < expected) out.push(`${name}: ${count(expected - delivered)} of ${count(expected)} events never arrived`);
  if (row.duplicates) out.push(`${name}: ${count(row.duplicates)} ${row.duplicates === 1 ? "event" : "events"} arrived more than once`);
  return out;
}

/** Everything that went wrong in a run, one line each. Nothing is hidden. */
export function problems(sections: Section[]): string[] {
  return sections.flatMap((s) => {
    if (s.kind === "browser") return s.rows.flatMap(browserProblems);
    // Distance rows repeat at each round-trip time: say which one went wrong.
    const at = (r: LoadResult | PushRunResult) => (s.kind === "distance" ? `${s.kind} at ${rttOfRun(r)} ms round trip` : s.kind);
    return [...loadRuns(s).flatMap((r) => loadProblems(at(r), r)), ...pushRuns(s).flatMap((r) => pushProblems(at(r), r))];
  });
}
