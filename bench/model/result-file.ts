// Reading a result JSON file back (for compare and merge): brought up to the current format,
// then validated against bench/result.schema.json, the one description of the format, so every
// later step can trust its shape. Every problem is one line naming the file.
// docs/result-format.md describes the format and its version rule.
import { readFile } from "node:fs/promises";
import Ajv2020, { type ErrorObject, type ValidateFunction } from "ajv/dist/2020.js";
import { RunError, codeOf, messageOf } from "../../lib/errors.ts";
import { parseProfile } from "../../netem/profile.ts";
import schema from "../result.schema.json" with { type: "json" };
import { RESULT_FORMAT, type BenchResult } from "./results.ts";

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
 * so a file of any older version ends up in the current shape. A step that cannot convert a field
 * throws a Problem naming it.
 */
export const UPGRADES: { to: number; what: string; apply(raw: Json): void }[] = [
  {
    to: 1,
    what: "the format stamp; rtt sections gained `skipped`",
    apply(raw) {
      for (const section of listOf(raw.sections)) if (isObject(section) && section.kind === "rtt" && section.skipped === undefined) section.skipped = [];
    },
  },
  {
    to: 2,
    what: "the distance section and the tcp-new and ws-new drivers: new things, so a version 1 file needs no change (but the first ones, from before --format, --repeat and --assert, get their defaults)",
    apply(raw) {
      if (!isObject(raw.config)) return;
      raw.config.format ??= "both";
      raw.config.repeat ??= 1;
      raw.config.assertions ??= [];
    },
  },
  {
    to: 3,
    what: "network profiles (config.net, every run's spec.net) are parsed: a profile object instead of --net's text",
    apply(raw) {
      if (isObject(raw.config)) parseNet(raw.config, "config.net");
      for (const [i, section] of listOf(raw.sections).entries()) {
        if (!isObject(section)) continue;
        // Every list of runs a section keeps: runs, and udp's oneWay and distance's push.
        for (const [key, runs] of Object.entries(section)) {
          for (const [j, run] of listOf(runs).entries()) if (isObject(run) && isObject(run.spec)) parseNet(run.spec, `sections[${i}].${key}[${j}].spec.net`);
        }
      }
    },
  },
  {
    to: 4,
    what: "the https, https-close, wss, wss-connect and wss-new drivers and the https and wss transports: new things, so a version 3 file needs no change",
    apply() {},
  },
  {
    to: 5,
    what: "the browser section kind and scenario: new things, so a version 4 file needs no change",
    apply() {},
  },
];

/** A problem an upgrade step found, at a path: reported like a schema problem. */
class Problem extends Error {}

/** Replaces a profile's text ("delay=5ms", "wifi") in `holder.net` with the profile it describes. */
function parseNet(holder: Json, path: string): void {
  if (typeof holder.net !== "string") return;
  try {
    holder.net = parseProfile(holder.net);
  } catch (err) {
    // parseProfile's message ends with every valid key and profile: the problem is enough here.
    throw new Problem(
      `${path} is ${describe(holder.net)}, not a network profile (${messageOf(err)
        .replace(/^bad network profile "[^"]*": /, "")
        .replace(/ \(valid keys:.*$/, "")})`,
    );
  }
}

/** Reads, checks and normalizes a result file; any problem is a RunError naming the file. */
export async function readResult(path: string): Promise<BenchResult> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = codeOf(err);
    const why =
      code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory, not a result file" : code === "EACCES" ? "permission denied" : messageOf(err);
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
  const upgraded = upgradeResult(raw, name);
  // Fields this socketlab does not know (a newer one's optional additions) are dropped here:
  // readers ignore what they do not know.
  const problem = schemaProblem(validator("read"), upgraded);
  if (problem !== undefined) throw new RunError(`${name}: not a socketlab result: ${problem}`);
  // Validated against the schema, which a compile-time check keeps in step with BenchResult.
  return upgraded as unknown as BenchResult;
}

/**
 * A parsed result file brought up to the current format version, in place, and stamped with it:
 * not yet validated. Refuses (RunError naming the file) what is no socketlab result, a version
 * newer than this socketlab reads, and what an upgrade step cannot convert.
 */
export function upgradeResult(raw: unknown, name: string): Json {
  if (!isObject(raw)) throw new RunError(`${name}: not a socketlab result (the JSON is not an object)`);
  const version = formatVersion(raw, name);
  try {
    for (const step of UPGRADES) if (step.to > version && step.to <= RESULT_FORMAT.version) step.apply(raw);
  } catch (err) {
    if (err instanceof Problem) throw new RunError(`${name}: not a socketlab result: ${err.message}`);
    throw err;
  }
  raw.format = { name: RESULT_FORMAT.name, version: RESULT_FORMAT.version };
  return raw;
}

/**
 * The first way `value` departs from the schema, as "path is what, not what it should be", or
 * undefined. Exact: a field the schema does not have is a problem too (readResult drops those
 * instead). For tests, and for writers: what socketlab writes must be described exactly.
 */
export function resultProblem(value: unknown): string | undefined {
  return schemaProblem(validator("exact"), value);
}

/** The file's format version (UNSTAMPED for files from before the stamp); refuses what it cannot read. */
function formatVersion(raw: Json, name: string): number {
  const format = raw.format;
  if (format === undefined) {
    if (!isObject(raw.tool) || raw.tool.name !== "socketlab")
      throw new RunError(`${name}: not a socketlab result (it has neither a "format" nor a "tool" field of socketlab)`);
    return UNSTAMPED;
  }
  if (!isObject(format) || format.name !== RESULT_FORMAT.name)
    throw new RunError(`${name}: not a socketlab result (its format is ${isObject(format) ? describe(format.name) : describe(format)})`);
  const version = format.version;
  if (typeof version !== "number" || !Number.isInteger(version) || version < 1)
    throw new RunError(`${name}: result format version ${JSON.stringify(version)} is not a version number`);
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

// ---- the schema, compiled once ----------------------------------------------------------------

const compiled: { read?: ValidateFunction; exact?: ValidateFunction } = {};

/**
 * The schema's validators, each compiled on first use: `read` drops fields the schema does not
 * have, `exact` refuses them. Strict mode refuses a schema that says something ajv would ignore;
 * `discriminator` checks a section against its own kind only, so its problem is the one
 * reported; `verbose` keeps the offending value in each error, for the message.
 */
function validator(kind: "read" | "exact"): ValidateFunction {
  compiled[kind] ??= new Ajv2020({
    strict: true,
    discriminator: true,
    verbose: true,
    allErrors: false,
    validateFormats: false,
    // Each definition compiled once, as its own function, instead of copied into every use.
    inlineRefs: false,
    removeAdditional: kind === "read",
  }).compile(schema);
  return compiled[kind];
}

function schemaProblem(validate: ValidateFunction, value: unknown): string | undefined {
  if (validate(value)) return undefined;
  return describeError(pickError(validate.errors ?? []), value);
}

/**
 * The error to report. With allErrors off ajv stops at the first failing keyword, but an anyOf
 * that failed lists every branch's error before its own: report the branch the value was meant
 * for (the one whose type it has), or, when it has none of their types, the anyOf itself.
 */
function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  const last = errors.at(-1);
  if (last?.keyword !== "anyOf" && last?.keyword !== "oneOf") return errors[0];
  const branches = errors.slice(0, -1);
  const meant = branches.filter((e) => !(e.keyword === "type" && e.instancePath === last.instancePath));
  return meant.length > 0 ? pickError(meant) : { ...last, params: { ...last.params, types: branches.map((e) => e.params.type as string) } };
}

/** "sections[0].runs[2].latency.p50 is "abc", not a number" (or "... is missing"). */
function describeError(error: ErrorObject | undefined, root: unknown): string {
  if (error === undefined) return "it does not match the schema";
  const at = pathOf(error.instancePath, root);
  const is = (expected: string) => `${at || "the result"} is ${describe(error.data)}, not ${expected}`;
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "required":
      return `${join(at, String(params.missingProperty))} is missing`;
    case "additionalProperties":
      return `${join(at, String(params.additionalProperty))} is not a field of the format`;
    case "type":
      if (error.parentSchema === schema.$defs.profile) return is("a network profile ({ delayMs, jitterMs, loss })");
      return is([params.type].flat().map(String).map(typeName).join(" or "));
    case "const":
      return is(JSON.stringify(params.allowedValue));
    case "enum":
      return is(`one of ${(params.allowedValues as unknown[]).join(", ")}`);
    case "minimum":
      return is(`a number of at least ${params.limit}`);
    case "exclusiveMinimum":
      return is(`a number above ${params.limit}`);
    case "maximum":
      return is(`a number of at most ${params.limit}`);
    case "pattern":
      if (error.parentSchema === schema.$defs.histogram) return is("an encoded histogram");
      if (error.parentSchema === schema.$defs.time) return is("a time such as 2026-01-31T12:00:00.000Z");
      return is(`text matching ${params.pattern}`);
    case "discriminator": {
      const kinds = ((error.parentSchema?.oneOf ?? []) as { $ref: string }[]).map((s) => kindOf(s.$ref));
      const tag = join(at, String(params.tag));
      return params.tagValue === undefined ? `${tag} is missing` : `${tag} is ${describe(params.tagValue)}, not one of ${kinds.join(", ")}`;
    }
    case "anyOf":
    case "oneOf":
      return is(((params.types as string[] | undefined) ?? []).map(typeName).join(" or ") || "what the format allows there");
    default:
      return `${at || "the result"} ${error.message ?? "does not match the schema"}`;
  }
}

/** The kind a section definition stands for: its `kind` const. */
function kindOf(ref: string): string {
  const defs = schema.$defs as Record<string, { properties?: { kind?: { const?: string } } }>;
  return defs[ref.replace("#/$defs/", "")]?.properties?.kind?.const ?? ref;
}

const TYPE_NAMES: Record<string, string> = {
  object: "an object",
  array: "a list",
  string: "a string",
  number: "a number",
  integer: "a whole number",
  boolean: "true or false",
  null: "null",
};

function typeName(type: string): string {
  return TYPE_NAMES[type] ?? type;
}

/** A JSON pointer ("/sections/0/runs/2") as a path ("sections[0].runs[2]"): indexes where the value is a list. */
function pathOf(pointer: string, root: unknown): string {
  let path = "";
  let value = root;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replaceAll("~1", "/").replaceAll("~0", "~");
    if (Array.isArray(value)) {
      path = join(path, Number(key));
      value = value[Number(key)];
    } else {
      path = join(path, key);
      value = isObject(value) ? value[key] : undefined;
    }
  }
  return path;
}

function join(path: string, key: string | number): string {
  if (typeof key === "number") return `${path}[${key}]`;
  if (!/^[A-Za-z_$][\w$-]*$/.test(key)) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}

function describe(v: unknown): string {
  if (v === undefined) return "missing";
  if (v === null) return "null";
  if (Array.isArray(v)) return "a list";
  if (typeof v === "object") return "an object";
  const text = JSON.stringify(v);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
