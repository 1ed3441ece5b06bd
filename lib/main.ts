import { RunError, UsageError, messageOf } from "./errors.ts";

/**
 * Runs a CLI entry point and turns its outcome into an exit code.
 * Usage problems: each on its own line, then the usage, exit 2. Failed runs: one line, exit 1.
 * A stack trace is shown only with SOCKETLAB_DEBUG=1, because bad input must never produce one.
 */
export async function runMain(name: string, usage: string, main: () => Promise<number | void>): Promise<never> {
  let code: number;
  try {
    code = (await main()) ?? 0;
  } catch (err) {
    code = reportFailure(name, usage, err);
  }
  process.exit(code);
}

function reportFailure(name: string, usage: string, err: unknown): number {
  if (process.env.SOCKETLAB_DEBUG === "1") console.error(err);
  if (err instanceof UsageError) {
    for (const problem of err.problems) console.error(`${name}: ${problem}`);
    console.error(usage.trimEnd());
    return 2;
  }
  const prefix = err instanceof RunError ? "" : "unexpected error: ";
  console.error(`${name}: ${prefix}${messageOf(err).split("\n")[0]}`);
  return 1;
}

/**
 * Calls `stop` once on SIGINT or SIGTERM (Ctrl-C stops cleanly); a second signal exits at once.
 * Returns a function that removes the handlers.
 */
export function onShutdown(stop: (signal: NodeJS.Signals) => Promise<void> | void): () => void {
  let stopping = false;
  const handler = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(130);
    stopping = true;
    Promise.resolve(stop(signal)).catch((err) => {
      console.error(`error while stopping: ${messageOf(err)}`);
      process.exit(1);
    });
  };
  process.on("SIGINT", handler);
  process.on("SIGTERM", handler);
  return () => {
    process.off("SIGINT", handler);
    process.off("SIGTERM", handler);
  };
}
