// What a server counted, as its CLI prints it in its JSON "stopped" line for whoever started it
// (the bench reads it after a run).

export interface ServerStats {
  connections: number;
  messages: number;
  bytesIn: number;
  bytesOut: number;
  /** Input refused, by reason ("oversize", "truncated", "malformed", ...). */
  rejected: Record<string, number>;
  /** Failures of our own sends, by reason ("backpressure", "send-failed", ...). */
  errors: Record<string, number>;
  /** With --json: the process's own pauses over its life (lib/pauses.ts), a compressed HdrHistogram of ns. */
  pauses?: string;
}
