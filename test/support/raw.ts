import type { Socket } from "bun";
import { readFileSync } from "node:fs";
import type { Target } from "../../lib/net.ts";

/** A bare TCP connection for sending what no well-behaved client would. */
export interface RawConnection {
  socket: Socket<undefined>;
  received(): Uint8Array;
  /** Resolves when the server closes the connection (or it is reset); rejects after timeoutMs. */
  closedByServer(timeoutMs?: number): Promise<void>;
}

export async function rawConnect(target: Target, opts: { paused?: boolean } = {}): Promise<RawConnection> {
  const chunks: Uint8Array[] = [];
  let onClose = () => {};
  let closed = false;
  const socket = await Bun.connect({
    hostname: target.host,
    port: target.port,
    socket: {
      open(s) {
        if (opts.paused) s.pause();
      },
      data(_s, chunk) {
        chunks.push(chunk.slice());
      },
      close() {
        closed = true;
        onClose();
      },
      error() {},
    },
  });
  return {
    socket,
    received: () => Buffer.concat(chunks),
    closedByServer(timeoutMs = 5000) {
      if (closed) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`server kept the connection open for ${timeoutMs} ms`)), timeoutMs);
        onClose = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    },
  };
}

/** Resident memory of a process, in bytes (Linux). */
export function rssOf(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1];
  if (!kb) throw new Error(`no VmRSS for pid ${pid}`);
  return Number(kb) * 1024;
}
