// What a bench run measured, as plain data: the types of a result, written as JSON beside the
// Markdown report and read back by compare and merge. bench/result.schema.json describes the
// same format field by field (a test keeps the two in step); docs/result-format.md explains it.
import type { DriverName } from "../catalog.ts";
import type { Interval } from "../stats/timeline.ts";
import type { SessionCounts } from "../stats/counts.ts";
import type { Placement, ProcessCost } from "../stats/cost.ts";
import type { LatencySummary } from "../stats/histogram.ts";
import type { SequenceReport } from "../stats/sequence.ts";
import type { AssertionOutcome } from "./threshold.ts";
import type { BenchConfig, Scenario } from "./config.ts";
import type { LoadSpec, PinMode, PushSpec } from "./spec.ts";

/** The JSON result's format: bumped when a reader would need to know. See docs/result-format.md. */
export const RESULT_FORMAT = { name: "socketlab-result", version: 5 } as const;

/** Every figure's median and range over the repetitions of a run (--repeat). */
export interface Repetitions {
  count: number;
  figures: Record<string, { median: number; min: number; max: number }>;
  /** Each round's figures, in the order the rounds ran (absent in files written before rounds). */
  rounds?: Record<string, number>[];
}

/** Latency histograms of an echo run, each encoded (HdrHistogram's compressed base64). */
export interface EchoHistograms {
  latency: string;
  uncorrected: string;
  lag: string;
}

/** Where the server and each swarm process ran, seen at mid-run. */
export interface RunPlacement {
  server?: Placement;
  /** null where a process had ended before it could be seen. */
  swarm: (Placement | null)[];
}

/** What a TLS handshake with the server negotiated. */
export interface NegotiatedTls {
  /** "TLSv1.3" */
  version: string;
  /** The cipher suite's standard name: "TLS_AES_128_GCM_SHA256". */
  cipher: string;
}

/** With --net: the conditions applied, and the bytes the relay carried each way. */
export interface RelayOutcome {
  profile: string;
  bytesUp: number;
  bytesDown: number;
  /** UDP only: datagrams the profile dropped on purpose, each way. */
  droppedUp?: number;
  droppedDown?: number;
  /** What the relay itself adds to a round trip here, measured at its start and taken off the delay, µs. */
  tareUs?: number;
  /** The relay's own timing error: how late it released bytes after their due instant. */
  released?: RelayTiming;
}

export interface RelayTiming {
  count: number;
  p50LateUs: number;
  p99LateUs: number;
  maxLateUs: number;
  lateOver1ms: number;
}

/** When a run measured, in wall-clock time (epoch ms): agents' shares are merged only where these overlap. */
export interface MeasuredWindow {
  startMs: number;
  endMs: number;
}

/** The swarm processes' cost: CPU added up, memory the largest process's. */
export type SwarmCost = ProcessCost & { processes: number };

export interface LoadResult {
  spec: LoadSpec;
  latency: LatencySummary;
  uncorrected: LatencySummary;
  lag: LatencySummary;
  /** Absent only in a file trimmed of them by hand: then it cannot be merged. */
  histograms?: EchoHistograms;
  counts: SessionCounts;
  sequence: SequenceReport;
  measuredSec: number;
  opsPerSec: number;
  /** Payload bytes per second in each direction. */
  payloadBytesPerSec: number;
  cost: { client: SwarmCost; server: ProcessCost; clientCpuPerOpUs: number; serverCpuPerOpUs: number };
  /** Kernel-counted TCP bytes per completed operation, each direction (undefined where not measurable). */
  wirePerOp?: { in: number; out: number; segmentsIn: number; segmentsOut: number };
  /** Latency over time: the measured phase in intervals (absent in files written before it). */
  timeline?: Interval[];
  /** The machine's own pauses meanwhile (absent in files written before they were measured). */
  pauses?: Pauses;
  placement: RunPlacement;
  /** "host:port" of a remote server: its CPU, memory and socket bytes were not measured. */
  remote?: string;
  relay?: RelayOutcome;
  /** Over TLS: what a handshake with the server negotiated. */
  tls?: NegotiatedTls;
  /** One-way runs: datagrams sent in the whole run (warm-up included) and those the server counted. */
  oneWay?: { sent: number; received: number; lost: number };
  serverRejected: Record<string, number>;
  serverErrors: Record<string, number>;
  /** With --repeat: how many times the run was made, and each figure's range (the run shown is the median one). */
  repeat?: Repetitions;
  /** When it measured (absent in files written before it was recorded). */
  window?: MeasuredWindow;
  /** With --stages: each stage's figures, operations by when they were due. */
  stages?: StageResult[];
  /** The capacity scenario: the search's steps and what they found. */
  capacity?: CapacityResult;
}

/** What a stretch of an open loop offered and got: operations counted by when they were due in it. */
export interface SegmentFigures {
  /** Operations due in it that were sent, and those answered. */
  sent: number;
  completed: number;
  timeouts: number;
  errors: number;
  /** Sent and answered per second of its length. */
  offeredPerSec: number;
  achievedPerSec: number;
  /** Corrected latency of its operations. */
  latency: LatencySummary;
  /** The same, as a histogram (compressed base64, ns), so that runs made at once can be merged. */
  histogram: string;
  /** How late its sends left, p99, ns. */
  lagP99: number;
}

/** One stage of a ramp (--stages). */
export interface StageResult extends SegmentFigures {
  /** From the start of the measured phase, ms. */
  startMs: number;
  lengthMs: number;
  /** The rate it was asked to go from and to. */
  fromPerSec: number;
  toPerSec: number;
}

/** One step of a capacity search: a constant rate, then judged. */
export interface CapacityStep extends SegmentFigures {
  ratePerSec: number;
  pass: boolean;
  /** Failed: the first objective broken, and the value that broke it (ns). */
  broke?: { objective: string; valueNs: number };
  /** Failed: operations due in the step that were not answered (timed out, failed, or never sent). */
  unanswered?: number;
  /** The best rate run once more at the end, to see that it holds again. */
  confirmation?: boolean;
}

export interface CapacityResult {
  /** The objectives, as written: "p99<5ms". */
  objectives: string[];
  /** The highest rate that held them; absent when none did (even the lowest tried). */
  ratePerSec?: number;
  /** The lowest rate that did not; absent when every rate up to the top held. */
  failedAtPerSec?: number;
  /** Whether the best rate held again when run once more; absent without a best rate. */
  confirmed?: boolean;
  /** The top of the search (--max-rate). */
  maxPerSec: number;
  /** The steps in the order they ran. */
  steps: CapacityStep[];
}

/**
 * The machine's own pauses while a run measured (lib/pauses.ts: a sleeper in each process,
 * waking every 5 ms, records how late it woke): the swarm processes' together, and the server's.
 */
export interface Pauses {
  swarm: LatencySummary;
  server?: LatencySummary;
}

/** How far a remote server's clock is from ours (bench/run/clock-offset.ts estimates it). */
export interface ClockOffset {
  /** Add to a local reading to get the server's: server = local + offsetMs. */
  offsetMs: number;
  /** The estimate is within ± this (half the fastest round trip). */
  uncertaintyMs: number;
  samples: number;
}

export interface PushRunResult {
  spec: PushSpec;
  label: string;
  /** Publish-to-receipt latency of every delivery. */
  latency: LatencySummary;
  /** Per event, the time until its last subscriber had it. */
  slowestDelivery: LatencySummary;
  /** Absent only in a file trimmed of it by hand: then it cannot be merged. */
  histogram?: string;
  /** Events published in the window (by id range) and deliveries expected / made. */
  events: number;
  expected: number;
  delivered: number;
  requests: number;
  emptyPolls: number;
  missed: number;
  clockAnomalies: number;
  requestsPerEvent: number;
  /** Kernel-counted TCP payload bytes per delivered event, each direction; undefined if not measured. */
  bytesPerEvent?: { up: number; down: number };
  cost: { client: SwarmCost; server: ProcessCost };
  /** "host:port" of a remote server, and the clock offset estimated to it (the widest uncertainty of the swarm's). */
  remote?: string;
  clock?: ClockOffset;
  relay?: RelayOutcome;
  /** Latency over time: deliveries by the interval their event was published in (absent in files written before it). */
  timeline?: Interval[];
  /** The machine's own pauses meanwhile (absent in files written before they were measured). */
  pauses?: Pauses;
  placement: RunPlacement;
  repeat?: Repetitions;
  /** When it measured (absent in files written before it was recorded). */
  window?: MeasuredWindow;
}

export type RunResult = LoadResult | PushRunResult;

export function isLoadRun(r: RunResult): r is LoadResult {
  return "driver" in r.spec;
}

/** One hello exercise as a student runs it: the two commands and what each printed. */
export interface Exchange {
  title: string;
  serverCommand: string;
  clientCommand: string;
  server: string[];
  client: string[];
}

export interface Knee {
  driver: DriverName;
  /** The lowest offered rate at which latency climbed or the server fell behind; undefined if none did. */
  rate?: number;
  reason?: string;
}

/** The outcome of one scenario: its runs, plus what the scenario concluded from them. */
export type Section =
  | { kind: "hello"; runs: LoadResult[]; exchanges: Exchange[] }
  | { kind: "rtt"; runs: LoadResult[]; skipped: string[] }
  | { kind: "throughput"; runs: LoadResult[]; skipped: string[] }
  | { kind: "load"; runs: LoadResult[]; knees: Knee[] }
  | { kind: "capacity"; runs: LoadResult[]; objectives: string[] }
  | { kind: "connect"; runs: LoadResult[]; skipped: string[]; timeWait: (number | null)[] }
  | { kind: "udp"; runs: LoadResult[]; lossBeginsAt?: number; oneWay: LoadResult[]; oneWayLossBeginsAt?: number }
  | { kind: "push"; runs: PushRunResult[]; eventsPerSec: number; subscribers: number }
  | { kind: "fanout"; runs: PushRunResult[]; eventsPerSec: number }
  /** The same requests and pushes at growing round-trip times (each run's relay profile says which). */
  | { kind: "distance"; rttsMs: number[]; runs: LoadResult[]; push: PushRunResult[] }
  | BrowserSection;

/** One figure the browser measured: a way of learning of events, or a kind of request. */
export interface BrowserRow {
  /** Push: the pattern (ws, sse, long, short); requests: ws, fetch (keep-alive), fetch-new. */
  subject: string;
  kind: "push" | "request";
  /** Short polling: its interval; 0 otherwise. */
  intervalMs: number;
  label: string;
  latency: LatencySummary;
  /** The latencies, as an HDR histogram (compressed, base64), as every other run keeps them. */
  histogram: string;
  /** Push: events published in the window, and those delivered (each once). */
  expected?: number;
  delivered?: number;
  duplicates?: number;
  /** Push: HTTP requests made (polls, or the one that opened the stream or socket). */
  requests?: number;
  /** Requests: how many opened a connection of their own (resource timing says). */
  newConnections?: number;
  failures: number;
}

/**
 * The lab's comparison measured in a real browser: headless Chromium, its page cross-origin
 * isolated. Left out (skipped says why, and how to get it) where there is no Chromium.
 */
export interface BrowserSection {
  kind: "browser";
  rows: BrowserRow[];
  skipped: string[];
  /** The browser's own name for itself. */
  userAgent?: string;
  /** Whether the page was cross-origin isolated, and the smallest step its timer took, µs. */
  isolated?: boolean;
  timerResolutionUs?: number;
  /** The push server's clock minus the page's (NTP-style, the shortest of 20 exchanges), µs. */
  clockOffsetUs?: number;
  clockRttUs?: number;
  eventsPerSec: number;
}

export type SectionKind = Section["kind"];

/** The section of one kind: `SectionOf<"distance">`. */
export type SectionOf<K extends SectionKind> = Extract<Section, { kind: K }>;

/** Every run a section holds, whatever its kind keeps them in. */
export function sectionRuns(s: Section): RunResult[] {
  if (s.kind === "udp") return [...s.runs, ...s.oneWay];
  if (s.kind === "distance") return [...s.runs, ...s.push];
  if (s.kind === "browser") return []; // the browser's rows are figures, not runs of the harness
  return s.runs;
}

/** The echo (request/reply) runs of a section: none for push and fan-out. */
export function loadRuns(s: Section): LoadResult[] {
  return sectionRuns(s).filter(isLoadRun);
}

/** The push runs of a section. */
export function pushRuns(s: Section): PushRunResult[] {
  return sectionRuns(s).filter((r): r is PushRunResult => !isLoadRun(r));
}

/**
 * What the relay itself costs, measured on this machine before a relayed run: the difference of
 * the medians of direct and relayed round trips of one 64-byte message, in turn.
 */
export interface RelayOverhead {
  transport: "tcp" | "udp";
  roundTrips: number;
  directP50Ns: number;
  relayedP50Ns: number;
  addedP50Ns: number;
}

/** The machine a run was made on, and how its processes were placed on CPUs. */
export interface Environment {
  bun: string;
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  pinning: PinMode;
  /** Where the server and the swarm were allowed to run, and where they were seen running. */
  placement: string;
  gitCommit?: string;
}

/** Everything a report is made from: plain data, written as JSON beside the Markdown. */
export interface BenchResult {
  format: { name: "socketlab-result"; version: typeof RESULT_FORMAT.version };
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
