#!/usr/bin/env bun
//  `bun run swarm`: an agent that runs one share of a load against a remote server (bench/cli/bench-command.ts).
import { runMain } from "../../lib/main.ts";
import { SWARM_USAGE, benchCommand } from "./bench-command.ts";

await runMain("swarm", SWARM_USAGE, () => benchCommand(process.argv.slice(2), true));
