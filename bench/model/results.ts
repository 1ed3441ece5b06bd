import type { AssertionOutcome } from "./assertions.ts";
import type { BenchConfig, Scenario } from "../cli/options.ts";
import type { DriverName } from "../run/bind.ts";
import type { Environment } from "../run/environment.ts";
import type { LoadResult } from "../run/load-run.ts";
import type { PushRunResult } from "../run/push-run.ts";
import type { Exchange } from "../run/transcript.ts";
import type { RelayOverhead } from "../run/relay-overhead.ts";

/** The outcome of one scenario: its runs, plus what the scenario concluded from them. */
export type Section =
  | { kind: "hello"; runs: LoadResult[]; exchanges: Exchange[] }
  | { kind: "rtt"; runs: LoadResult[]; skipped: string[] }
  | { kind: "throughput"; runs: LoadResult[]; skipped: string[] }
  | { kind: "load"; runs: LoadResult[]; knees: Knee[] }
  | { kind: "connect"; runs: LoadResult[]; skipped: string[]; timeWait: (number | undefined)[] }
  | { kind: "udp"; runs: LoadResult[]; lossBeginsAt?: number; oneWay: LoadResult[]; oneWayLossBeginsAt?: number }
  | { kind: "push"; runs: PushRunResult[]; eventsPerSec: number; subscribers: number }
  | { kind: "fanout"; runs: PushRunResult[]; eventsPerSec: number }
  /** The same requests and pushes at growing round-trip times (each run's relay profile says which). */
  | { kind: "distance"; rttsMs: number[]; runs: LoadResult[]; push: PushRunResult[] };

/** The section of one kind: `SectionOf<"distance">`. */
export type SectionOf<K extends Section["kind"]> = Extract<Section, { kind: K }>;

/** Every run a section holds, whatever its kind keeps them in. */
export function sectionRuns(s: Section): (LoadResult | PushRunResult)[] {
  if (s.kind === "udp") return [...s.runs, ...s.oneWay];
  if (s.kind === "distance") return [...s.runs, ...s.push];
  return s.runs;
}

/** The echo (request/reply) runs of a section: none for push and fan-out. */
export function loadRuns(s: Section): LoadResult[] {
  if (s.kind === "push" || s.kind === "fanout") return [];
  return s.kind === "udp" ? [...s.runs, ...s.oneWay] : s.runs;
}

/** The push runs of a section. */
export function pushRuns(s: Section): PushRunResult[] {
  if (s.kind === "push" || s.kind === "fanout") return s.runs;
  return s.kind === "distance" ? s.push : [];
}

export interface Knee {
  driver: DriverName;
  /** The lowest offered rate at which latency climbed or the server fell behind; undefined if none did. */
  rate?: number;
  reason?: string;
}

/** The JSON result's format: bumped when a reader would need to know. See docs/result-format.md. */
export const RESULT_FORMAT = { name: "socketlab-result", version: 2 } as const;

/** Everything a report is made from: plain data, written as JSON beside the Markdown. */
export interface BenchResult {
  format: { name: "socketlab-result"; version: number };
  tool: { name: "socketlab"; version: string };
  /** Set by merge: how many results were combined into this one. */
  parts?: number;
  scenario: Scenario;
  config: Omit<BenchConfig, "argv">;
  command: string;
  environment: Environment;
  startedAt: string;
  finishedAt: string;
  elapsedSec: number;
  sections: Section[];
  /** With a relay (--net, distance): what the relay itself added per round trip, measured before the run. */
  relayOverhead?: RelayOverhead[];
  /** The --assert thresholds, evaluated once the run was done. */
  assertions?: AssertionOutcome[];
}

/** Where a scenario reports each run as it finishes (the CLI prints it on stderr). */
export type Progress = (line: string) => void;
