import { PROJECT_ROOT, killAllChildren, spawnChild, type Child } from "../../lib/children.ts";
import { startServer as startServerProcess, type ServerProcess } from "../../bench/run/server-process.ts";
import type { Transport } from "../../protocol/limits.ts";

export type { Child };

/** Kills whatever a test left running; every test file that spawns registers it. */
export function killAll(): void {
  killAllChildren();
}

/** `bun <args>` from the project root, with pipes for all three streams. */
export function spawnCli(args: string[], env: Record<string, string> = {}): Child {
  return spawnChild([process.execPath, ...args], PROJECT_ROOT, env);
}

/** Runs a CLI to completion with the given input (and environment additions); bounded by timeoutMs. */
export async function runCli(
  args: string[],
  input = "",
  timeoutMs = 15_000,
  env: Record<string, string> = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnCli(args, env);
  if (input) child.write(input);
  child.endInput();
  const code = await child.exited(timeoutMs);
  return { code, stdout: child.stdout.text, stderr: child.stderr.text };
}

export type ServerChild = ServerProcess;

/** Starts `bun run server <transport> --port 0 --json ...` and waits for its ready line. */
export function startServer(transport: Transport, extra: string[] = []): Promise<ServerChild> {
  return startServerProcess(transport, extra);
}
