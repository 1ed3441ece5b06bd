import { startJsonChild, type JsonChild } from "../lib/children.ts";
import { parseProfile } from "./profile.ts";
import { tareDelayMs } from "./tare.ts";
import type { TcpRelayStats, UdpRelayStats } from "./types.ts";

/**
 * Tares measured by relays this process started, by transport and the delay they were measured
 * with: the first relay of each kind measures its tare (0.3-1.4 s), later ones within TARE_TTL_MS
 * are given it, so a section of many relayed runs (distance) measures once. Older ones are
 * measured again: what the relay costs changes with what the machine is doing.
 */
const tares = new Map<string, { us: number; atMs: number }>();
const TARE_TTL_MS = 30_000;

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
export async function startRelayProcess<T extends "tcp" | "udp">(
  transport: T,
  target: { host: string; port: number },
  net: string,
  extra: string[] = [],
  prefix: string[] = [],
  readyTimeoutMs = 10_000,
): Promise<RelayProcess<StatsOf<T>>> {
  const key = extra.includes("--tare") ? undefined : `${transport}@${tareDelayMs(parseProfile(net))}`;
  const cached = key === undefined ? undefined : tares.get(key);
  const known = cached && performance.now() - cached.atMs < TARE_TTL_MS ? cached.us : undefined;
  if (known !== undefined) extra = [...extra, "--tare", `${known}us`];
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
  const relay = await startJsonChild<StatsOf<T>>(cmd, `the ${transport} relay`, "netem: ", readyTimeoutMs);
  if (key !== undefined && known === undefined && typeof relay.ready.tareUs === "number") tares.set(key, { us: relay.ready.tareUs, atMs: performance.now() });
  return relay;
}
