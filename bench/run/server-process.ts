import { startJsonChild, type JsonChild } from "../../lib/children.ts";
import type { Transport } from "../../protocol/limits.ts";
import type { ServerStats } from "../../protocol/server-stats.ts";

/** A server CLI running in its own process (the load generator never shares its event loop). */
export type ServerProcess = JsonChild<ServerStats>;

/**
 * Starts `servers/cli.ts <transport> --port 0 --json ...`, optionally behind a command prefix
 * (e.g. `taskset -c 0`), and waits for its JSON ready line. If it fails to come up, the error
 * carries the server's stderr.
 */
export function startServer(transport: Transport, extra: string[] = [], prefix: string[] = [], readyTimeoutMs = 10_000): Promise<ServerProcess> {
  return startJsonChild<ServerStats>(
    [...prefix, process.execPath, "servers/cli.ts", transport, "--port", "0", "--json", ...extra],
    `the ${transport} server`,
    "server: ",
    readyTimeoutMs,
  );
}
