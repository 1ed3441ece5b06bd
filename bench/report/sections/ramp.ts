// The tables of rates that change within a run: a ramp's stages (--stages) and a capacity
// search's steps, each row the operations due in that stretch.
import { DRIVERS } from "../../catalog.ts";
import { count, latency, percent, rate, table } from "../../model/format.ts";
import type { CapacityResult, LoadResult, SectionOf } from "../../model/results.ts";
import { bestStep } from "../../model/ramp.ts";

/** "0 → 1,000/s" for a ramp, "1,000/s" for a stage that holds. */
function stageRate(from: number, to: number): string {
  return from === to ? rate(to) : `${count(from)} → ${rate(to)}`;
}

/** A ramp's stages, one table per run. */
export function stageTables(runs: LoadResult[]): string {
  return runs
    .filter((r) => r.stages?.length)
    .map((r) => {
      const rows = r.stages!.map((st, i) => [
        String(i + 1),
        `${(st.startMs / 1000).toFixed(1)}–${((st.startMs + st.lengthMs) / 1000).toFixed(1)} s`,
        stageRate(st.fromPerSec, st.toPerSec),
        rate(st.offeredPerSec),
        rate(st.achievedPerSec),
        latency(st.latency.p50),
        latency(st.latency.p99),
        latency(st.latency.max),
        count(st.timeouts + st.errors),
        latency(st.lagP99),
      ]);
      return `${DRIVERS[r.spec.driver].label}, by stage:\n\n${table(["stage", "when", "asked", "offered", "achieved", "p50", "p99", "max", "failed", "send lag p99"], rows)}`;
    })
    .join("\n\n");
}

/** What one search found, in words: the rate, its bracket, and whether it held again. */
export function capacityVerdict(c: CapacityResult): string {
  if (c.ratePerSec === undefined) return `no rate held ${c.objectives.join(", ")}, down to ${rate(Math.min(...c.steps.map((s) => s.ratePerSec)))}`;
  const bracket =
    c.failedAtPerSec === undefined
      ? `every rate up to the top of the search (${rate(c.maxPerSec)}) held: the capacity is higher`
      : `held at ${rate(c.ratePerSec)}, broke at ${rate(c.failedAtPerSec)} (within ${percent((c.failedAtPerSec - c.ratePerSec) / c.ratePerSec)})`;
  const again =
    c.confirmed === undefined ? "" : c.confirmed ? "; held again when run once more" : "; did NOT hold when run once more: treat it as an upper bound";
  return `${rate(c.ratePerSec)}: ${bracket}${again}`;
}

function failure(s: CapacityResult["steps"][number]): string {
  if (s.pass) return "held";
  if (s.broke) return `broke: ${s.broke.objective.split("<")[0]} ${latency(s.broke.valueNs)}`;
  return s.sent === 0 ? "broke: nothing sent" : `broke: ${count(s.unanswered ?? 0)} of ${count(s.sent)} unanswered`;
}

export function capacityBody(s: SectionOf<"capacity">): string {
  const summary = table(
    ["transport", "capacity", "p50 / p99 there", "steps", "verdict"],
    s.runs.map((r) => {
      const c = r.capacity;
      const at = c && bestStep(c);
      return [
        DRIVERS[r.spec.driver].label,
        c?.ratePerSec === undefined ? "none" : rate(c.ratePerSec),
        at ? `${latency(at.latency.p50)} / ${latency(at.latency.p99)}` : "–",
        String(c?.steps.length ?? 0),
        c ? capacityVerdict(c) : "no search",
      ];
    }),
  );
  const curves = s.runs
    .filter((r) => r.capacity)
    .map((r) => {
      const rows = r.capacity!.steps.map((st, i) => [
        `${i + 1}${st.confirmation ? " (again)" : ""}`,
        rate(st.ratePerSec),
        rate(st.achievedPerSec),
        latency(st.latency.p50),
        latency(st.latency.p99),
        latency(st.latency.max),
        latency(st.lagP99),
        failure(st),
      ]);
      return `${DRIVERS[r.spec.driver].label}, step by step:\n\n${table(["step", "offered", "achieved", "p50", "p99", "max", "send lag p99", "verdict"], rows)}`;
    })
    .join("\n\n");
  const first = s.runs[0]?.spec;
  const step = first?.capacity ? `${first.capacity.stepMs >= 1000 ? `${first.capacity.stepMs / 1000} s` : `${first.capacity.stepMs} ms`}` : "";
  return [
    summary,
    curves,
    `Objective: ${s.objectives.join(" and ")}. Each step holds one rate for ${step} over ${count(first?.clients ?? 0)} connections, kept open for the whole search, then waits until its messages are answered; it holds when every message due in it was answered and its corrected latency met the objective. Rates double from ${rate(first?.capacity?.startPerSec ?? 0)} until a step breaks, then the bracket is halved until it is within ${percent(first?.capacity?.precision ?? 0)}; the best rate is then run once more. A send lag p99 near the latency means the generator, not the server, could not keep the schedule.`,
  ].join("\n\n");
}
