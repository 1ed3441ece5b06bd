// Every scenario by name: what it plans for a config, and how its plan is carried out. The
// suite, `bun run bench` with no arguments, is the lab's hello exercises run for real, then its
// comparison in under two minutes: round trips, push against polling, both again at growing
// round-trip times, throughput at two sizes, a short open-loop load, and the comparison in a
// real browser where Chromium is installed. With --net the
// whole suite already runs under one set of conditions, so the distance section is left out.
import { hasDistance, roundsGiven, type BenchConfig, type Scenario } from "../model/config.ts";
import { metricNames } from "../model/figures.ts";
import type { Progress, Section } from "../model/results.ts";
import { helloExchanges } from "../run/transcript.ts";
import * as browser from "./browser.ts";
import * as capacity from "./capacity.ts";
import * as connect from "./connect.ts";
import * as distance from "./distance.ts";
import * as load from "./load.ts";
import type { SectionPlan } from "./plan.ts";
import * as push from "./push.ts";
import * as rtt from "./rtt.ts";
import * as throughput from "./throughput.ts";
import * as udp from "./udp.ts";
import { combineRounds } from "./rounds.ts";

/** A section planned, and how to carry the plan out. */
interface Step {
  /** Undefined for a step that only says something (a section left out). */
  plan?: SectionPlan;
  run(progress: Progress): Promise<Section | undefined>;
}

/**
 * In the suite's default rounds, push and distance run once: a push run lasts its polling
 * interval's grace however short it is, and distance its dozen round trips, so their rounds would
 * take the suite well past its time. Asked for with --rounds, every section runs them.
 */
export function onceInSuite(config: BenchConfig, kind: Section["kind"]): boolean {
  return config.scenario === "suite" && !roundsGiven(config) && (kind === "push" || kind === "distance");
}

/** Where the suite leaves a section out, it says so where the section would have run. */
function leftOut(line: string): Step {
  return { run: async (progress) => void progress(line) };
}

function step<P extends SectionPlan>(plan: P, run: (p: P, progress: Progress) => Promise<Section>): Step {
  return { plan, run: (progress) => run(plan, progress) };
}

const hello: Step = {
  plan: { kind: "hello", specs: [], skipped: [] },
  async run(progress) {
    const exchanges = await helloExchanges();
    progress(`hello  ${exchanges.map((e) => e.title).join(", ")}: run for the report`);
    return { kind: "hello", runs: [], exchanges };
  },
};

const STEPS: Record<Scenario, (c: BenchConfig) => Step[]> = {
  suite: (c) => [
    hello,
    step(rtt.plan(c), rtt.run),
    step(push.plan(c, "suite"), push.run),
    ...(hasDistance(c)
      ? [step(distance.plan(c), distance.run)]
      : c.net !== undefined
        ? [leftOut("distance  left out: --net already sets the conditions for the whole suite")]
        : []),
    step(throughput.plan(c, [64, 16_384]), throughput.run),
    step(load.plan(c, [5000]), load.run),
    ...(!suiteHasBrowser(c)
      ? []
      : c.net === undefined && c.target === undefined
        ? [step(browser.plan(c), browser.run)]
        : [leftOut("browser  left out: it runs our own servers on this host's loopback, not under --net or at a --target")]),
  ],
  rtt: (c) => [step(rtt.plan(c), rtt.run)],
  push: (c) => [step(push.plan(c), push.run)],
  throughput: (c) => [step(throughput.plan(c), throughput.run)],
  load: (c) => [step(load.plan(c), load.run)],
  capacity: (c) => [step(capacity.plan(c), capacity.run)],
  connect: (c) => [step(connect.plan(c), connect.run)],
  udp: (c) => [step(udp.plan(c), udp.run)],
  fanout: (c) => [step(push.planFanout(c), push.runFanout)],
  distance: (c) => [step(distance.plan(c), distance.run)],
  // The Bun clients' rows first, at the browser's settings, so that the report sets them side by side.
  browser: (c) => {
    const bun = { ...c, transports: ["ws", "http"] as BenchConfig["transports"], intervals: [browser.browserIntervalMs(c)] };
    return [step(rtt.plan(bun), rtt.run), step(push.plan(bun, "browser"), push.run), step(browser.plan(c), browser.run)];
  },
};

/** The suite's browser section compares WebSocket with HTTP: both must be among the transports. */
function suiteHasBrowser(c: BenchConfig): boolean {
  return c.transports.includes("ws") && c.transports.includes("http");
}

/** The sections a config's scenario will run, each with the specs of its runs. */
export function planOf(config: BenchConfig): SectionPlan[] {
  return STEPS[config.scenario](config).flatMap((s) => (s.plan ? [s.plan] : []));
}

/** The metric names (without sweep points) a config's run will produce, for --assert and --list-metrics. */
export function plannedMetricNames(config: BenchConfig): string[] {
  return metricNames(planOf(config));
}

/**
 * Carries out the config's plan, section by section; with --rounds K each section runs K times
 * over (A B C D, A B C D, ...) and its runs' rounds are combined (scenarios/rounds.ts). The hello
 * exercises are shown once.
 */
export async function runScenario(config: BenchConfig, progress: Progress): Promise<Section[]> {
  const sections: Section[] = [];
  for (const s of STEPS[config.scenario](config)) {
    // The hello exercises are shown, and the browser's figures are one browser's: each runs once.
    const rounds = s.plan && s.plan.kind !== "hello" && s.plan.kind !== "browser" && !onceInSuite(config, s.plan.kind) ? config.repeat : 1;
    const made: Section[] = [];
    for (let round = 1; round <= rounds; round++) {
      if (rounds > 1) progress(`round ${round} of ${rounds}`);
      const section = await s.run(progress);
      if (section) made.push(section);
    }
    if (made.length) sections.push(combineRounds(made));
  }
  return sections;
}
