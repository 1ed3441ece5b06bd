// The contract between load models and transports. A pipe is one connection (or, for connection
// set-up measurements, one connector): the load model asks it to issue operation `seq`, and the
// pipe reports completion. Load models never learn what the pipe speaks.

export interface PipeEvents {
  /** Operation `seq` completed (its reply arrived). */
  done(seq: number): void;
  /**
   * An operation failed without ending the pipe, by kind ("corrupt reply", "ECONNREFUSED").
   * `seq` is undefined when the failure cannot be matched to an operation.
   */
  failed(seq: number | undefined, kind: string): void;
  /** The pipe can no longer be used (server closed it, reset, protocol error). */
  closed(reason: string): void;
}

export interface Pipe {
  /** Starts operation `seq`; false when it could not be started (the pipe is closing). */
  issue(seq: number): boolean;
  close(): Promise<void>;
}

export type OpenPipe = (index: number, events: PipeEvents) => Promise<Pipe>;

/** Time and timers, injectable so load models can be tested on a fake clock. */
export interface Scheduler {
  /** Monotonic nanoseconds. */
  now(): number;
  /** Runs fn at (or as soon as possible after) time `atNs`. */
  at(atNs: number, fn: () => void): void;
  /**
   * Runs fn no earlier than `atNs`, late by up to a timer tick (about a millisecond): for
   * housekeeping that needs no precision, whose wait then costs no CPU (at() spins for its last
   * stretch, on the same CPU as what is being measured).
   */
  roughlyAt(atNs: number, fn: () => void): void;
}

/**
 * A connection that carries messages and their replies, whatever it speaks: the binding opens
 * one of a transport's clients to its target and hands the load models this.
 */
export interface Channel {
  /** Sends one message; false when it could not be sent or queued (the channel is closing). */
  send(payload: Uint8Array): boolean;
  close(): Promise<void>;
}

export interface ChannelHandlers {
  /** A reply's payload: `bytes` from `start` to `end`, valid only during the call (as clients/types.ts EchoHandlers). */
  onReply(bytes: Uint8Array, start: number, end: number): void;
  /** A reply that says the request failed (an HTTP status not expected): the next operation in order failed, by kind ("http-503"). */
  onReject?(kind: string): void;
  /** The channel closed without close() being called (server gone, rejected, reset). */
  onClose?(reason: string): void;
}

/** Opens a channel; `timeoutMs` bounds the connection set-up where there is one. */
export type OpenChannel = (handlers: ChannelHandlers, timeoutMs?: number) => Promise<Channel>;
