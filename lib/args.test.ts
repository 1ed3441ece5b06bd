import { describe, expect, test } from "bun:test";
import { durationOpt, hostOpt, intOpt, parseArgs, parseDurationMs, portOpt } from "./args.ts";

const specs = {
  port: { type: "string" },
  host: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  n: { type: "string" },
} as const;

describe("parseArgs", () => {
  test("reads positionals, --name value, --name=value, booleans and short flags", () => {
    const args = parseArgs(["tcp", "--port", "80", "--host=::1", "--json", "-h"], specs);
    expect(args.positionals).toEqual(["tcp"]);
    expect(args.values.get("port")).toBe("80");
    expect(args.values.get("host")).toBe("::1");
    expect(args.values.get("json")).toBe(true);
    expect(args.values.get("help")).toBe(true);
    expect(args.problems).toEqual([]);
  });

  test("collects every problem instead of stopping at the first", () => {
    const args = parseArgs(["--bogus", "--port", "--json=yes", "-x"], specs);
    expect(args.problems).toEqual(["unknown option --bogus", "option --port needs a value", "option --json takes no value", "unknown option -x"]);
  });

  test("takes a negative number as a value, so range checks can name it", () => {
    const args = parseArgs(["--n", "-5"], specs);
    expect(intOpt(args, "n", 1, 0, 10)).toBe(1);
    expect(args.problems).toEqual(['--n must be a whole number from 0 to 10, got "-5"']);
  });
});

describe("typed options", () => {
  test("ports: 0 only where allowed, nothing above 65535, no fractions", () => {
    for (const [raw, allowZero, ok] of [
      ["0", true, true],
      ["0", false, false],
      ["65535", false, true],
      ["65536", true, false],
      ["80.5", true, false],
      ["http", true, false],
    ] as const) {
      const args = parseArgs(["--port", raw], specs);
      portOpt(args, 1, allowZero);
      expect(args.problems.length === 0).toBe(ok);
    }
  });

  test("hosts: names and addresses pass, URLs and spaces do not; brackets are removed", () => {
    const host = (raw: string) => {
      const args = parseArgs(["--host", raw], specs);
      return [hostOpt(args, "fallback"), args.problems.length] as const;
    };
    expect(host("127.0.0.1")).toEqual(["127.0.0.1", 0]);
    expect(host("[::1]")).toEqual(["::1", 0]);
    expect(host("my-laptop.local")).toEqual(["my-laptop.local", 0]);
    expect(host("http://x")[1]).toBe(1);
    expect(host("a b")[1]).toBe(1);
  });

  test("durations: plain seconds, s, ms and m", () => {
    expect(parseDurationMs("5")).toBe(5000);
    expect(parseDurationMs("0.25")).toBe(250);
    expect(parseDurationMs("250ms")).toBe(250);
    expect(parseDurationMs("2s")).toBe(2000);
    expect(parseDurationMs("1m")).toBe(60_000);
    expect(parseDurationMs("soon")).toBeUndefined();
    const args = parseArgs(["--n", "0"], specs);
    expect(durationOpt(args, "n", 7)).toBe(7);
    expect(args.problems[0]).toMatch(/--n must be a duration/);
  });
});
