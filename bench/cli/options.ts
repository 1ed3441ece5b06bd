import {
  choiceOpt,
  durationOpt,
  flagOpt,
  intOpt,
  parseArgs,
  parseDurationMs,
  stringOpt,
  stringsOpt,
  type OptionSpecs,
  type ParsedArgs,
} from "../../lib/args.ts";
import { parseAssertions } from "../model/assertions.ts";
import { plannedMetricNames } from "../scenarios/index.ts";
import { UsageError, messageOf } from "../../lib/errors.ts";
import { inWords } from "../../lib/text.ts";
import { parseProfile, type Profile } from "../../netem/profile.ts";
import { MAX_MESSAGE_BYTES } from "../../protocol/limits.ts";
import { BENCH_HEADER_BYTES } from "../../protocol/bench-frame.ts";
import type { Target } from "../../lib/net.ts";
import { readFileSync } from "node:fs";
import { fingerprintOf, type TlsTrust } from "../../lib/tls.ts";
import { FRAMES, MATCHES, SCHEMES, type UrlExchange, type Scheme } from "../model/exchange.ts";
import { PIN_MODES, type RampStage } from "../model/spec.ts";
import { parseStages } from "../model/ramp.ts";
import { parseObjectives, type Objective } from "../stats/objective.ts";
import { BENCH_TRANSPORTS, DEFAULT_TRANSPORTS, TRANSPORT_DRIVERS, type BenchTransport } from "../catalog.ts";
import {
  DEFAULT_ROUNDS,
  FORMAT_ALIASES,
  MAX_START_WAIT_MS,
  MAX_RTT_MS,
  PAPERS,
  REPORT_FILES,
  SCENARIOS,
  hasDistance,
  reportFiles,
  type BenchConfig,
  type Scenario,
} from "../model/config.ts";

// The bench's command line, parsed and checked: every problem found at once, one line each, and
// a BenchConfig (bench/model/config.ts) only when there are none.

export const BENCH_OPTIONS = {
  transports: { type: "string" },
  clients: { type: "string", short: "c" },
  procs: { type: "string" },
  workers: { type: "string" },
  target: { type: "string" },
  method: { type: "string" },
  header: { type: "string", short: "H", multiple: true },
  body: { type: "string" },
  "expect-status": { type: "string" },
  pipeline: { type: "string" },
  "new-connection": { type: "boolean" },
  frame: { type: "string" },
  match: { type: "string" },
  message: { type: "string" },
  subprotocol: { type: "string" },
  insecure: { type: "boolean" },
  ca: { type: "string" },
  net: { type: "string" },
  size: { type: "string", short: "s" },
  rate: { type: "string", short: "r" },
  stages: { type: "string" },
  "start-at": { type: "string" },
  "metrics-port": { type: "string" },
  paper: { type: "string" },
  slo: { type: "string" },
  "max-rate": { type: "string" },
  precision: { type: "string" },
  window: { type: "string", short: "w" },
  duration: { type: "string", short: "d" },
  count: { type: "string", short: "n" },
  warmup: { type: "string" },
  ramp: { type: "string" },
  timeout: { type: "string" },
  pin: { type: "string" },
  quick: { type: "boolean", short: "q" },
  intervals: { type: "string" },
  subscribers: { type: "string" },
  "event-rate": { type: "string" },
  "event-size": { type: "string" },
  rtts: { type: "string" },
  out: { type: "string", short: "o" },
  format: { type: "string" },
  interval: { type: "string" },
  hlog: { type: "string" },
  repeat: { type: "string" },
  rounds: { type: "string" },
  assert: { type: "string", multiple: true },
  "list-metrics": { type: "boolean" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const satisfies OptionSpecs;

const UNITS: Record<string, number> = { "": 1, k: 1e3, m: 1e6, kib: 1024, mib: 1 << 20, kb: 1000, mb: 1e6, b: 1 };

/** "64", "1k" (1000), "1KiB" (1024), "2m"... as a whole number; undefined when malformed. */
export function parseQuantity(raw: string, binary: boolean): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw);
  if (!m) return undefined;
  let unit = m[2]!.toLowerCase();
  // For sizes, "k" and "m" mean KiB and MiB, as people say "a 64k message".
  if (binary && (unit === "k" || unit === "m")) unit += "ib";
  const factor = UNITS[unit];
  if (factor === undefined) return undefined;
  const value = Number(m[1]) * factor;
  return Number.isSafeInteger(value) ? value : undefined;
}

/** A comma-separated list of quantities within [min, max]; each bad item is its own problem. */
function listOpt(args: ParsedArgs, name: string, min: number, max: number, binary: boolean): number[] | undefined {
  const raw = stringOpt(args, name);
  if (raw === undefined) return undefined;
  const out: number[] = [];
  for (const item of raw.split(",")) {
    const value = parseQuantity(item, binary);
    if (value === undefined || value < min || value > max) args.problems.push(`--${name}: "${item.trim()}" is not a number from ${min} to ${max}`);
    else out.push(value);
  }
  if (out.length === 0 && !args.problems.some((p) => p.startsWith(`--${name}`))) args.problems.push(`--${name} needs at least one value`);
  return out;
}

/** One quantity ("50k") within [min, max], or undefined when absent (a problem is noted when malformed). */
function optionalQuantity(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  if (!args.values.has(name)) return undefined;
  const raw = stringOpt(args, name) ?? "";
  const value = parseQuantity(raw, false);
  if (value === undefined || value < min || value > max) args.problems.push(`--${name}: "${raw.trim()}" is not a number from ${min} to ${max}`);
  return value;
}

function optionalInt(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  return args.values.has(name) ? intOpt(args, name, min, min, max) : undefined;
}

function optionalDuration(args: ParsedArgs, name: string, maxMs: number, allowZero = false): number | undefined {
  if (!args.values.has(name)) return undefined;
  if (
    allowZero &&
    stringOpt(args, name)
      ?.trim()
      .replace(/s$|ms$/, "") === "0"
  )
    return 0;
  return durationOpt(args, name, 0, maxMs);
}

/** "help", a list of metric names (--list-metrics), or a validated config. */
export function parseBenchArgs(argv: string[]): BenchConfig | "help" | { listMetrics: string[] } {
  const args = parseArgs(argv, BENCH_OPTIONS);
  if (flagOpt(args, "help")) return "help";
  const [word, ...extra] = args.positionals;
  if (extra.length > 0) args.problems.push(`unexpected argument "${extra[0]}"`);
  let scenario: Scenario = "suite";
  if (word !== undefined) {
    if ((SCENARIOS as readonly string[]).includes(word)) scenario = word as Scenario;
    else args.problems.push(`unknown scenario "${word}": use ${SCENARIOS.join(", ")}`);
  }

  let transports: BenchTransport[] = [...DEFAULT_TRANSPORTS];
  const rawTransports = stringOpt(args, "transports");
  if (rawTransports !== undefined) {
    transports = [];
    for (const t of rawTransports.split(",").map((s) => s.trim())) {
      if ((BENCH_TRANSPORTS as readonly string[]).includes(t)) transports.push(t as BenchTransport);
      else args.problems.push(`--transports: unknown transport "${t}" (use ${BENCH_TRANSPORTS.join(", ")})`);
    }
  }

  const url = urlTargetOpt(args);
  if (url) {
    // The scheme names the transport; --transports may say it again, not something else.
    if (rawTransports !== undefined && (transports.length !== 1 || transports[0] !== url.scheme))
      args.problems.push(`--target ${url.scheme}://… speaks ${url.scheme}: --transports ${rawTransports} contradicts it (leave --transports out)`);
    transports = [url.scheme];
  }

  const config: BenchConfig = {
    scenario,
    transports,
    clients: optionalInt(args, "clients", 1, 10_000),
    // --workers is the documented name; --procs is kept for existing scripts.
    procs: intOpt(args, args.values.has("workers") ? "workers" : "procs", 1, 1, 64),
    target: url ? url.target : withTrust(args, targetOpt(args), transports),
    exchange: url ? exchangeOpt(args, url) : undefined,
    net: netOpt(args),
    sizes: listOpt(args, "size", BENCH_HEADER_BYTES, MAX_MESSAGE_BYTES, true),
    rates: listOpt(args, "rate", 1, 10_000_000, false),
    stages: stagesOpt(args),
    startAtMs: startAtOpt(args),
    metrics: metricsOpt(args),
    slo: sloOpt(args),
    maxRate: optionalQuantity(args, "max-rate", 1, 10_000_000),
    precision: args.values.has("precision") ? percentOpt(args, "precision", 0.5, 50) : undefined,
    window: optionalInt(args, "window", 1, 100_000),
    durationMs: optionalDuration(args, "duration", 3600_000),
    count: optionalInt(args, "count", 1, 1_000_000_000),
    warmupMs: optionalDuration(args, "warmup", 600_000, true),
    rampMs: args.values.has("ramp") ? (optionalDuration(args, "ramp", 600_000, true) ?? 0) : 0,
    timeoutMs: durationOpt(args, "timeout", 2000, 600_000),
    pin: choiceOpt(args, "pin", PIN_MODES, "none"),
    quick: flagOpt(args, "quick"),
    intervals: listOpt(args, "intervals", 1, 600_000, false),
    subscribers: listOpt(args, "subscribers", 1, 10_000, false),
    eventRate: optionalInt(args, "event-rate", 1, 100_000),
    eventSize: intOpt(args, "event-size", 64, 0, 65_536),
    rtts: rttsOpt(args),
    outDir: stringOpt(args, "out") ?? "reports",
    format: formatOpt(args),
    paper: choiceOpt(args, "paper", PAPERS, "a4"),
    intervalMs: args.values.has("interval") ? durationOpt(args, "interval", 1000, 3600_000) : undefined,
    hlog: stringOpt(args, "hlog"),
    // --rounds and --repeat are one idea: interleaved rounds of every section.
    // The suite and rtt measure in rounds of shorter runs unless told otherwise (--quick: one).
    // (A scenario other than the suite given its length, --duration or --count, measures once.)
    repeat: intOpt(args, args.values.has("rounds") ? "rounds" : "repeat", defaultRounds(scenario, args), 1, 100),
    assertions: [],
    json: flagOpt(args, "json"),
    argv,
  };
  validateCombinations(config, args);
  // Thresholds are checked against the names the planned runs will produce.
  // (Where other options are wrong there is no plan: syntax and units are still checked, so every problem shows at once.)
  const names = args.problems.length === 0 ? plannedMetricNames(config) : undefined;
  config.assertions = parseAssertions(stringsOpt(args, "assert"), names && new Set(names), config.scenario, args.problems);
  if (args.problems.length > 0) throw new UsageError(args.problems);
  if (flagOpt(args, "list-metrics")) return { listMetrics: names ?? [] };
  return config;
}

function defaultRounds(scenario: Scenario, args: ParsedArgs): number {
  if (flagOpt(args, "quick")) return 1;
  if (scenario !== "suite" && (args.values.has("duration") || args.values.has("count"))) return 1;
  return DEFAULT_ROUNDS[scenario] ?? 1;
}

/** --format LIST: files (md, json, csv, html, pdf) and aliases (both, all), comma-separated. */
function formatOpt(args: ParsedArgs): string {
  const raw = stringOpt(args, "format")?.trim() ?? "both";
  if (reportFiles(raw) === undefined)
    args.problems.push(`--format: "${raw}" is not a list of ${[...REPORT_FILES, ...Object.keys(FORMAT_ALIASES)].join(", ")} (e.g. md,html,json)`);
  return raw;
}

/** --metrics-port [HOST:]PORT: where live metrics are served (HOST 127.0.0.1 unless given; PORT 0: any free one). */
function metricsOpt(args: ParsedArgs): { host: string; port: number } | undefined {
  const raw = stringOpt(args, "metrics-port")?.trim();
  if (raw === undefined) return undefined;
  const m = /^(?:\[?([A-Za-z0-9._:%-]+?)\]?:)?(\d{1,5})$/.exec(raw);
  const port = Number(m?.[2]);
  if (!m || port > 65535) {
    args.problems.push(`--metrics-port must be PORT or HOST:PORT, e.g. 9464 or 0.0.0.0:9464, got "${raw}"`);
    return undefined;
  }
  return { host: m[1] ?? "127.0.0.1", port };
}

/**
 * --start-at: epoch milliseconds, an ISO 8601 time (with its zone), or +DURATION from now
 * ("+30s"); in the future, within a day.
 */
function startAtOpt(args: ParsedArgs): number | undefined {
  const raw = stringOpt(args, "start-at")?.trim();
  if (raw === undefined) return undefined;
  const now = Date.now();
  const relative = raw.startsWith("+") ? parseDurationMs(raw.slice(1)) : undefined;
  const at = relative !== undefined ? now + relative : /^\d{12,14}$/.test(raw) ? Number(raw) : /\d{4}-\d\d-\d\dT/.test(raw) ? Date.parse(raw) : Number.NaN;
  if (!Number.isFinite(at)) {
    args.problems.push(`--start-at: "${raw}" is not a time: give epoch milliseconds, an ISO time such as 2026-12-02T10:00:00Z, or +30s`);
    return undefined;
  }
  if (at <= now) args.problems.push(`--start-at ${raw} is ${((now - at) / 1000).toFixed(1)} s in the past`);
  else if (at - now > MAX_START_WAIT_MS) args.problems.push(`--start-at ${raw} is more than a day away`);
  return at;
}

/** --stages, parsed (bench/model/ramp.ts); undefined when absent or malformed (a problem is noted). */
function stagesOpt(args: ParsedArgs): RampStage[] | undefined {
  const raw = stringOpt(args, "stages");
  if (raw === undefined) return undefined;
  const stages = parseStages(raw);
  if (typeof stages === "string") args.problems.push(`--stages: ${stages}`);
  return typeof stages === "string" ? undefined : stages;
}

/** --slo, parsed; left out, the capacity scenario takes its own default (bench/scenarios/capacity.ts). */
function sloOpt(args: ParsedArgs): Objective[] | undefined {
  const raw = stringOpt(args, "slo");
  if (raw === undefined) return undefined;
  const objectives = parseObjectives(raw);
  if (typeof objectives === "string") args.problems.push(`--slo: ${objectives}`);
  return typeof objectives === "string" ? undefined : objectives;
}

/** A percentage from min to max ("5", "5%"), as a share. */
function percentOpt(args: ParsedArgs, name: string, min: number, max: number): number | undefined {
  const raw = stringOpt(args, name) ?? "";
  const value = Number(raw.trim().replace(/%$/, ""));
  if (raw.trim() === "" || !Number.isFinite(value) || value < min || value > max) {
    args.problems.push(`--${name}: "${raw}" is not a percentage from ${min} to ${max}`);
    return undefined;
  }
  return value / 100;
}

/** `--target host:port` (IPv6 in brackets), or undefined when absent, a URL or malformed (a problem is noted). */
function targetOpt(args: ParsedArgs): Target | undefined {
  const raw = stringOpt(args, "target");
  if (raw === undefined || raw.includes("://")) return undefined;
  const m = /^\[?([A-Za-z0-9._:%-]+?)\]?:(\d{1,5})$/.exec(raw.trim());
  const port = Number(m?.[2]);
  if (!m || port < 1 || port > 65535) {
    args.problems.push(`--target must be host:port, e.g. 192.168.1.20:8080 or [::1]:8765, got "${raw}"`);
    return undefined;
  }
  return { host: m[1]!, port };
}

const DEFAULT_URL_PORTS: Record<Scheme, number | undefined> = { http: 80, https: 443, ws: 80, wss: 443, tcp: undefined, udp: undefined };

interface UrlTarget {
  scheme: Scheme;
  headers: [string, string][];
  target: Target;
  /** As given, less any user:password. */
  url: string;
  path: string;
}

/** `--target SCHEME://HOST:PORT/path?query`, or undefined (absent, host:port, or malformed: a problem is noted). */
function urlTargetOpt(args: ParsedArgs): UrlTarget | undefined {
  const raw = stringOpt(args, "target")?.trim();
  if (raw === undefined || !raw.includes("://")) return undefined;
  const scheme = raw.slice(0, raw.indexOf("://")).toLowerCase();
  if (!(SCHEMES as readonly string[]).includes(scheme)) {
    args.problems.push(`--target: unknown scheme "${scheme}://" (use ${SCHEMES.map((s) => `${s}://`).join(", ")}, or host:port with --transports)`);
    return undefined;
  }
  let u: URL;
  try {
    // URL() knows ports only for its special schemes; tcp and udp are parsed as http.
    u = new URL(scheme === "tcp" || scheme === "udp" ? `http${raw.slice(scheme.length)}` : raw);
  } catch {
    args.problems.push(`--target: "${raw}" is not a URL such as http://127.0.0.1:8080/path`);
    return undefined;
  }
  const s = scheme as Scheme;
  const port = u.port === "" ? DEFAULT_URL_PORTS[s] : Number(u.port);
  if (port === undefined) {
    args.problems.push(`--target ${s}:// needs a port, e.g. ${s}://127.0.0.1:9000`);
    return undefined;
  }
  if ((s === "tcp" || s === "udp") && u.pathname !== "/" && u.pathname !== "") args.problems.push(`--target ${s}:// takes no path ("${u.pathname}")`);
  const path = `${u.pathname || "/"}${u.search}`;
  const host = u.hostname.replace(/^\[(.*)\]$/, "$1");
  const trust = s === "https" || s === "wss" ? { tls: tlsTrustOpt(args) } : {};
  if (!trust.tls && (args.values.has("insecure") || args.values.has("ca")))
    args.problems.push(`--insecure and --ca are for https:// and wss:// targets, not ${s}://`);
  const ws = s === "ws" || s === "wss";
  const headers = headersOpt(args);
  const target: Target = {
    host,
    port,
    ...trust,
    ...(ws ? { path, headers, ...(stringOpt(args, "subprotocol") ? { subprotocol: stringOpt(args, "subprotocol") } : {}) } : {}),
  };
  u.username = "";
  u.password = "";
  return { scheme: s, headers, target, url: `${scheme}${u.toString().slice(u.protocol.length - 1)}`.replace(/\/$/, raw.endsWith("/") ? "/" : ""), path };
}

/** Our TLS server elsewhere (--transports https or wss --target HOST:PORT): its certificate trusted as --insecure or --ca say. */
function withTrust(args: ParsedArgs, target: Target | undefined, transports: BenchTransport[]): Target | undefined {
  const tls = transports.some((t) => TRANSPORT_DRIVERS[t].tls);
  if (target === undefined || !tls) {
    if (args.values.has("insecure") || args.values.has("ca"))
      args.problems.push("--insecure and --ca are for a TLS target: https:// or wss://, or --transports https or wss with --target HOST:PORT");
    return target;
  }
  return { ...target, tls: tlsTrustOpt(args) };
}

/** --insecure / --ca FILE: how to trust an https or wss target's certificate (the system's CAs by default). */
function tlsTrustOpt(args: ParsedArgs): TlsTrust {
  if (args.values.has("insecure") && args.values.has("ca")) args.problems.push("--insecure and --ca exclude each other: --insecure trusts any certificate");
  const file = stringOpt(args, "ca");
  if (file === undefined) return flagOpt(args, "insecure") ? { insecure: true } : {};
  try {
    const ca = readFileSync(file, "utf8");
    fingerprintOf(ca); // throws unless it is a PEM certificate
    return { ca };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    args.problems.push(`--ca ${file}: ${code ? `cannot read the file (${code})` : "not a PEM certificate"}`);
    return {};
  }
}

/** -H "Name: value", repeatable. */
function headersOpt(args: ParsedArgs): [string, string][] {
  const out: [string, string][] = [];
  for (const raw of stringsOpt(args, "header")) {
    const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/.exec(raw);
    if (!m || /[\r\n]/.test(raw)) args.problems.push(`-H/--header must be "Name: value", got "${raw}"`);
    else out.push([m[1]!, m[2]!]);
  }
  return out;
}

/** TEXT, @FILE or hex:0a0b…, as bytes; undefined (a problem noted) when it cannot be read. */
function bytesOpt(args: ParsedArgs, name: string): Uint8Array | undefined {
  const raw = stringOpt(args, name);
  if (raw === undefined) return undefined;
  if (raw.startsWith("@")) {
    try {
      return new Uint8Array(readFileSync(raw.slice(1)));
    } catch (err) {
      args.problems.push(`--${name} ${raw}: cannot read the file (${(err as NodeJS.ErrnoException).code ?? messageOf(err)})`);
      return undefined;
    }
  }
  if (raw.startsWith("hex:")) {
    const hex = raw.slice(4).replace(/\s+/g, "");
    if (!/^([0-9a-fA-F]{2})+$/.test(hex)) {
      args.problems.push(`--${name} hex: needs pairs of hex digits, e.g. hex:50494e470a`);
      return undefined;
    }
    return new Uint8Array(Buffer.from(hex, "hex"));
  }
  return new TextEncoder().encode(raw);
}

/** What each operation against a URL target sends and what answers it: the options that shape it, checked against its scheme. */
function exchangeOpt(args: ParsedArgs, url: UrlTarget): UrlExchange {
  const s = url.scheme;
  const http = s === "http" || s === "https";
  const stream = s === "tcp";
  const only = (names: string[], where: string, ok: boolean): void => {
    for (const n of names) if (!ok && args.values.has(n)) args.problems.push(`--${n} is for ${where} targets, not ${s}://`);
  };
  only(["method", "body", "expect-status", "pipeline", "new-connection"], "http:// and https://", http);
  only(["frame"], "tcp://", stream);
  only(["match", "message"], "tcp://, udp://, ws:// and wss://", !http);
  only(["subprotocol"], "ws:// and wss://", s === "ws" || s === "wss");
  only(["header"], "http(s):// and ws(s)://", http || s === "ws" || s === "wss");
  const payload = http ? bytesOpt(args, "body") : bytesOpt(args, "message");
  const method = (stringOpt(args, "method") ?? "GET").toUpperCase();
  if (!/^[A-Z]+$/.test(method)) args.problems.push(`--method must be a word such as GET, POST or HEAD, got "${stringOpt(args, "method")}"`);
  const expectStatus: number[] = [];
  for (const item of (stringOpt(args, "expect-status") ?? "").split(",").filter((x) => x.trim() !== "")) {
    const code = Number(item.trim());
    if (!Number.isInteger(code) || code < 100 || code > 599) args.problems.push(`--expect-status: "${item.trim()}" is not an HTTP status from 100 to 599`);
    else expectStatus.push(code);
  }
  const newConnection = flagOpt(args, "new-connection");
  const pipeline = intOpt(args, "pipeline", 1, 1, 1000);
  if (newConnection && args.values.has("pipeline"))
    args.problems.push("--pipeline and --new-connection exclude each other: a new connection carries one request");
  if (http && args.values.has("window"))
    args.problems.push(
      "--window does not apply to an http(s):// target: requests in flight per connection are --pipeline N (1 unless asked; many servers mishandle pipelining)",
    );
  if (payload !== undefined && args.values.has("size"))
    args.problems.push(`--size does not combine with --${http ? "body" : "message"}: the message is what you gave`);
  return {
    url: url.url,
    scheme: s,
    path: url.path,
    method: http ? method : "",
    headers: http || s === "ws" || s === "wss" ? url.headers : [],
    ...(payload !== undefined ? { payloadBase64: Buffer.from(payload).toString("base64") } : {}),
    expectStatus,
    frame: choiceOpt(args, "frame", FRAMES, "none"),
    match: choiceOpt(args, "match", MATCHES, "echo"),
    ...(stringOpt(args, "subprotocol") ? { subprotocol: stringOpt(args, "subprotocol") } : {}),
    newConnection,
    pipeline,
  };
}

/**
 * `--rtts 0,20,100` (milliseconds, "ms" optional): at least two different ones, since a row's
 * cost is the slope of its latency between them; each at most once.
 */
function rttsOpt(args: ParsedArgs): number[] | undefined {
  const raw = stringOpt(args, "rtts");
  if (raw === undefined) return undefined;
  const out: number[] = [];
  for (const item of raw.split(",").map((s) => s.trim())) {
    const m = /^(\d+(?:\.\d+)?)(ms)?$/.exec(item);
    // On the relay's grid (one-way delays in whole µs), so what is run is what is named.
    const value = m ? Math.round(Number(m[1]) * 500) / 500 : NaN;
    if (!(value <= MAX_RTT_MS)) args.problems.push(`--rtts: "${item}" is not a round-trip time from 0 to ${MAX_RTT_MS} ms (e.g. 0,20,100 or 20ms)`);
    else if (out.includes(value)) args.problems.push(`--rtts: ${value} ms is given twice`);
    else out.push(value);
  }
  if (out.length < 2 && !args.problems.some((p) => p.startsWith("--rtts")))
    args.problems.push("--rtts needs at least two different round-trip times: a row's cost is the slope of its latency between them");
  return out;
}

/** `--net`: a netem profile, parsed now (once) so a bad one fails before anything starts. */
function netOpt(args: ParsedArgs): Profile | undefined {
  const raw = stringOpt(args, "net");
  if (raw === undefined) return undefined;
  try {
    return parseProfile(raw);
  } catch (err) {
    args.problems.push(`--net: ${messageOf(err)}`);
    return undefined;
  }
}

/** Scenarios that can measure a server socketlab did not write (a URL target): those whose runs are requests and their answers. */
export const URL_SCENARIOS: readonly Scenario[] = ["rtt", "throughput", "load", "capacity", "connect"];

/** Scenarios that can measure a server started elsewhere: those whose runs need only a server to answer (echo, or push-mode for push). */
export const TARGET_SCENARIOS: readonly Scenario[] = ["rtt", "throughput", "load", "capacity", "connect", "udp", "push"];

/**
 * Problems no single option shows: pinning, exclusive options, options of other scenarios.
 * (Sizes above UDP's datagram limit are not among them: a sweep runs them for the other
 * transports and the report says UDP was skipped there.)
 */
function validateCombinations(c: BenchConfig, args: ParsedArgs): void {
  const problems = args.problems;
  if (c.durationMs !== undefined && c.count !== undefined) problems.push("--duration and --count exclude each other: give one");
  if (c.clients !== undefined && c.clients < c.procs)
    problems.push(`--clients (${c.clients}) must be at least --workers (${c.procs}): every swarm process needs a connection`);
  if (c.pin !== "none") {
    const cpus = navigator.hardwareConcurrency;
    if (c.pin === "split" && cpus < 2) problems.push("--pin split needs two CPUs; this machine has one");
    if (Bun.which("taskset") === null) problems.push("--pin needs taskset (Debian: apt-get install util-linux)");
  }
  const pushOnly = ["intervals", "subscribers", "event-rate", "event-size"];
  if (!["push", "fanout", "suite", "distance", "browser"].includes(c.scenario)) {
    for (const o of pushOnly)
      if (args.values.has(o))
        problems.push(
          `--${o} is for the push, fanout${o === "subscribers" ? " and distance scenarios" : ", distance and browser scenarios"}, not ${c.scenario}`,
        );
  }
  if (c.scenario === "browser") {
    if (args.values.has("net")) problems.push("browser runs our own servers on this host's loopback: --net does not combine with it");
    if (args.values.has("transports")) problems.push("browser compares WebSocket with HTTP: --transports does not apply");
    for (const o of ["rate", "window", "count", "subscribers"])
      if (args.values.has(o)) problems.push(`--${o} does not apply to browser: one subscriber per pattern, one request at a time`);
    if (args.values.has("size")) problems.push("--size does not apply to browser: its requests are 64 B, as the Bun rows beside them");
  }
  if (["push", "fanout"].includes(c.scenario)) {
    for (const o of ["size", "rate", "window", "count"])
      if (args.values.has(o)) problems.push(`--${o} is for echo scenarios; push uses --event-rate and --event-size`);
  }
  if (!["distance", "suite"].includes(c.scenario) && args.values.has("rtts"))
    problems.push(`--rtts is for the distance scenario (and the suite's distance section), not ${c.scenario}`);
  if (c.scenario === "suite" && args.values.has("rtts") && !hasDistance(c))
    problems.push(
      c.net !== undefined
        ? "--rtts does nothing with --net: the suite then leaves its distance section out"
        : "--rtts does nothing without ws or http in --transports: the suite then has no distance section",
    );
  if (c.scenario === "distance") {
    if (args.values.has("net")) problems.push("distance sets its own delays (--rtts): --net does not combine with it");
    const distant = BENCH_TRANSPORTS.filter((t) => TRANSPORT_DRIVERS[t].distance.length > 0);
    if (!c.transports.some((t) => distant.includes(t))) problems.push(`distance compares ${inWords(distant)}: --transports needs at least one of them`);
    for (const o of ["rate", "window", "count"])
      if (args.values.has(o)) problems.push(`--${o} does not apply to distance: each row is one message or event at a time`);
  }
  if (args.values.has("stages")) {
    if (c.scenario !== "load") problems.push(`--stages ramps an open loop: it is for the load scenario, not ${c.scenario}`);
    for (const o of ["rate", "duration", "count"])
      if (args.values.has(o)) problems.push(`--stages sets the rates and the length: --${o} does not combine with it`);
  }
  for (const o of ["slo", "max-rate", "precision"])
    if (args.values.has(o) && c.scenario !== "capacity") problems.push(`--${o} is for the capacity scenario, not ${c.scenario}`);
  if (c.scenario === "capacity") {
    if (c.rates !== undefined && c.rates.length > 1) problems.push("--rate in capacity is the first step's rate: give one value");
    if (args.values.has("count")) problems.push("capacity steps by time (--duration is each step's length): --count does not apply");
    if (c.procs > 1) problems.push("capacity judges each step on the whole load, in one swarm process: --workers must be 1");
    if (c.maxRate !== undefined && c.rates?.[0] !== undefined && c.rates[0] > c.maxRate) problems.push(`--rate ${c.rates[0]} is above --max-rate ${c.maxRate}`);
  }
  if (c.intervalMs !== undefined && c.intervalMs < 100) problems.push(`--interval must be at least 100ms, got ${c.intervalMs} ms`);
  if (c.scenario === "rtt" && args.values.has("window")) problems.push("--window is 1 by definition in rtt: use throughput for a pipeline");
  if (c.scenario === "udp" && args.values.has("transports")) problems.push("the udp scenario is UDP only: --transports does not apply");
  if (args.values.has("workers") && args.values.has("procs")) problems.push("--workers and --procs are the same option: give one");
  if (args.values.has("rounds") && args.values.has("repeat")) problems.push("--rounds and --repeat are the same option: give one");
  if (c.exchange) {
    if (!URL_SCENARIOS.includes(c.scenario))
      problems.push(
        `--target ${c.exchange.scheme}://… works with ${URL_SCENARIOS.join(", ")}: ${c.scenario} needs socketlab's own server (start one with bun run server, and give --target host:port)`,
      );
    else if (c.scenario === "connect" && c.exchange.scheme === "udp")
      problems.push("connect times connection set-up, and UDP has none: use rtt or load for udp://");
  } else if (c.target) {
    if (!TARGET_SCENARIOS.includes(c.scenario))
      problems.push(
        `--target works with ${TARGET_SCENARIOS.join(", ")}: start the remote server with bun run server <transport> --mode echo (push: --mode push) --host 0.0.0.0`,
      );
    else if (c.scenario !== "udp" && (c.transports.length !== 1 || !args.values.has("transports")))
      problems.push(`--target is one server: name its transport with --transports (one of ${BENCH_TRANSPORTS.join(", ")})`);
    else if (c.scenario === "push" && TRANSPORT_DRIVERS[c.transports[0]!].push.length === 0)
      problems.push(
        `push --target needs --transports ${BENCH_TRANSPORTS.filter((t) => TRANSPORT_DRIVERS[t].push.length > 0).join(" or ")} (a server in --mode push)`,
      );
  }
}
