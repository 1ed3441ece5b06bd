import { PROJECT_ROOT, spawnChild, type Child } from "../lib/children.ts";
import { RunError } from "../lib/errors.ts";
import type { Transport } from "../protocol/limits.ts";
import type { ServerStats } from "../servers/types.ts";

/** A server CLI running in its own process (the load generator never shares its event loop). */
export interface ServerProcess extends Child {
  port: number;
  pid: number;
  /** SIGTERM, then the counters from the server's final JSON line. */
  stop(): Promise<ServerStats>;
}

/**
 * Starts `servers/cli.ts <transport> --port 0 --json ...`, optionally behind a command prefix
 * (e.g. `taskset -c 0`), and waits for its JSON ready line. If it fails to come up, the error
 * carries the server's stderr.
 */
export async function startServer(transport: Transport, extra: string[] = [], prefix: string[] = [], readyTimeoutMs = 10_000): Promise<ServerProcess> {
  const child = spawnChild([...prefix, process.execPath, "servers/cli.ts", transport, "--port", "0", "--json", ...extra], PROJECT_ROOT);
  let ready: { port: number; pid: number };
  try {
    ready = JSON.parse(await child.stdout.waitFor(/"event":"ready"/, readyTimeoutMs));
  } catch {
    child.kill("SIGKILL");
    await child.exited().catch(() => {});
    const why = child.stderr.text.trim().split("\n").slice(-5).join(" | ") || "no output";
    throw new RunError(`the ${transport} server did not start: ${why}`);
  }
  return {
    ...child,
    port: ready.port,
    pid: ready.pid,
    async stop() {
      child.kill("SIGTERM");
      const line = await child.stdout.waitFor(/"event":"stopped"/, 10_000);
      await child.exited();
      return JSON.parse(line).stats as ServerStats;
    },
  };
}
