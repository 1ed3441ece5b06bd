#!/usr/bin/env bun
//  `bun run bench:micro`: the hot paths with mitata, then the rtt cross-check with tinybench.
import { runMain } from "../../../lib/main.ts";
import { hotPaths } from "./hot-paths.ts";
import { rttCrosscheck } from "./rtt-crosscheck.ts";

await runMain("bench:micro", "usage: bun run bench:micro", async () => {
  await hotPaths();
  await rttCrosscheck();
  return 0;
});
