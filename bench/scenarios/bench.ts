// A whole bench run, as `bun run bench` makes it and tests call it: what the relays add (when
// there are any), the scenario's plan carried out, the machine described; plain data back.
import { messageOf } from "../../lib/errors.ts";
import pkg from "../../package.json" with { type: "json" };
import { DRIVERS, PATTERNS, TRANSPORT_DRIVERS } from "../catalog.ts";
import { recordedExchange, redactedArgv } from "../model/exchange.ts";
import type { BenchConfig } from "../model/config.ts";
import { latency } from "../model/format.ts";
import { RESULT_FORMAT, sectionRuns, type BenchResult, type Progress, type RelayOverhead, type Section } from "../model/results.ts";
import { isLoadSpec } from "../model/spec.ts";
import { PIN_DESCRIPTIONS, environment } from "../run/environment.ts";
import { measureRelayOverhead } from "../run/relay-overhead.ts";
import { startAt } from "../run/start-gate.ts";
import { planOf, runScenario } from "./index.ts";
import type { SectionPlan } from "./plan.ts";

/** The relays a plan's runs go through: TCP for stream transports, UDP for datagrams; none without conditions. */
export function relaysOf(plan: SectionPlan[]): ("tcp" | "udp")[] {
  const kinds = new Set<"tcp" | "udp">();
  for (const spec of plan.flatMap((s) => s.specs)) {
    if (spec.net === undefined) continue;
    const transport = isLoadSpec(spec) ? DRIVERS[spec.driver].transport : PATTERNS[spec.pattern].transport;
    kinds.add(TRANSPORT_DRIVERS[transport].datagram ? "udp" : "tcp");
  }
  return (["tcp", "udp"] as const).filter((k) => kinds.has(k));
}

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
  const observed = [...seen.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, n]) => `${k} (${n} run${n > 1 ? "s" : ""})`)
    .join("; ");
  return `${PIN_DESCRIPTIONS[config.pin]}; allowed CPUs ${allowed}; seen at mid-run: ${observed || "no runs"}`;
}

/** Runs the scenario the config names and returns everything measured, as plain data. */
export async function run(config: BenchConfig, progress: Progress): Promise<BenchResult> {
  const started = new Date();
  const t0 = performance.now();
  // Measured first, on a quiet machine: what the relay adds besides the profile's conditions.
  const relayOverhead: RelayOverhead[] = [];
  for (const transport of relaysOf(planOf(config))) {
    // Best effort: the run does not depend on it, and the report says when it is missing.
    try {
      const o = await measureRelayOverhead(transport);
      progress(
        `relay  ${transport} relay with no delay adds ${latency(o.addedP50Ns)} per round trip at p50 (${o.roundTrips} round trips, direct and relayed in turn)`,
      );
      relayOverhead.push(o);
    } catch (err) {
      progress(`relay  could not measure what the ${transport} relay adds: ${messageOf(err)}`);
    }
  }
  startAt(config.startAtMs);
  if (config.startAtMs !== undefined) progress(`start  measuring begins at ${new Date(config.startAtMs).toISOString()} (--start-at), connected and warmed up`);
  const sections = await runScenario(config, progress);
  const { argv, target, exchange, ...rest } = config;
  return {
    format: RESULT_FORMAT,
    tool: { name: "socketlab", version: pkg.version },
    scenario: config.scenario,
    // Where the target is and what was asked, without certificates or credentials' values.
    config: { ...rest, ...(target ? { target: { host: target.host, port: target.port } } : {}), ...(exchange ? { exchange: recordedExchange(exchange) } : {}) },
    command: ["bun", "run", "bench", ...redactedArgv(argv)].map((a) => (/^[\w./:,=@%+-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" "),
    environment: environment(config.pin, describePlacement(sections, config)),
    startedAt: started.toISOString(),
    finishedAt: new Date().toISOString(),
    elapsedSec: (performance.now() - t0) / 1000,
    ...(relayOverhead.length ? { relayOverhead } : {}),
    sections,
  };
}
