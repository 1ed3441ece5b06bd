import { ECHO_CLIENTS } from "../clients/index.ts";
import type { Target } from "../lib/net.ts";

/**
 * Sequential round trips through the project's echo clients: one message in flight, timed from
 * send to reply with Bun.nanoseconds. Used to check that a relay adds what its profile says.
 */
export interface RoundTripper {
  /** Sends payload and resolves with the round trip in ns; rejects after the timeout. */
  once(payload: Uint8Array): Promise<number>;
  close(): Promise<void>;
}

export async function openRoundTripper(transport: "tcp" | "udp", target: Target, timeoutMs = 2000): Promise<RoundTripper> {
  let waiting: { resolve(ns: number): void; reject(err: Error): void; sentNs: number; timer: Timer } | undefined;
  let closedReason: string | undefined;
  const channel = await ECHO_CLIENTS[transport](target, {
    onReply() {
      const w = waiting;
      if (w === undefined) return; // a late reply to a round trip that already timed out
      waiting = undefined;
      clearTimeout(w.timer);
      w.resolve(Bun.nanoseconds() - w.sentNs);
    },
    onClose(reason) {
      closedReason = reason;
      waiting?.reject(new Error(`channel closed: ${reason}`));
    },
  });
  return {
    once(payload) {
      if (closedReason !== undefined) return Promise.reject(new Error(`channel closed: ${closedReason}`));
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting = undefined;
          reject(new Error(`no ${transport} echo from ${target.host}:${target.port} within ${timeoutMs} ms`));
        }, timeoutMs);
        waiting = { resolve, reject, sentNs: Bun.nanoseconds(), timer };
        if (!channel.send(payload)) reject(new Error("the echo channel refused the message"));
      });
    },
    close: () => channel.close(),
  };
}

export interface PairedRoundTrips {
  /** Round trips in ns, sorted ascending. */
  direct: number[];
  relayed: number[];
}

/**
 * `count` round trips on each path, alternating direct and relayed, after `warmup` of each. The
 * alternation spreads any slow spell of the machine over both series instead of one.
 */
export async function pairedRoundTrips(direct: RoundTripper, relayed: RoundTripper, count: number, warmup: number, size = 64): Promise<PairedRoundTrips> {
  const payload = new Uint8Array(size).fill(0x5a);
  for (let i = 0; i < warmup; i++) {
    await direct.once(payload);
    await relayed.once(payload);
  }
  const d: number[] = [];
  const r: number[] = [];
  for (let i = 0; i < count; i++) {
    d.push(await direct.once(payload));
    r.push(await relayed.once(payload));
  }
  return { direct: d.sort((a, b) => a - b), relayed: r.sort((a, b) => a - b) };
}
