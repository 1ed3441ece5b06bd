// A small command-line parser that collects every problem instead of stopping at the first,
// so a user fixes a bad command line in one go. Typed readers below add their own problems
// to the same list; the caller throws one UsageError at the end.
import { UsageError } from "./errors.ts";

/** `multiple`: the option may be given several times; every value is kept, in order. */
export type OptionSpec = { type: "string" | "boolean"; short?: string; multiple?: boolean };
export type OptionSpecs = Record<string, OptionSpec>;

export interface ParsedArgs {
  positionals: string[];
  values: Map<string, string | true>;
  /** Every value of each `multiple` option. */
  lists: Map<string, string[]>;
  problems: string[];
}

export function parseArgs(argv: string[], specs: OptionSpecs): ParsedArgs {
  const positionals: string[] = [];
  const values = new Map<string, string | true>();
  const lists = new Map<string, string[]>();
  const problems: string[] = [];
  const byShort = new Map<string, string>();
  for (const [name, spec] of Object.entries(specs)) if (spec.short) byShort.set(spec.short, name);

  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--") {
      positionals.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith("-") || arg === "-") {
      positionals.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const flag = eq === -1 ? arg : arg.slice(0, eq);
    const name = flag.startsWith("--") ? flag.slice(2) : byShort.get(flag.slice(1));
    const spec = name === undefined ? undefined : specs[name];
    if (name === undefined || spec === undefined) {
      problems.push(`unknown option ${flag}`);
      continue;
    }
    if (spec.type === "boolean") {
      if (eq !== -1) problems.push(`option --${name} takes no value`);
      values.set(name, true);
      continue;
    }
    let value: string | undefined;
    if (eq !== -1) value = arg.slice(eq + 1);
    else if (i + 1 < argv.length && !isOptionLike(argv[i + 1]!)) value = argv[++i];
    if (value === undefined) problems.push(`option --${name} needs a value`);
    else {
      values.set(name, value);
      if (spec.multiple) lists.set(name, [...(lists.get(name) ?? []), value]);
    }
  }
  return { positionals, values, lists, problems };
}

/** A following word is a value unless it looks like an option; negative numbers count as values. */
function isOptionLike(word: string): boolean {
  return word.startsWith("-") && word !== "-" && !/^-\d/.test(word);
}

export function stringOpt(args: ParsedArgs, name: string): string | undefined {
  const v = args.values.get(name);
  return typeof v === "string" ? v : undefined;
}

/** Every value of a `multiple` option, in the order given. */
export function stringsOpt(args: ParsedArgs, name: string): string[] {
  return args.lists.get(name) ?? [];
}

export function flagOpt(args: ParsedArgs, name: string): boolean {
  return args.values.get(name) === true;
}

/** An integer option within [min, max]; a problem is recorded and the fallback returned otherwise. */
export function intOpt(args: ParsedArgs, name: string, fallback: number, min: number, max: number): number {
  const raw = stringOpt(args, name);
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^-?\d+$/.test(raw.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    args.problems.push(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
    return fallback;
  }
  return value;
}

/** A positive duration in seconds ("5", "0.5", "250ms", "2s"), returned in milliseconds. */
export function durationOpt(args: ParsedArgs, name: string, fallbackMs: number, maxMs = 24 * 3600_000): number {
  const raw = stringOpt(args, name);
  if (raw === undefined) return fallbackMs;
  const ms = parseDurationMs(raw);
  if (ms === undefined || ms <= 0 || ms > maxMs) {
    args.problems.push(`--${name} must be a duration such as 5, 2s or 250ms (at most ${maxMs / 1000} s), got "${raw}"`);
    return fallbackMs;
  }
  return ms;
}

/** "250ms" -> 250, "2s" -> 2000, "1.5" (seconds) -> 1500, "1m" -> 60000; undefined when malformed. */
export function parseDurationMs(raw: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m)?\s*$/.exec(raw);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2] ?? "s";
  return unit === "ms" ? n : unit === "s" ? n * 1000 : n * 60_000;
}

export function choiceOpt<T extends string>(args: ParsedArgs, name: string, choices: readonly T[], fallback: T): T {
  const raw = stringOpt(args, name);
  if (raw === undefined) return fallback;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  args.problems.push(`--${name} must be one of ${choices.join(", ")}, got "${raw}"`);
  return fallback;
}

/**
 * The one positional argument a command takes (e.g. the transport), which must be one of
 * `choices`; a missing, unknown or extra word is a problem. Returns the fallback on a problem.
 */
export function positionalChoice<T extends string>(args: ParsedArgs, label: string, choices: readonly T[], fallback: T): T {
  const [word, ...extra] = args.positionals;
  if (extra.length > 0) args.problems.push(`unexpected argument "${extra[0]}"`);
  const list = `${choices.slice(0, -1).join(", ")} or ${choices.at(-1)}`;
  if (word === undefined) args.problems.push(`missing ${label}: ${list}`);
  else if (!(choices as readonly string[]).includes(word)) args.problems.push(`unknown ${label} "${word}": use ${list}`);
  else return word as T;
  return fallback;
}

export function portOpt(args: ParsedArgs, fallback: number, allowZero: boolean): number {
  return intOpt(args, "port", fallback, allowZero ? 0 : 1, 65535);
}

/** A host name or IP address: no spaces, no scheme, no port. Resolution happens later. */
export function hostOpt(args: ParsedArgs, fallback: string): string {
  const raw = stringOpt(args, "host");
  if (raw === undefined) return fallback;
  if (!/^\[?[A-Za-z0-9._:%-]+\]?$/.test(raw) || raw.includes("://")) {
    args.problems.push(`--host must be a host name or IP address such as 127.0.0.1, got "${raw}"`);
    return fallback;
  }
  return raw.replace(/^\[(.*)\]$/, "$1");
}

/**
 * For a command that takes no options: true (the usage printed) on --help or -h; anything else
 * is a usage error, so that a mistyped option never starts a long run.
 */
export function helpOnly(argv: string[], usage: string): boolean {
  const args = parseArgs(argv, { help: { type: "boolean", short: "h" } });
  if (args.positionals.length) args.problems.push(`unexpected argument "${args.positionals[0]}"`);
  if (args.problems.length) throw new UsageError(args.problems);
  if (!args.values.has("help")) return false;
  console.log(usage);
  return true;
}
