import type { Pacer, PacerStats } from "./pacer.ts";
import type { Profile } from "./profile.ts";

export interface RelayOptions {
  listenHost: string;
  /** 0 picks a free port; the running relay reports the one it got. */
  listenPort: number;
  targetHost: string;
  targetPort: number;
  profile: Profile;
  /** Seeds loss and jitter, so a run can be repeated draw for draw; random when absent. */
  seed?: number;
  /** The delivery queue; the process-wide one unless a test supplies its own. */
  pacer?: Pacer;
  /**
   * What the relay itself adds to a round trip on this machine, ns (tare.ts measures it): taken
   * off the delay, half each way, so that a round trip gains what the profile says. Default 0.
   */
  tareNs?: number;
}

/** "up" is client → target, "down" is target → client. */
export interface BothWays<T> {
  up: T;
  down: T;
}

export interface RunningRelay<S> {
  host: string;
  port: number;
  stats(): S;
  /** Stops listening, closes every connection or flow, and cancels deliveries not yet made. */
  stop(): Promise<void>;
}

export interface TcpRelayStats {
  /** Connections accepted in all, and those still open. */
  connections: number;
  active: number;
  /** Times reading from a sender paused because too much waited for delivery (backpressure). */
  pauses: number;
  /** Bytes the kernel took on the far side: really relayed, not merely read. */
  bytes: BothWays<number>;
  /** Reads (Bun `data` callbacks), each scheduled as one delivery. */
  chunks: BothWays<number>;
  /** Failures by kind ("connect ECONNREFUSED", "queue-overflow", ...). */
  errors: Record<string, number>;
  /**
   * The relay's own timing error: how late the delivery queue released bytes after their due
   * instant (mean, p50, p99, worst, count over 1 ms), its spin margin and the CPU its spin cost.
   * The queue is the process's, shared by every relay in it.
   */
  pacer: PacerStats;
  /** The tare taken off each round trip's delay, µs (half each way; see tare.ts). */
  tareUs: number;
}

export interface UdpDirectionStats {
  /** Datagrams that arrived at the relay. */
  received: number;
  /** Datagrams and bytes the relay sent on. */
  datagrams: number;
  bytes: number;
  /** Lost on purpose (the profile's loss). */
  dropped: number;
  /** Dropped because the link's queue was full (rate cap exceeded for too long). */
  overflowed: number;
  /** Sends the kernel refused (buffer full), or whose flow had already expired. */
  failed: number;
}

export interface UdpRelayStats {
  /** Client addresses seen in all, those still mapped, and those expired or evicted. */
  flows: number;
  activeFlows: number;
  expiredFlows: number;
  evictedFlows: number;
  up: UdpDirectionStats;
  down: UdpDirectionStats;
  errors: Record<string, number>;
  /**
   * The relay's own timing error: how late the delivery queue released bytes after their due
   * instant (mean, p50, p99, worst, count over 1 ms), its spin margin and the CPU its spin cost.
   * The queue is the process's, shared by every relay in it.
   */
  pacer: PacerStats;
  /** The tare taken off each round trip's delay, µs (half each way; see tare.ts). */
  tareUs: number;
}

export function bump(counter: Record<string, number>, kind: string): void {
  counter[kind] = (counter[kind] ?? 0) + 1;
}
