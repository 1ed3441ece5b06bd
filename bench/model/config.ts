// What a bench run was asked to do, validated: the options every scenario reads, as numbers and
// parsed values (bench/cli/options.ts makes it from the command line).
import type { Target } from "../../lib/net.ts";
import type { UrlExchange } from "./exchange.ts";
import type { Profile } from "../../netem/profile.ts";
import { LAB, TRANSPORT_DRIVERS, type BenchTransport, type DriverName } from "../catalog.ts";
import type { Assertion } from "./threshold.ts";
import type { PinMode, RampStage } from "./spec.ts";
import type { Objective } from "../stats/objective.ts";

/** The capacity scenario's objective when --slo is not given. */
export const DEFAULT_SLO = "p99<5ms";

export const SCENARIOS = ["suite", "rtt", "push", "throughput", "load", "capacity", "connect", "udp", "fanout", "distance", "browser"] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** The files a report can be written as; --format takes a list of them (or of the aliases below). */
export const REPORT_FILES = ["md", "json", "csv", "html", "pdf"] as const;
export type ReportFile = (typeof REPORT_FILES)[number];
/** Names for lists: both (md and json, the default), all (md, json and csv). */
export const FORMAT_ALIASES: Record<string, ReportFile[]> = { both: ["md", "json"], all: ["md", "json", "csv"] };
/** --format as given and checked: "both", "md,html,json", ... */
export type ReportFormat = string;

/** The files a --format asks for; undefined for a name neither a file nor an alias. */
export function reportFiles(format: ReportFormat): Set<ReportFile> | undefined {
  const files = new Set<ReportFile>();
  for (const item of format.split(",").map((s) => s.trim())) {
    const named = FORMAT_ALIASES[item] ?? ((REPORT_FILES as readonly string[]).includes(item) ? [item as ReportFile] : undefined);
    if (!named) return undefined;
    for (const f of named) files.add(f);
  }
  return files;
}

/** PDF reports' paper (--paper). */
export const PAPERS = ["a4", "letter"] as const;
export type Paper = (typeof PAPERS)[number];

/**
 * Rounds by default: the suite, and rtt (whose figures people compare from run to run), measure
 * in three interleaved rounds of runs a quarter as long, so every figure has its spread, the
 * median round evens out a slow stretch of the machine, and the scenario takes no longer (each
 * run's own start and stop make up the difference; bench/scenarios/run-spec.ts shortens the
 * runs). Every other scenario measures once unless given --rounds.
 */
export const DEFAULT_ROUNDS: Partial<Record<Scenario, number>> = { suite: 3, rtt: 3 };

/** Whether the command line asked for rounds itself (--rounds or --repeat). */
export function roundsGiven(config: Pick<BenchConfig, "argv">): boolean {
  return config.argv.some((a) => a === "--rounds" || a === "--repeat" || a.startsWith("--rounds=") || a.startsWith("--repeat="));
}

/**
 * How many times shorter each run is than the scenario's own length: where rounds are the
 * scenario's default (and always in the suite), they share the time one round had; a scenario
 * given --rounds keeps its runs whole (K times longer), as does one given --duration or --count.
 */
export function roundShare(config: Pick<BenchConfig, "scenario" | "repeat" | "durationMs" | "count" | "argv">): number {
  const shared = config.scenario === "suite" || (DEFAULT_ROUNDS[config.scenario] !== undefined && !roundsGiven(config));
  return shared && config.durationMs === undefined && config.count === undefined && config.repeat > 1 ? config.repeat + 1 : 1;
}

/** The longest --start-at may make a run wait: a forgotten date must not hold an agent for days. */
export const MAX_START_WAIT_MS = 24 * 3600_000;

/** The largest round trip --rtts takes: runs last about twelve of them, and timeouts stretch with it. */
export const MAX_RTT_MS = 2000;

/**
 * Everything a run needs, validated. Options left out are undefined here and take each
 * scenario's own default (listed in the usage), so one flag can mean the right thing everywhere.
 */
export interface BenchConfig {
  scenario: Scenario;
  transports: BenchTransport[];
  /** A server started elsewhere (`--target host:port` or a URL): nothing is started locally. */
  target?: Target;
  /** A URL target: a server socketlab did not write, and what each operation sends it. */
  exchange?: UrlExchange;
  /** Network conditions applied by a relay between swarm and server (`--net`), parsed. */
  net?: Profile;
  clients?: number;
  procs: number;
  sizes?: number[];
  rates?: number[];
  /** Open loop: stages the rate ramps through (--stages; the load scenario). */
  stages?: RampStage[];
  /** Capacity: the objectives a rate must hold (--slo), the top of the search, and when it is close enough. */
  slo?: Objective[];
  maxRate?: number;
  precision?: number;
  window?: number;
  durationMs?: number;
  count?: number;
  warmupMs?: number;
  rampMs: number;
  timeoutMs: number;
  pin: PinMode;
  quick: boolean;
  /** Push: short-polling intervals (ms), subscribers per run, events per second and size. */
  intervals?: number[];
  subscribers?: number[];
  eventRate?: number;
  eventSize: number;
  /** Distance: the round-trip times to emulate (ms). */
  rtts?: number[];
  outDir: string;
  /** Which report files to write. */
  format: ReportFormat;
  /** PDF reports: the paper size (absent in files written before PDF reports: A4). */
  paper?: Paper;
  /** Latency over time: the length of each interval, ms (default 1000). */
  intervalMs?: number;
  /** Where to write an HdrHistogram interval log of every run (--hlog). */
  hlog?: string;
  /** Run every measurement this many times; tables show the median run and each figure's range. */
  repeat: number;
  /** --metrics-port: live metrics served here while the run lasts (Prometheus text format). */
  metrics?: { host: string; port: number };
  /** --start-at: the first run starts measuring at this instant (epoch ms), connected and warmed up. */
  startAtMs?: number;
  /** Thresholds evaluated at the end (exit 1 if any fails). */
  assertions: Assertion[];
  /** Print the JSON result on stdout instead of the summary table. */
  json: boolean;
  /** The command line, for the report's "reproduce" section. */
  argv: string[];
}

/**
 * Whether a run has a distance section: the distance scenario; the suite where it compares
 * WebSocket or HTTP and --net does not already set the conditions for everything.
 */
export function hasDistance(config: Pick<BenchConfig, "scenario" | "net" | "transports">): boolean {
  if (config.scenario === "distance") return true;
  return config.scenario === "suite" && config.net === undefined && config.transports.some((t) => TRANSPORT_DRIVERS[t].distance.some(inLabComparison));
}

/** Whether a driver plays a part in the lab's WebSocket-against-HTTP comparison (the suite keeps to those). */
export function inLabComparison(driver: DriverName): boolean {
  return Object.values(LAB.websocket).includes(driver as never) || Object.values(LAB.http).includes(driver as never);
}
