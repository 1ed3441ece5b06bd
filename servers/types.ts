import type { Server } from "bun";
import type { Transport } from "../protocol/limits.ts";
import type { ServerStats } from "../protocol/server-stats.ts";

export const SERVER_MODES = ["hello", "echo", "chat", "push", "sink"] as const;
export type ServerMode = (typeof SERVER_MODES)[number];

export interface ServerOptions {
  host: string;
  /** 0 picks a free port; the running server reports the one it got. */
  port: number;
  mode: ServerMode;
  /** Largest message accepted (TCP frame payload, WebSocket message, HTTP body). */
  maxMessage: number;
  /** Human-readable activity lines (the lab's "Message from client: ..."); silent when absent. */
  log?: (line: string) => void;
  /** Fault injection (UDP): ignore every Nth datagram received, to show how loss is counted. */
  dropEvery?: number;
  /** Push mode: events published per second, and the size of each event's data in bytes. */
  push?: { ratePerSec: number; eventSize: number };
  /** Serve over TLS with this certificate and key (PEM); plain when absent. */
  tls?: { cert: string; key: string };
  /** HTTP: answer pages from any origin (CORS), and let them see the timing of each request. */
  cors?: boolean;
}

export type { ServerStats };

export interface RunningServer {
  transport: Transport;
  mode: ServerMode;
  hostname: string;
  port: number;
  stats(): ServerStats;
  /** Chat modes: a line typed by the operator, sent to every client. */
  say?(text: string): void;
  stop(): Promise<void>;
}

export type StartServer = (options: ServerOptions) => Promise<RunningServer>;

export function newStats(): ServerStats {
  return { connections: 0, messages: 0, bytesIn: 0, bytesOut: 0, rejected: {}, errors: {} };
}

export function bump(counter: Record<string, number>, reason: string, by = 1): void {
  counter[reason] = (counter[reason] ?? 0) + by;
}

/** A copy that later bumps do not change. */
export function snapshot(stats: ServerStats): ServerStats {
  return { ...stats, rejected: { ...stats.rejected }, errors: { ...stats.errors } };
}

/** Refuses a mode the transport does not have, with the list of the ones it has. */
export function requireMode(transport: Transport, mode: ServerMode, supported: readonly ServerMode[]): void {
  if (!supported.includes(mode)) {
    throw new RangeError(`the ${transport} server has no ${mode} mode (it has: ${supported.join(", ")})`);
  }
}

/** The RunningServer of a Bun.serve instance (the WebSocket and HTTP servers). */
export function servedBy(
  transport: Transport,
  options: ServerOptions,
  server: Server<unknown>,
  stats: ServerStats,
  say?: (text: string) => void,
  onStop?: () => void,
): RunningServer {
  return {
    transport,
    mode: options.mode,
    hostname: server.hostname ?? options.host,
    port: server.port ?? options.port,
    stats: () => snapshot(stats),
    say: options.mode === "chat" ? say : undefined,
    async stop() {
      onStop?.();
      await server.stop(true);
    },
  };
}

/** Push mode needs its rate and event size. */
export function pushSettings(options: ServerOptions): { ratePerSec: number; eventSize: number } {
  return options.push ?? { ratePerSec: 10, eventSize: 64 };
}
