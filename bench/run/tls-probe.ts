// What a TLS server negotiates, learnt from one handshake before a run (the swarm's own
// connections hide their sockets behind the load models' pipes). It is also the run's first
// word with the server: a refused certificate or a server that does not speak TLS ends the run
// here, in one line, within the deadline.
import { RunError } from "../../lib/errors.ts";
import { describeNetError, hostPort, type Target } from "../../lib/net.ts";
import { connectReady, type TlsTrust } from "../../lib/tls.ts";
import type { NegotiatedTls } from "../model/results.ts";

/** The deadline of the probe: a TLS server owes us a handshake well within it. */
const PROBE_MS = 2000;

export async function negotiatedTls(target: Target & { tls: TlsTrust }): Promise<NegotiatedTls> {
  let socket: Awaited<ReturnType<typeof connectReady>> | undefined;
  try {
    socket = await connectReady(
      { hostname: target.host, port: target.port, tls: target.tls, socket: { data() {} } },
      PROBE_MS,
      hostPort(target.host, target.port),
    );
    const cipher = socket.getCipher();
    const version = socket.getTLSVersion();
    return { version: version ?? "unknown", cipher: cipher?.standardName ?? cipher?.name ?? "unknown" };
  } catch (err) {
    throw err instanceof RunError ? err : new RunError(describeNetError(err, target.host, target.port));
  } finally {
    socket?.terminate();
  }
}
