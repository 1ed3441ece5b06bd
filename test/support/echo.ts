import { ECHO_CLIENTS } from "../../clients/index.ts";
import type { EchoChannel } from "../../clients/types.ts";
import type { Transport } from "../../protocol/limits.ts";
import type { Target } from "../../lib/net.ts";

/** Deterministic bytes, different per seed, so a swapped or shifted reply cannot pass. */
export function pattern(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = (seed * 2654435761) >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}

export interface Collector {
  channel: EchoChannel;
  replies: Uint8Array[];
  closedReason: string | undefined;
  /** Resolves when `count` replies have arrived in all; rejects after timeoutMs or if the channel closes. */
  waitForReplies(count: number, timeoutMs?: number): Promise<Uint8Array[]>;
}

/** Opens an echo channel that keeps a copy of every reply, in arrival order. */
export async function openCollector(transport: Transport, target: Target): Promise<Collector> {
  const replies: Uint8Array[] = [];
  let wake = () => {};
  const collector: Collector = {
    channel: undefined as unknown as EchoChannel,
    replies,
    closedReason: undefined,
    waitForReplies(count, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${replies.length} of ${count} replies within ${timeoutMs} ms`)), timeoutMs);
        wake = () => {
          if (replies.length >= count) {
            clearTimeout(timer);
            resolve(replies);
          } else if (collector.closedReason !== undefined) {
            clearTimeout(timer);
            reject(new Error(`channel closed after ${replies.length} of ${count} replies: ${collector.closedReason}`));
          }
        };
        wake();
      });
    },
  };
  collector.channel = await ECHO_CLIENTS[transport](target, {
    onReply(bytes, start, end) {
      replies.push(bytes.slice(start, end));
      wake();
    },
    onClose(reason) {
      collector.closedReason = reason;
      wake();
    },
  });
  return collector;
}
