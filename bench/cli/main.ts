#!/usr/bin/env bun
//  `bun run bench`: measure (bench/cli/bench-command.ts), or compare and merge results already written.
import { runMain } from "../../lib/main.ts";
import { USAGE, benchCommand } from "./bench-command.ts";
import { COMPARE_USAGE, compareCommand } from "./compare-command.ts";
import { MERGE_USAGE, mergeCommand } from "./merge-command.ts";

const argv = process.argv.slice(2);
// Subcommands that read results instead of measuring, each with its own usage on bad input.
if (argv[0] === "compare") await runMain("bench", COMPARE_USAGE, () => compareCommand(argv.slice(1)));
if (argv[0] === "merge") await runMain("bench", MERGE_USAGE, () => mergeCommand(argv.slice(1)));
await runMain("bench", USAGE, () => benchCommand(argv));
