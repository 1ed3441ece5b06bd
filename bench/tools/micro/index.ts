#!/usr/bin/env bun
//  `bun run bench:micro`: the hot paths with mitata, the cost of viewing a received chunk, then
//  the rtt cross-check with tinybench.
import { helpOnly } from "../../../lib/args.ts";
import { runMain } from "../../../lib/main.ts";
import { hotPaths } from "./hot-paths.ts";
import { receivedChunks } from "./received-chunks.ts";
import { rttCrosscheck } from "./rtt-crosscheck.ts";

const USAGE = "usage: bun run bench:micro (no options: the hot paths with mitata, a view of a received chunk, then a TCP round trip with tinybench)";

await runMain("bench:micro", USAGE, async () => {
  if (helpOnly(process.argv.slice(2), USAGE)) return 0;
  await hotPaths();
  await receivedChunks();
  await rttCrosscheck();
  return 0;
});
