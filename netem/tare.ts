/**
 * The relay's tare: what it adds beyond its profile on this machine, measured when it starts,
 * so that it can take that much off every delay (Link's tareNs) and add what the profile says.
 *
 * Why a relay adds more than its delay: it is two extra loopback hops and a pass through its
 * event loop each way, and it starts a delay when its loop sees the bytes, which is after it has
 * been woken for them. A wake-up after milliseconds asleep costs 20 µs on a fast machine and
 * 50-150 µs on a slower one (a halted virtual CPU is slow to wake), so the extra grew with the
 * machine's slowness, from +0.3% on 10 ms to +2.8% (netem/accuracy.test.ts). The tare measures
 * that extra in place: an echo server and a client, each a process of its own (as the programs
 * a relay carries are; with threads the tare came out short), time round trips of 64 bytes
 * alternately straight to the server and through a relay in this process, on this process's
 * delivery queue, with the profile's delay (at most TARE_DELAY_MS each way: beyond a few
 * milliseconds asleep a CPU is as deeply idle as it gets, so a longer delay costs time and
 * measures the same). The tare is the median of the paired differences (each relayed round trip
 * less the direct one beside it) less the delay: per round trip, half of it taken off each way.
 */
import type { Pacer } from "./pacer.ts";
import { describeProfile, type Profile } from "./profile.ts";
import { percentile } from "./percentile.ts";
import { startTcpRelay } from "./tcp-relay.ts";
import type { PeerReply, PeerRequest } from "./tare-peer.ts";
import { PROJECT_ROOT, spawnChild, type Child } from "../lib/children.ts";
import { startUdpRelay } from "./udp-relay.ts";

const TARE_DELAY_MS = 5;
const PAIRS = 120;
const WARMUP = 10;
const PEER_TIMEOUT_MS = 2000;

export interface Tare {
  /** Taken off every round trip, ns (half each way); 0 when the relay added nothing measurable. */
  tareNs: number;
  /** The delay each way it was measured with, ms. */
  delayMs: number;
  pairs: number;
  directP50Ns: number;
  relayedP50Ns: number;
}

/** The delay each way a tare for `profile` is measured with: its own, up to TARE_DELAY_MS. */
export function tareDelayMs(profile: Profile): number {
  return Math.min(profile.delayMs, TARE_DELAY_MS);
}

/** The nearest-rank median (of an even count the lower middle: a value measured). */
function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}

/** Starts a peer process with a request; resolves with its one JSON reply line, bounded. */
async function ask(request: PeerRequest, timeoutMs: number): Promise<{ reply: PeerReply; child: Child }> {
  const child = spawnChild([process.execPath, new URL("./tare-peer.ts", import.meta.url).pathname, JSON.stringify(request)], PROJECT_ROOT);
  try {
    const line = await child.stdout.waitFor(/^\{/, timeoutMs);
    const reply = JSON.parse(line) as PeerReply;
    if ("error" in reply) throw new Error(`the tare's ${request.role} peer: ${reply.error}`);
    return { reply, child };
  } catch (err) {
    child.kill("SIGKILL");
    const why = child.stderr.text.trim().split("\n").at(-1);
    throw new Error(`${(err as Error).message}${why ? ` (${why})` : ""}`);
  }
}

/**
 * Measures the tare of a `transport` relay with `profile`'s delay on `pacer`. A profile without
 * delay has nothing to take it from: 0, measured not at all. Throws if a peer fails or stalls.
 */
export async function measureTare(transport: "tcp" | "udp", profile: Profile, pacer?: Pacer): Promise<Tare> {
  const delayMs = tareDelayMs(profile);
  if (delayMs === 0) return { tareNs: 0, delayMs: 0, pairs: 0, directP50Ns: 0, relayedP50Ns: 0 };
  const children: Child[] = [];
  let relay: { stop(): Promise<void> } | undefined;
  try {
    // A process start takes tens of milliseconds (more on a slow machine): the first wait is longer.
    const server = await ask({ role: "echo", transport }, PEER_TIMEOUT_MS + 5000);
    children.push(server.child);
    const echo = server.reply;
    if (!("port" in echo)) throw new Error("the tare's echo peer sent no port");
    // Delay only: jitter would widen the medians, loss would stall a round trip, a rate cap
    // would add serialization the profile accounts for by itself.
    const bare: Profile = { delayMs, jitterMs: 0, loss: 0 };
    const options = { listenHost: "127.0.0.1", listenPort: 0, targetHost: "127.0.0.1", targetPort: echo.port, profile: bare, pacer };
    const running = transport === "tcp" ? await startTcpRelay(options) : await startUdpRelay(options);
    relay = running;
    const budgetMs = (PAIRS + WARMUP) * (2 * delayMs + PEER_TIMEOUT_MS);
    const client = await ask(
      { role: "client", transport, directPort: echo.port, relayedPort: running.port, pairs: PAIRS, warmup: WARMUP, timeoutMs: PEER_TIMEOUT_MS },
      budgetMs + 5000,
    );
    children.push(client.child);
    const r = client.reply;
    if (!("direct" in r)) throw new Error("the tare's client peer sent no round trips");
    const directP50Ns = median(r.direct);
    const relayedP50Ns = median(r.relayed);
    // The median of paired differences: each relayed round trip against the direct one beside
    // it, so a slow spell of the machine affects both sides of a pair and cancels.
    const extra = median(r.relayed.map((v, i) => v - r.direct[i]!));
    const tareNs = Math.max(0, Math.round(extra - 2 * delayMs * 1e6));
    return { tareNs, delayMs, pairs: PAIRS, directP50Ns, relayedP50Ns };
  } finally {
    await relay?.stop();
    for (const child of children) child.kill("SIGKILL");
    await Promise.allSettled(children.map((c) => c.exited(5000)));
  }
}

/** One line for the relay's ready message: what was taken off and from what. */
export function describeTare(t: Tare, profile: Profile): string {
  if (t.pairs === 0) return `no tare (${describeProfile(profile)} has no delay to take it from)`;
  return `tare ${(t.tareNs / 1000).toFixed(0)} µs per round trip (measured with ${t.delayMs} ms each way, ${t.pairs} round trips: direct p50 ${(t.directP50Ns / 1000).toFixed(0)} µs, relayed ${((t.relayedP50Ns - 2 * t.delayMs * 1e6) / 1000).toFixed(0)} µs beyond the delay)`;
}
