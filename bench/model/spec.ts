// What one measured run is: its load (LoadSpec) or its subscribers (PushSpec), with every
// condition as a number. Scenarios plan them; bench/run/ carries them out.
import { recordedExchange, type UrlExchange } from "./exchange.ts";
import type { Target } from "../../lib/net.ts";
import type { Profile } from "../../netem/profile.ts";
import type { DriverName, PushKind } from "../catalog.ts";
import type { Objective } from "../stats/objective.ts";

export const PIN_MODES = ["none", "same", "split"] as const;
export type PinMode = (typeof PIN_MODES)[number];

/** How an echo load is shaped, whether for the whole swarm or one of its processes. */
export interface LoadShape {
  /** Message size, bytes. */
  size: number;
  model: "closed" | "open";
  /** Closed loop: operations in flight per connection. Open loop: the per-connection in-flight cap. */
  window: number;
  warmupMs: number;
  durationMs?: number;
  count?: number;
  /** An operation with no reply after this long is given up (counted as a timeout / lost). */
  timeoutMs: number;
  /** Connections are opened evenly over this long before the load starts. */
  rampMs: number;
  /** Latency over time: the measured phase in intervals of this length (default 1000 ms). */
  timelineMs?: number;
}

/** One measured echo load: a server, a swarm, a load model. */
export interface LoadSpec extends LoadShape {
  driver: DriverName;
  /** Connections (pipes) in all, spread over `procs` swarm processes. */
  clients: number;
  procs: number;
  /** Open loop: total operations per second (with stages: the rate they start from). */
  ratePerSec: number;
  /** Open loop: the rate ramps linearly through these, one after another (--stages). */
  stages?: RampStage[];
  /** The capacity search instead of a fixed rate (the capacity scenario). */
  capacity?: CapacitySpec;
  pin: PinMode;
  /** Extra server options (fault injection in tests). */
  serverArgs?: string[];
  /** A server started elsewhere; nothing is started locally. */
  target?: Target;
  /** A server socketlab did not write (a URL target): what each operation sends and what answers it. */
  exchange?: UrlExchange;
  /** Network conditions applied between the swarm and the server. */
  net?: Profile;
}

/** One stage of a ramp: over its length the total rate goes linearly from one figure to the other. */
export interface RampStage {
  lengthMs: number;
  fromPerSec: number;
  toPerSec: number;
}

/** The highest rate holding the objectives, searched on one set of connections (bench/load/capacity.ts). */
export interface CapacitySpec {
  objectives: Objective[];
  /** The first step's rate, and the top of the search (total operations per second). */
  startPerSec: number;
  maxPerSec: number;
  /** Each step's length at one rate, ms. */
  stepMs: number;
  /** The search ends when the bracket is at most this share of its lower end wide. */
  precision: number;
}

/** A way of learning of events, and its polling interval where it polls (0 otherwise). */
export interface Pattern {
  kind: PushKind;
  intervalMs: number;
}

/** Subscribers receiving a push-mode server's events. */
export interface PushSpec {
  pattern: PushKind;
  /** Short polling interval, ms. */
  intervalMs: number;
  subscribers: number;
  procs: number;
  eventsPerSec: number;
  eventSize: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  rampMs: number;
  pin: PinMode;
  /** A push-mode server started elsewhere: nothing is started locally, and clocks are reconciled. */
  target?: Target;
  /** Latency over time: interval length, ms (default 1000). */
  timelineMs?: number;
  /** Network conditions applied between the subscribers and the server. */
  net?: Profile;
}

export type RunSpec = LoadSpec | PushSpec;

export function isLoadSpec(spec: RunSpec): spec is LoadSpec {
  return "driver" in spec;
}

/** The round-trip time a relay adds: twice its one-way delay (0 without a relay). */
export function rttMsOf(spec: RunSpec): number {
  return spec.net === undefined ? 0 : 2 * spec.net.delayMs;
}

/**
 * The spec as a result records it: the target reduced to where it was (no certificate, no
 * header values), the exchange with credentials redacted and without the message's bytes
 * (their count is `size`): a result file is shared, and must not carry secrets.
 */
export function recordedSpec(spec: LoadSpec): LoadSpec {
  const { target, exchange, ...rest } = spec;
  return {
    ...rest,
    ...(target ? { target: { host: target.host, port: target.port } } : {}),
    ...(exchange ? { exchange: recordedExchange(exchange) } : {}),
  };
}
