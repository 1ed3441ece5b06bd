import { PROJECT_ROOT, spawnChild, type Child } from "../lib/children.ts";
import { RunError } from "../lib/errors.ts";
import type { TcpRelayStats, UdpRelayStats } from "./types.ts";

/**
 * A relay CLI in its own process, so its delivery timing is not disturbed by the event loop of
 * whoever measures through it (and the spin that makes it precise burns another process's time).
 */
export interface RelayProcess<S> extends Child {
  port: number;
  pid: number;
  /** SIGTERM, then the counters from the relay's final JSON line. */
  stop(): Promise<S>;
}

type StatsOf<T extends "tcp" | "udp"> = T extends "tcp" ? TcpRelayStats : UdpRelayStats;

/**
 * Starts `netem/cli.ts <transport> --listen 127.0.0.1:0 --target HOST:PORT --net NET --json`,
 * optionally behind a command prefix (e.g. `taskset -c 1`), and waits for its ready line.
 */
export async function startRelayProcess<T extends "tcp" | "udp">(transport: T, target: { host: string; port: number }, net: string, extra: string[] = [], prefix: string[] = [], readyTimeoutMs = 10_000): Promise<RelayProcess<StatsOf<T>>> {
  const cmd = [...prefix, process.execPath, "netem/cli.ts", transport, "--listen", "127.0.0.1:0", "--target", `${target.host}:${target.port}`, "--net", net, "--json", ...extra];
  const child = spawnChild(cmd, PROJECT_ROOT);
  let ready: { port: number; pid: number };
  try {
    ready = JSON.parse(await child.stdout.waitFor(/"event":"ready"/, readyTimeoutMs));
  } catch {
    child.kill("SIGKILL");
    await child.exited().catch(() => {});
    // The CLI's problems are its "netem: ..." lines; the usage after them says nothing new.
    const lines = child.stderr.text.trim().split("\n");
    const problems = lines.filter((line) => line.startsWith("netem: "));
    const why = (problems.length > 0 ? problems : lines.slice(-5)).join(" | ") || "no output";
    throw new RunError(`the ${transport} relay did not start: ${why}`);
  }
  return {
    ...child,
    port: ready.port,
    pid: ready.pid,
    async stop() {
      child.kill("SIGTERM");
      const line = await child.stdout.waitFor(/"event":"stopped"/, 10_000);
      await child.exited();
      return JSON.parse(line).stats as StatsOf<T>;
    },
  };
}
