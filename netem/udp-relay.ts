import type { udp } from "bun";
import { codeOf, messageOf } from "../lib/errors.ts";
import { resolveIp } from "../lib/net.ts";
import { Link } from "./link.ts";
import { sharedPacer } from "./pacer.ts";
import { bump, type RelayOptions, type RunningRelay, type UdpDirectionStats, type UdpRelayStats } from "./types.ts";

/**
 * A UDP relay that applies a network profile. Each client address (IP and port) gets its own
 * upstream socket, connected to the target, so the target's replies on that socket map back
 * to that client; replies cross the same emulated path in the other direction.
 *
 * - Every datagram is delayed on its own (delay + uniform jitter), so with jitter larger than
 *   the gap between two datagrams the later one can arrive first: reordering happens, as it
 *   does on real networks with parallel paths or per-packet jitter. Without jitter, order holds.
 * - Loss: each datagram is dropped with the profile's probability, independently, before it
 *   queues (as netem does); a `seed` makes the drops reproducible.
 * - Rate: datagrams queue for their serialization time on a link shared by every flow in that
 *   direction. A queue holding more than MAX_QUEUE_MS of traffic drops new arrivals (drop-tail,
 *   as a router would), counted as "overflowed", apart from the random loss.
 * - The client map is bounded: a flow idle for `idleMs` is forgotten (its upstream socket
 *   closed), and past `maxFlows` the least recently active flow is evicted.
 */

/** Drop-tail limit of the emulated link's queue, in time: a moderately bloated router buffer. */
const MAX_QUEUE_MS = 250;
/** Memory bound per direction for datagrams waiting out their delay. */
const MAX_IN_FLIGHT_BYTES = 64 << 20;
const DEFAULT_IDLE_MS = 60_000;
const DEFAULT_MAX_FLOWS = 4096;

export interface UdpRelayOptions extends RelayOptions {
  /** A client silent (both ways) this long is forgotten. Default 60 s. */
  idleMs?: number;
  /** Most client addresses mapped at once; the least recently active is evicted. Default 4096. */
  maxFlows?: number;
}

interface Flow {
  key: string;
  address: string;
  port: number;
  upstream: udp.ConnectedSocket<"uint8array"> | undefined;
  /** Deliveries due before the upstream socket was open (only the very first ones, if any). */
  waiting: Uint8Array[];
  lastActiveNs: number;
  closed: boolean;
}

interface DirectionState {
  link: Link;
  stats: UdpDirectionStats;
  inFlightBytes: number;
}

export async function startUdpRelay(options: UdpRelayOptions): Promise<RunningRelay<UdpRelayStats>> {
  const pacer = options.pacer ?? sharedPacer;
  const owner = {};
  const idleMs = options.idleMs ?? DEFAULT_IDLE_MS;
  const maxFlows = options.maxFlows ?? DEFAULT_MAX_FLOWS;
  // Bun.udpSocket takes IP addresses only.
  const listenIp = await resolveIp(options.listenHost);
  const targetIp = await resolveIp(options.targetHost);
  const anyAddress = targetIp.includes(":") ? "::" : "0.0.0.0";

  const newDirection = (stream: number): DirectionState => ({
    link: new Link(options.profile, options.seed, stream, options.tareNs),
    stats: { received: 0, datagrams: 0, bytes: 0, dropped: 0, overflowed: 0, failed: 0 },
    inFlightBytes: 0,
  });
  const up = newDirection(0);
  const down = newDirection(1);
  const flows = new Map<string, Flow>();
  const counts = { flows: 0, expired: 0, evicted: 0 };
  const errors: Record<string, number> = {};
  let stopped = false;

  /** Bun calls a UDP error handler with the error alone (its typings add the socket first). */
  const onError = (where: string, args: unknown[]): void => {
    const err = args.at(-1);
    bump(errors, `${where} ${codeOf(err) ?? messageOf(err)}`);
  };

  /** Applies loss, the link queue and the delay, then calls `send` at the delivery instant. */
  const forward = (dir: DirectionState, buf: Uint8Array, send: (bytes: Uint8Array) => void): void => {
    dir.stats.received++;
    if (dir.link.lost()) {
      dir.stats.dropped++;
      return;
    }
    const now = pacer.now();
    if (dir.link.backlogNs(now) > MAX_QUEUE_MS * 1e6 || dir.inFlightBytes + buf.length > MAX_IN_FLIGHT_BYTES) {
      dir.stats.overflowed++;
      return;
    }
    const bytes = new Uint8Array(buf); // a copy: the received buffer is only promised for the callback
    const atNs = dir.link.depart(now, bytes.length) + dir.link.propagationNs();
    dir.inFlightBytes += bytes.length;
    pacer.at(
      atNs,
      () => {
        dir.inFlightBytes -= bytes.length;
        send(bytes);
      },
      owner,
    );
  };

  /** One send, counted: false from Bun means the kernel's buffer was full (the datagram is lost). */
  const transmit = (dir: DirectionState, bytes: Uint8Array, send: () => boolean): void => {
    let ok = false;
    try {
      ok = send();
    } catch (err) {
      bump(errors, `send ${codeOf(err) ?? messageOf(err)}`);
    }
    if (ok) {
      dir.stats.datagrams++;
      dir.stats.bytes += bytes.length;
    } else {
      dir.stats.failed++;
    }
  };

  const sendUp = (flow: Flow, bytes: Uint8Array): void => {
    if (stopped) return;
    if (flow.closed) up.stats.failed++;
    else if (flow.upstream === undefined) flow.waiting.push(bytes);
    else {
      const socket = flow.upstream;
      transmit(up, bytes, () => socket.send(bytes));
    }
  };

  const closeFlow = (flow: Flow): void => {
    flow.closed = true;
    flow.upstream?.close();
    flows.delete(flow.key);
  };

  const openFlow = (key: string, address: string, port: number): Flow => {
    if (flows.size >= maxFlows) {
      let oldest: Flow | undefined;
      for (const f of flows.values()) if (oldest === undefined || f.lastActiveNs < oldest.lastActiveNs) oldest = f;
      if (oldest) {
        closeFlow(oldest);
        counts.evicted++;
      }
    }
    const flow: Flow = { key, address, port, upstream: undefined, waiting: [], lastActiveNs: pacer.now(), closed: false };
    flows.set(key, flow);
    counts.flows++;
    Bun.udpSocket({
      hostname: anyAddress,
      binaryType: "uint8array",
      // Connected: the kernel hands this socket only the target's datagrams.
      connect: { hostname: targetIp, port: options.targetPort },
      socket: {
        data(_s, buf) {
          flow.lastActiveNs = pacer.now();
          forward(down, buf, (bytes) => {
            if (!stopped) transmit(down, bytes, () => listener.send(bytes, flow.port, flow.address));
          });
        },
        error: (...args: unknown[]) => onError("target", args),
      },
    }).then(
      (socket) => {
        if (flow.closed || stopped) return socket.close();
        flow.upstream = socket;
        for (const bytes of flow.waiting.splice(0)) sendUp(flow, bytes);
      },
      (err: unknown) => {
        bump(errors, `upstream socket ${codeOf(err) ?? messageOf(err)}`);
        closeFlow(flow);
      },
    );
    return flow;
  };

  const listener = await Bun.udpSocket({
    hostname: listenIp,
    port: options.listenPort,
    binaryType: "uint8array",
    socket: {
      data(_s, buf, port, address) {
        const key = `${address}|${port}`;
        const flow = flows.get(key) ?? openFlow(key, address, port);
        flow.lastActiveNs = pacer.now();
        forward(up, buf, (bytes) => sendUp(flow, bytes));
      },
      // e.g. "port unreachable" from a client that left; the socket stays usable.
      error: (...args: unknown[]) => onError("client", args),
    },
  });

  const sweep = setInterval(
    () => {
      const cutoff = pacer.now() - idleMs * 1e6;
      for (const flow of flows.values()) {
        if (flow.lastActiveNs >= cutoff) continue;
        closeFlow(flow);
        counts.expired++;
      }
    },
    Math.max(10, Math.min(idleMs / 4, 5000)),
  );
  sweep.unref(); // the sweep alone must not keep a process alive

  return {
    host: listener.hostname,
    port: listener.port,
    stats: () => ({
      flows: counts.flows,
      activeFlows: flows.size,
      expiredFlows: counts.expired,
      evictedFlows: counts.evicted,
      up: { ...up.stats },
      down: { ...down.stats },
      errors: { ...errors },
      pacer: pacer.stats(),
      tareUs: (options.tareNs ?? 0) / 1000,
    }),
    async stop() {
      stopped = true;
      clearInterval(sweep);
      pacer.cancel(owner);
      for (const flow of [...flows.values()]) closeFlow(flow);
      listener.close();
    },
  };
}
