// What the relay itself costs, measured on this machine: round trips of one 64-byte message,
// alternating between an echo server reached directly and through a relay in its own process
// with no conditions. The difference of the medians is what every relayed latency carries
// besides the profile's delay (two more loopback hops and a pass through the relay's loop).
import type { RelayOverhead } from "../model/results.ts";
import { percentile } from "../../netem/percentile.ts";
import { openRoundTripper, pairedRoundTrips, type RoundTripper } from "../../netem/round-trips.ts";
import { startRelayProcess } from "../../netem/relay-process.ts";
import { startServer } from "./server-process.ts";

const HOST = "127.0.0.1";

export async function measureRelayOverhead(transport: "tcp" | "udp", roundTrips = 200, warmup = 20, net = "none"): Promise<RelayOverhead> {
  const server = await startServer(transport, ["--mode", "echo", "--quiet"]);
  let relay: Awaited<ReturnType<typeof startRelayProcess>> | undefined;
  const trippers: RoundTripper[] = [];
  try {
    relay = await startRelayProcess(transport, { host: HOST, port: server.port }, net);
    const direct = await openRoundTripper(transport, { host: HOST, port: server.port });
    trippers.push(direct);
    const relayed = await openRoundTripper(transport, { host: HOST, port: relay.port });
    trippers.push(relayed);
    const r = await pairedRoundTrips(direct, relayed, roundTrips, warmup);
    const directP50Ns = percentile(r.direct, 50);
    const relayedP50Ns = percentile(r.relayed, 50);
    return { transport, roundTrips, directP50Ns, relayedP50Ns, addedP50Ns: relayedP50Ns - directP50Ns };
  } finally {
    // Whatever failed, everything opened is closed and both processes are stopped (a failure
    // to stop does not hide the first error).
    await Promise.allSettled(trippers.map((t) => t.close()));
    await Promise.allSettled([relay?.stop(), server.stop()]);
  }
}
