import { startJsonChild, type JsonChild } from "../lib/children.ts";
import type { TcpRelayStats, UdpRelayStats } from "./types.ts";

/**
 * A relay CLI in its own process, so its delivery timing is not disturbed by the event loop of
 * whoever measures through it (and the spin that makes it precise burns another process's time).
 */
export type RelayProcess<S> = JsonChild<S>;

type StatsOf<T extends "tcp" | "udp"> = T extends "tcp" ? TcpRelayStats : UdpRelayStats;

/**
 * Starts `netem/cli.ts <transport> --listen 127.0.0.1:0 --target HOST:PORT --net NET --json`,
 * optionally behind a command prefix (e.g. `taskset -c 1`), and waits for its ready line.
 */
export function startRelayProcess<T extends "tcp" | "udp">(
  transport: T,
  target: { host: string; port: number },
  net: string,
  extra: string[] = [],
  prefix: string[] = [],
  readyTimeoutMs = 10_000,
): Promise<RelayProcess<StatsOf<T>>> {
  const cmd = [
    ...prefix,
    process.execPath,
    "netem/cli.ts",
    transport,
    "--listen",
    "127.0.0.1:0",
    "--target",
    `${target.host}:${target.port}`,
    "--net",
    net,
    "--json",
    ...extra,
  ];
  // The CLI's problems are its "netem: ..." lines; the usage after them says nothing new.
  return startJsonChild<StatsOf<T>>(cmd, `the ${transport} relay`, "netem: ", readyTimeoutMs);
}
