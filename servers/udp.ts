import { UDP_ACK } from "../protocol/limits.ts";
import { codeOf } from "../lib/errors.ts";
import { printable } from "../lib/text.ts";
import { bump, newStats, requireMode, snapshot, type RunningServer, type ServerMode, type ServerOptions } from "./types.ts";

const ack = new TextEncoder().encode(UDP_ACK);

export const MODES = ["hello", "echo", "sink"] as const satisfies readonly ServerMode[];

/**
 * UDP on Bun.udpSocket. hello: logs "Client: ..." and acknowledges with "Message received";
 * echo: every datagram goes back unchanged to its sender; sink: datagrams are only counted
 * (one-way load, as iperf3 -u measures it: the count is the received side of the loss figure). Any size and content is accepted,
 * since a datagram can never be malformed at this layer; failed sends are counted, not thrown.
 */
export async function start(options: ServerOptions): Promise<RunningServer> {
  requireMode("udp", options.mode, MODES);
  const stats = newStats();
  const log = options.log;
  const echo = options.mode === "echo";
  const sink = options.mode === "sink";

  const socket = await Bun.udpSocket({
    hostname: options.host,
    port: options.port,
    socket: {
      data(sock, buf, port, address) {
        stats.messages++;
        stats.bytesIn += buf.length;
        if (options.dropEvery && stats.messages % options.dropEvery === 0) {
          bump(stats.rejected, "dropped on purpose (--drop-every)");
          return;
        }
        if (sink) return;
        if (!echo) log?.(`Client: ${printable(buf)}`);
        const out = echo ? buf : ack;
        let sent = false;
        try {
          sent = sock.send(out, port, address);
        } catch (err) {
          bump(stats.errors, codeOf(err) ?? "send-failed");
          return;
        }
        if (!sent) {
          // The kernel's send buffer is full: the reply is lost, as UDP allows, but never silently.
          bump(stats.errors, "send-buffer-full");
          return;
        }
        stats.bytesOut += out.length;
        if (!echo) log?.("Acknowledgment sent to client.");
      },
      error(err) {
        // e.g. ICMP port unreachable from a client that already left; the socket stays usable.
        bump(stats.errors, codeOf(err) ?? "socket-error");
      },
    },
  });

  return {
    transport: "udp",
    mode: options.mode,
    hostname: socket.hostname,
    port: socket.port,
    stats: () => snapshot(stats),
    async stop() {
      socket.close();
    },
  };
}
