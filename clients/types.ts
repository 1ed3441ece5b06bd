// What every transport's client offers the tests and the bench: an echo channel. The load
// models drive channels; they never learn which transport is underneath.

import type { Target } from "../lib/net.ts";

export type { Target };

export interface EchoHandlers {
  /**
   * A reply's payload: `bytes` from `start` to `end`, often a buffer Bun received into or one
   * reused, valid only during the call (copy the range to keep it). A range, not a view: the
   * first view of a buffer Bun received into costs several times reading it by index, 0.3–0.7 µs
   * here, a fifth of a TCP client's CPU per message at 64 B (bun run bench:micro, "a view of a
   * received chunk").
   */
  onReply(bytes: Uint8Array, start: number, end: number): void;
  /** A reply that says the request failed (an HTTP status not expected), by kind ("http-503"); the channel goes on. */
  onReject?(kind: string): void;
  /** The channel closed without close() being called (server gone, rejected, reset). */
  onClose?(reason: string): void;
}

export interface EchoChannel {
  /** Sends one message; false when it could not be sent or queued (the channel is closing). */
  send(payload: Uint8Array): boolean;
  close(): Promise<void>;
}

/** Opens an echo channel; `timeoutMs` bounds the connection set-up where there is one (default 5 s). */
export type OpenEcho = (target: Target, handlers: EchoHandlers, timeoutMs?: number) => Promise<EchoChannel>;

/** Where the hello clients write what a person reads (a test can capture it). */
export type Print = (line: string) => void;

/** What a subscriber to a server's events did, whatever the pattern. */
export interface PollStats {
  /** HTTP requests made (for a WebSocket or an SSE stream: the one that opened it). */
  requests: number;
  /** Polls answered with no event: the cost of asking too early. */
  emptyPolls: number;
  events: number;
  /** Events the server had already evicted when asked. */
  missed: number;
}

export interface Subscription {
  stats: PollStats;
  /** Resolves once the server has first answered (the subscription is live). */
  ready: Promise<void>;
  /** Resolves after close(); rejects if the server fails or goes away. */
  done: Promise<void>;
  close(): void;
}
