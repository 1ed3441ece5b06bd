import { readFile } from "node:fs/promises";
import { RunError, codeOf, messageOf } from "../../lib/errors.ts";
import { DRIVERS } from "../run/bind.ts";
import { RESULT_FORMAT, type BenchResult } from "./results.ts";
import { PUSH_KINDS } from "../run/worker-protocol.ts";

/**
 * Reading a result JSON file back (for compare and merge): checked, and brought up to the
 * current format, so every later step can trust its shape. Every problem is one line naming
 * the file. docs/result-format.md describes the format and its version rule.
 */

type Json = Record<string, unknown>;

/**
 * Files written before the format was stamped carry no `format` field. They are the version 1
 * format (less the stamp, and in the earliest ones less rtt's `skipped`), so they go through the
 * step to version 1 like a file of a version 0 would.
 */
const UNSTAMPED = 0;

/**
 * One step per format version: how to bring a file of the version before it up to that one.
 * A new version adds one entry here (and bumps RESULT_FORMAT.version); the steps run in order,
 * so a file of any older version ends up in the current shape.
 */
const UPGRADES: { to: number; what: string; apply(raw: Json): void }[] = [
  {
    to: 1,
    what: "the format stamp; rtt sections gained `skipped`",
    apply(raw) {
      for (const section of listOf(raw.sections)) if (isObject(section) && section.kind === "rtt" && section.skipped === undefined) section.skipped = [];
    },
  },
  {
    to: 2,
    what: "the distance section and the tcp-new and ws-new drivers: new things, so a version 1 file needs no change",
    apply() {},
  },
];

/** Reads, checks and normalizes a result file; any problem is a RunError naming the file. */
export async function readResult(path: string): Promise<BenchResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = codeOf(err);
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a result file" : code === "EACCES" ? "permission denied" : messageOf(err);
    throw new RunError(`${path}: ${why}`);
  }
  return parseResult(text, path);
}

/** The same checks on text already read; `name` is what messages call it. */
export function parseResult(text: string, name: string): BenchResult {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new RunError(`${name}: not JSON (${messageOf(err).split("\n")[0]})`);
  }
  if (!isObject(raw)) throw new RunError(`${name}: not a socketlab result (the JSON is not an object)`);
  const version = formatVersion(raw, name);
  for (const step of UPGRADES) if (step.to > version) step.apply(raw);
  raw.format = { name: RESULT_FORMAT.name, version: RESULT_FORMAT.version };
  const problem = resultShape(raw, "");
  if (problem !== undefined) throw new RunError(`${name}: not a socketlab result: ${problem}`);
  // Checked field by field above: the value has the shape of a BenchResult.
  return raw as unknown as BenchResult;
}

/** The file's format version (UNSTAMPED for files from before the stamp); refuses what it cannot read. */
function formatVersion(raw: Json, name: string): number {
  const format = raw.format;
  if (format === undefined) {
    if (!isObject(raw.tool) || raw.tool.name !== "socketlab") throw new RunError(`${name}: not a socketlab result (it has neither a "format" nor a "tool" field of socketlab)`);
    return UNSTAMPED;
  }
  if (!isObject(format) || format.name !== RESULT_FORMAT.name) throw new RunError(`${name}: not a socketlab result (its format is ${isObject(format) ? describe(format.name) : describe(format)})`);
  const version = format.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1) throw new RunError(`${name}: result format version ${JSON.stringify(version)} is not a version number`);
  if (version > RESULT_FORMAT.version) {
    throw new RunError(`${name}: result format version ${version} is newer than this socketlab reads (up to ${RESULT_FORMAT.version}): use a newer socketlab`);
  }
  return version;
}

function isObject(v: unknown): v is Json {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function listOf(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

// A small structural check: what compare, merge and the report rely on, field by field. It
// answers with the first problem (a path and what is wrong) or undefined. The full description
// of the format is bench/result.schema.json; this stays a dependency-free subset of it.

type Check = (value: unknown, path: string) => string | undefined;

/** "p is missing", or "p is <what it is>, not <what it should be>". */
const wrong = (v: unknown, p: string, expected: string) => (v === undefined ? `${p} is missing` : `${p} is ${describe(v)}, not ${expected}`);

const join = (path: string, key: string | number) => (typeof key === "number" ? `${path}[${key}]` : path ? `${path}.${key}` : key);

function describe(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

const num: Check = (v, p) => (typeof v === "number" ? undefined : wrong(v, p, "a number"));
const str: Check = (v, p) => (typeof v === "string" ? undefined : wrong(v, p, "a string"));
const anyObject: Check = (v, p) => (isObject(v) ? undefined : wrong(v, p, "an object"));

function oneOf(values: readonly string[]): Check {
  return (v, p) => (typeof v === "string" && values.includes(v) ? undefined : wrong(v, p, `one of ${values.join(", ")}`));
}

function optional(check: Check): Check {
  return (v, p) => (v === undefined ? undefined : check(v, p));
}

function list(item: Check): Check {
  return (v, p) => {
    if (!Array.isArray(v)) return wrong(v, p, "a list");
    for (const [i, x] of v.entries()) {
      const problem = item(x, join(p, i));
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

function numbers(v: unknown, p: string): string | undefined {
  if (!isObject(v)) return wrong(v, p, "an object");
  for (const [k, x] of Object.entries(v)) if (typeof x !== "number") return wrong(x, join(p, k), "a number");
  return undefined;
}

function obj(fields: Record<string, Check>): Check {
  return (v, p) => {
    if (!isObject(v)) return wrong(v, p || "the result", "an object");
    for (const [k, check] of Object.entries(fields)) {
      const problem = check(v[k], join(p, k));
      if (problem !== undefined) return problem;
    }
    return undefined;
  };
}

const summary = obj(Object.fromEntries(["count", "min", "p50", "p90", "p99", "p999", "max", "mean", "stdev"].map((k) => [k, num])));
const histogram: Check = (v, p) => (typeof v === "string" && v.startsWith("HISTF") ? undefined : wrong(v, p, "an encoded histogram"));
const processCost = obj({ userMs: num, sysMs: num, peakRssBytes: num });
const clientCost = obj({ userMs: num, sysMs: num, peakRssBytes: num, processes: num });
const repeat = optional(obj({ count: num, figures: anyObject }));

const loadRun = obj({
  spec: obj({ driver: oneOf(Object.keys(DRIVERS)), clients: num, procs: num, size: num, model: oneOf(["closed", "open"]), window: num, ratePerSec: num, warmupMs: num, timeoutMs: num }),
  latency: summary,
  uncorrected: summary,
  lag: summary,
  // Always written; a file trimmed by hand (a test fixture) may lack them, and then only merge refuses it.
  histograms: optional(obj({ latency: histogram, uncorrected: histogram, lag: histogram })),
  counts: obj({ sent: num, completed: num, timeouts: num, behind: num, unsent: num, errors: numbers }),
  sequence: obj({ sent: num, received: num, lost: num, reordered: num, duplicated: num, late: num, jitterNs: num }),
  measuredSec: num,
  opsPerSec: num,
  payloadBytesPerSec: num,
  cost: obj({ client: clientCost, server: processCost, clientCpuPerOpUs: num, serverCpuPerOpUs: num }),
  wirePerOp: optional(obj({ in: num, out: num, segmentsIn: num, segmentsOut: num })),
  placement: anyObject,
  oneWay: optional(obj({ sent: num, received: num, lost: num })),
  serverRejected: numbers,
  serverErrors: numbers,
  repeat,
});

const pushRun = obj({
  spec: obj({ pattern: oneOf(PUSH_KINDS), intervalMs: num, subscribers: num, procs: num, eventsPerSec: num, eventSize: num, durationMs: num }),
  label: str,
  latency: summary,
  slowestDelivery: summary,
  histogram: optional(histogram),
  events: num,
  expected: num,
  delivered: num,
  requests: num,
  emptyPolls: num,
  missed: num,
  clockAnomalies: num,
  requestsPerEvent: num,
  bytesPerEvent: optional(obj({ up: num, down: num })),
  cost: obj({ client: clientCost, server: processCost }),
  placement: anyObject,
  repeat,
});

const strings = list(str);
const SECTIONS: Record<string, Check> = {
  hello: obj({ runs: list(loadRun), exchanges: list(anyObject) }),
  rtt: obj({ runs: list(loadRun), skipped: strings }),
  throughput: obj({ runs: list(loadRun), skipped: strings }),
  load: obj({ runs: list(loadRun), knees: list(obj({ driver: str })) }),
  connect: obj({ runs: list(loadRun), skipped: strings, timeWait: list((v, p) => (v === null || v === undefined ? undefined : num(v, p))) }),
  udp: obj({ runs: list(loadRun), oneWay: list(loadRun), lossBeginsAt: optional(num), oneWayLossBeginsAt: optional(num) }),
  push: obj({ runs: list(pushRun), eventsPerSec: num, subscribers: num }),
  fanout: obj({ runs: list(pushRun), eventsPerSec: num }),
  distance: obj({ runs: list(loadRun), push: list(pushRun), rttsMs: list(num) }),
};

const section: Check = (v, p) => {
  if (!isObject(v)) return wrong(v, p, "an object");
  const check = typeof v.kind === "string" ? SECTIONS[v.kind] : undefined;
  return check ? check(v, p) : wrong(v.kind, join(p, "kind"), `one of ${Object.keys(SECTIONS).join(", ")}`);
};

const resultShape = obj({
  tool: obj({ name: oneOf(["socketlab"]), version: str }),
  scenario: str,
  config: anyObject,
  command: str,
  environment: anyObject,
  startedAt: str,
  finishedAt: str,
  elapsedSec: num,
  parts: optional(num),
  sections: list(section),
  relayOverhead: optional(list(obj({ transport: oneOf(["tcp", "udp"]), roundTrips: num, directP50Ns: num, relayedP50Ns: num, addedP50Ns: num }))),
});
