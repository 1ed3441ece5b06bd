import type { BenchConfig, Scenario } from "../cli/options.ts";
import type { Progress, Section } from "../model/results.ts";
import { helloExchanges } from "../run/transcript.ts";
import { connect } from "./connect.ts";
import { distance } from "./distance.ts";
import { hasDistance } from "../model/distance-rows.ts";
import { load } from "./load.ts";
import { fanout, push } from "./push.ts";
import { rtt } from "./rtt.ts";
import { throughput } from "./throughput.ts";
import { udp } from "./udp.ts";

/**
 * The suite, `bun run bench` with no arguments: the lab's hello exercises run for real, then its
 * comparison in under a minute and a half — round trips, push against polling, both again at
 * growing round-trip times, throughput at two sizes, and a short open-loop load. With --net the
 * whole suite already runs under one set of conditions, so the distance section is left out.
 */
async function suite(config: BenchConfig, progress: Progress): Promise<Section[]> {
  const exchanges = await helloExchanges();
  progress(`hello  ${exchanges.map((e) => e.title).join(", ")}: run for the report`);
  const sections: Section[] = [{ kind: "hello", runs: [], exchanges }, await rtt(config, progress), await push(config, progress, "suite")];
  if (hasDistance(config)) sections.push(await distance(config, progress));
  else if (config.net !== undefined) progress("distance  left out: --net already sets the conditions for the whole suite");
  sections.push(await throughput(config, progress, [64, 16_384]), await load(config, progress, [5000]));
  return sections;
}

export const SCENARIO_RUNNERS: Record<Scenario, (config: BenchConfig, progress: Progress) => Promise<Section[]>> = {
  suite,
  rtt: async (c, p) => [await rtt(c, p)],
  push: async (c, p) => [await push(c, p)],
  throughput: async (c, p) => [await throughput(c, p)],
  load: async (c, p) => [await load(c, p)],
  connect: async (c, p) => [await connect(c, p)],
  udp: async (c, p) => [await udp(c, p)],
  fanout: async (c, p) => [await fanout(c, p)],
  distance: async (c, p) => [await distance(c, p)],
};
