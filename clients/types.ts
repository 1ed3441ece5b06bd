/**
 * What every transport's client offers the tests and the bench: an echo channel. The load
 * models drive channels; they never learn which transport is underneath.
 */

export interface Target {
  host: string;
  port: number;
}

export interface EchoHandlers {
  /** A reply's payload. It may be a view of a reused buffer: copy it to keep it. */
  onReply(payload: Uint8Array): void;
  /** The channel closed without close() being called (server gone, rejected, reset). */
  onClose?(reason: string): void;
}

export interface EchoChannel {
  /** Sends one message; false when it could not be sent or queued (the channel is closing). */
  send(payload: Uint8Array): boolean;
  close(): Promise<void>;
}

export type OpenEcho = (target: Target, handlers: EchoHandlers) => Promise<EchoChannel>;

/** Where the hello clients write what a person reads (a test can capture it). */
export type Print = (line: string) => void;
