import pkg from "../../package.json" with { type: "json" };
import type { BenchConfig } from "../cli/options.ts";
import { PIN_DESCRIPTIONS, environment } from "./environment.ts";
import { RESULT_FORMAT, sectionRuns, type BenchResult, type Progress, type Section } from "../model/results.ts";
import { SCENARIO_RUNNERS } from "../scenarios/index.ts";
import { measureRelayOverhead, relaysOf, type RelayOverhead } from "./relay-overhead.ts";
import { latency } from "../model/format.ts";
import { messageOf } from "../../lib/errors.ts";

/** How the runs were placed on CPUs, summarized over every run (e.g. "server on CPU 1, swarm on CPU 0"). */
function describePlacement(sections: Section[], config: BenchConfig): string {
  const seen = new Map<string, number>();
  for (const section of sections) {
    for (const run of sectionRuns(section)) {
      const p = run.placement;
      const server = p.server ? `server CPU ${p.server.lastCpu}` : "server CPU ?";
      const swarm = p.swarm.map((s) => (s ? `${s.lastCpu}` : "?")).join("/");
      const key = `${server}, swarm CPU ${swarm}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
  }
  const allowed = sections.flatMap((s) => sectionRuns(s).map((r) => r.placement.server?.allowed)).find(Boolean) ?? "?";
  const observed = [...seen.entries()].sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k} (${n} run${n > 1 ? "s" : ""})`).join("; ");
  return `${PIN_DESCRIPTIONS[config.pin]}; allowed CPUs ${allowed}; seen at mid-run: ${observed || "no runs"}`;
}

/** Runs the scenario the config names and returns everything measured, as plain data. */
export async function run(config: BenchConfig, progress: Progress): Promise<BenchResult> {
  const started = new Date();
  const t0 = performance.now();
  // Measured first, on a quiet machine: what the relay adds besides the profile's conditions.
  const relayOverhead: RelayOverhead[] = [];
  for (const transport of relaysOf(config)) {
    // Best effort: the run does not depend on it, and the report says when it is missing.
    try {
      const o = await measureRelayOverhead(transport);
      progress(`relay  ${transport} relay with no delay adds ${latency(o.addedP50Ns)} per round trip at p50 (${o.roundTrips} round trips, direct and relayed in turn)`);
      relayOverhead.push(o);
    } catch (err) {
      progress(`relay  could not measure what the ${transport} relay adds: ${messageOf(err)}`);
    }
  }
  const sections = await SCENARIO_RUNNERS[config.scenario](config, progress);
  const { argv, ...rest } = config;
  return {
    format: RESULT_FORMAT,
    tool: { name: "socketlab", version: pkg.version },
    scenario: config.scenario,
    config: rest,
    command: ["bun", "run", "bench", ...argv].map((a) => (/^[\w./:,=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" "),
    environment: environment(config.pin, describePlacement(sections, config)),
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    elapsedSec: (performance.now() - t0) / 1000,
    ...(relayOverhead.length ? { relayOverhead } : {}),
    sections,
  };
}
