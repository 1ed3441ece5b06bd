import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { RunError } from "../../lib/errors.ts";
import { parseResult, readResult, resultProblem, upgradeResult } from "./result-file.ts";
import schema from "../result.schema.json" with { type: "json" };
import { RESULT_FORMAT, sectionRuns } from "./results.ts";
import { killAll, runCli } from "../../test/support/processes.ts";

const EXAMPLE = new URL("../../test/fixtures/suite.json", import.meta.url).pathname;
const FIXTURE = new URL("../../test/fixtures/quick-suite.json", import.meta.url).pathname;
const REPORT = new URL("../../reports/example-suite.json", import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), "socketlab-result-file-"));
afterAll(() => {
  killAll();
  rmSync(dir, { recursive: true, force: true });
});

type Raw = Record<string, unknown> & { config: Record<string, unknown>; sections: Record<string, unknown>[] };

/** Writes `content` to a file in the test's folder and returns its path. */
function file(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

async function fixtureJson(): Promise<Raw> {
  return Bun.file(FIXTURE).json();
}

/** The RunError readResult throws for `path`, or fails the test. */
async function refusal(path: string): Promise<RunError> {
  try {
    await readResult(path);
  } catch (err) {
    expect(err).toBeInstanceOf(RunError);
    return err as RunError;
  }
  throw new Error(`${path} was read without complaint`);
}

/** What parseResult says of `raw`, which must be refused. */
function refusalOf(raw: object, name = "broken.json"): string {
  try {
    parseResult(JSON.stringify(raw), name);
  } catch (err) {
    expect(err).toBeInstanceOf(RunError);
    const message = (err as RunError).message;
    expect(message).not.toContain("\n");
    return message;
  }
  throw new Error(`${name} was read without complaint`);
}

/** The file as written, brought up to the current version but nothing dropped, checked exactly against the schema. */
function exactProblem(path: string): string | undefined {
  return resultProblem(upgradeResult(JSON.parse(readFileSync(path, "utf8")), path));
}

describe("readResult", () => {
  test("reads the example report and the test fixture as they are", async () => {
    const example = await readResult(EXAMPLE);
    expect(example.format).toEqual(RESULT_FORMAT);
    expect(example.sections.map((s) => s.kind)).toEqual(["hello", "rtt", "push", "distance", "throughput", "load"]);
    expect((await readResult(FIXTURE)).scenario).toBe("suite");
  });

  test("a file written before the format stamp is brought up to the current version", async () => {
    const old = await fixtureJson();
    delete old.format;
    const result = await readResult(file("unstamped.json", old));
    expect(result.format).toEqual({ name: RESULT_FORMAT.name, version: RESULT_FORMAT.version });
    expect(result.sections.length).toBe(old.sections.length);
  });

  test("a version 1 file (before the distance section) reads as it is, stamped with the current version", async () => {
    const old = await fixtureJson();
    old.format = { name: "socketlab-result", version: 1 };
    old.sections = old.sections.filter((s) => s.kind !== "distance");
    const result = await readResult(file("v1.json", old));
    expect(result.format.version).toBe(RESULT_FORMAT.version);
    expect(result.sections.map((s) => s.kind)).not.toContain("distance");
  });

  test("the earliest files, whose rtt sections had no `skipped`, get an empty one", async () => {
    const old = await fixtureJson();
    delete old.format;
    for (const s of old.sections) if (s.kind === "rtt") delete s.skipped;
    const result = await readResult(file("earliest.json", old));
    const rtt = result.sections.find((s) => s.kind === "rtt");
    expect(rtt && "skipped" in rtt ? rtt.skipped : undefined).toEqual([]);
  });

  test("files from before --format, --repeat and --assert get their defaults in config", async () => {
    for (const version of [undefined, 1]) {
      const old = await fixtureJson();
      if (version === undefined) delete old.format;
      else old.format = { name: "socketlab-result", version };
      delete old.config.format;
      delete old.config.repeat;
      delete old.config.assertions;
      const { config } = await readResult(file(`before-options-${version}.json`, old));
      expect([config.format, config.repeat, config.assertions]).toEqual(["both", 1, []]);
    }
  });

  test("a version 2 file's network profiles, given as text, are parsed: in config and in every run's spec", async () => {
    const old = await fixtureJson();
    expect(old.format).toEqual({ name: "socketlab-result", version: 2 });
    old.config.net = "wifi";
    const distance = old.sections.find((s) => s.kind === "distance") as {
      runs: { spec: Record<string, unknown> }[];
      push: { spec: Record<string, unknown> }[];
    };
    const rttRun = (old.sections.find((s) => s.kind === "rtt") as { runs: { spec: Record<string, unknown> }[] }).runs[0]!;
    const udpRun = (driver: string) => ({ ...structuredClone(rttRun), spec: { ...rttRun.spec, driver, net: "delay=5ms,loss=1%" } });
    old.sections.push({ kind: "udp", runs: [udpRun("udp")], oneWay: [udpRun("udp-oneway")] });
    expect(distance.runs.map((r) => typeof r.spec.net)).toContain("string");
    expect(distance.push.map((r) => typeof r.spec.net)).toContain("string");

    const result = await readResult(file("v2-net.json", old));
    expect(result.config.net).toEqual({ name: "wifi", delayMs: 3, jitterMs: 2, loss: 0.005 });
    const read = result.sections.find((s) => s.kind === "distance");
    if (read?.kind !== "distance") throw new Error("no distance section");
    const runs = [...read.runs, ...read.push];
    expect(runs.length).toBe(distance.runs.length + distance.push.length);
    for (const [i, run] of runs.entries()) {
      const text = (i < distance.runs.length ? distance.runs[i] : distance.push[i - distance.runs.length])!.spec.net as string;
      expect(run.spec.net).toEqual({ delayMs: Number(/^delay=(\d+)us$/.exec(text)![1]) / 1000, jitterMs: 0, loss: 0 });
    }
    // Each one-way delay is half one of the section's round-trip times.
    expect([...new Set(runs.map((r) => 2 * r.spec.net!.delayMs))]).toEqual(read.rttsMs);
    const udp = result.sections.find((s) => s.kind === "udp");
    if (udp?.kind !== "udp") throw new Error("no udp section");
    expect([udp.runs[0]!.spec.net, udp.oneWay[0]!.spec.net]).toEqual([
      { delayMs: 5, jitterMs: 0, loss: 0.01 },
      { delayMs: 5, jitterMs: 0, loss: 0.01 },
    ]);
  });

  test("a network profile that does not parse is refused with the path to it", async () => {
    const old = await fixtureJson();
    const at = old.sections.findIndex((s) => s.kind === "distance");
    (old.sections[at]!.push as { spec: Record<string, unknown> }[])[1]!.spec.net = "dealy=5ms";
    expect(refusalOf(old)).toBe(
      `broken.json: not a socketlab result: sections[${at}].push[1].spec.net is "dealy=5ms", not a network profile (unknown key "dealy")`,
    );
    old.config.net = "moon";
    expect(refusalOf(old)).toBe('broken.json: not a socketlab result: config.net is "moon", not a network profile (unknown profile "moon")');
  });

  test("a newer format version is refused, saying which versions are readable", async () => {
    const future = await fixtureJson();
    future.format = { name: "socketlab-result", version: 99 };
    const path = file("future.json", future);
    const err = await refusal(path);
    expect(err.message).toBe(`${path}: result format version 99 is newer than this socketlab reads (up to ${RESULT_FORMAT.version}): use a newer socketlab`);
  });

  test("garbage is refused with the file named, in one line", async () => {
    const path = file("garbage.json", "not json {");
    const err = await refusal(path);
    expect(err.message).toStartWith(`${path}: not JSON (`);
    expect(err.message).not.toContain("\n");
  });

  test("a missing file and a directory are refused with the path named", async () => {
    expect((await refusal(join(dir, "nowhere.json"))).message).toBe(`${join(dir, "nowhere.json")}: no such file`);
    expect((await refusal(dir)).message).toBe(`${dir}: is a directory, not a result file`);
  });

  test("JSON that is not a socketlab result is refused, naming what is wrong", () => {
    expect(() => parseResult("[1, 2]", "list.json")).toThrow("list.json: not a socketlab result (the JSON is not an object)");
    expect(() => parseResult('{"name": "package"}', "package.json")).toThrow(
      'package.json: not a socketlab result (it has neither a "format" nor a "tool" field of socketlab)',
    );
    expect(() => parseResult('{"format": {"name": "other", "version": 1}}', "other.json")).toThrow(
      'other.json: not a socketlab result (its format is "other")',
    );
  });

  test("a damaged run is refused with the path to the field", async () => {
    const broken = await fixtureJson();
    const at = broken.sections.findIndex((s) => s.kind === "rtt");
    const runs = broken.sections[at]!.runs as Record<string, Record<string, unknown>>[];
    delete runs[1]!.latency!.p99;
    expect(() => parseResult(JSON.stringify(broken), "broken.json")).toThrow(
      `broken.json: not a socketlab result: sections[${at}].runs[1].latency.p99 is missing`,
    );
    runs[1]!.latency!.p99 = "fast";
    expect(() => parseResult(JSON.stringify(broken), "broken.json")).toThrow(
      `broken.json: not a socketlab result: sections[${at}].runs[1].latency.p99 is "fast", not a number`,
    );
  });

  test("every kind of damage is one line naming the field and what it should be", async () => {
    const example = await Bun.file(EXAMPLE).json();
    const kinds: string[] = example.sections.map((s: { kind: string }) => s.kind);
    const [rtt, push, distance] = [kinds.indexOf("rtt"), kinds.indexOf("push"), kinds.indexOf("distance")];
    const damaged = (damage: (r: typeof example) => void) => {
      const copy = structuredClone(example);
      damage(copy);
      return refusalOf(copy).replace("broken.json: not a socketlab result: ", "");
    };
    expect(damaged((r) => (r.sections[rtt].runs[2].latency.p50 = "abc"))).toBe(`sections[${rtt}].runs[2].latency.p50 is "abc", not a number`);
    expect(damaged((r) => (r.sections[rtt].runs[0].histograms.latency = "not a histogram"))).toBe(
      `sections[${rtt}].runs[0].histograms.latency is "not a histogram", not an encoded histogram`,
    );
    expect(damaged((r) => (r.sections[rtt].runs[0].spec.driver = "quic"))).toBe(
      `sections[${rtt}].runs[0].spec.driver is "quic", not one of tcp, udp, udp-oneway, ws, http, http-close, tcp-connect, ws-connect, tcp-new, ws-new, https, https-close, wss, wss-connect, wss-new`,
    );
    expect(damaged((r) => (r.sections[push].runs[0].spec.pattern = "pigeon"))).toBe(
      `sections[${push}].runs[0].spec.pattern is "pigeon", not one of ws, sse, long, short`,
    );
    expect(damaged((r) => (r.sections[distance].push[0].spec.net = 20))).toBe(
      `sections[${distance}].push[0].spec.net is 20, not a network profile ({ delayMs, jitterMs, loss })`,
    );
    expect(damaged((r) => (r.sections[push].kind = "pigeon"))).toBe(
      `sections[${push}].kind is "pigeon", not one of hello, rtt, throughput, load, capacity, connect, udp, push, fanout, distance, browser`,
    );
    expect(damaged((r) => delete r.sections[push].kind)).toBe(`sections[${push}].kind is missing`);
    // A section is checked as its own kind: a push section's runs are push runs.
    expect(damaged((r) => delete r.sections[push].runs[0].slowestDelivery)).toBe(`sections[${push}].runs[0].slowestDelivery is missing`);
    expect(damaged((r) => (r.sections[rtt].runs[0].placement.swarm[0] = "cpu0"))).toBe(
      `sections[${rtt}].runs[0].placement.swarm[0] is "cpu0", not an object or null`,
    );
    expect(damaged((r) => (r.sections[rtt].runs[0].placement.swarm[0].lastCpu = 0.5))).toBe(
      `sections[${rtt}].runs[0].placement.swarm[0].lastCpu is 0.5, not a whole number`,
    );
    expect(damaged((r) => (r.sections[rtt].runs[0].counts.errors["connection reset"] = "many"))).toBe(
      `sections[${rtt}].runs[0].counts.errors["connection reset"] is "many", not a number`,
    );
    expect(damaged((r) => (r.sections[rtt].runs[0].latency.min = -1))).toBe(`sections[${rtt}].runs[0].latency.min is -1, not a number of at least 0`);
    expect(damaged((r) => r.sections.push({ kind: "connect", runs: [], skipped: [], timeWait: [3, null, "x"] }))).toBe(
      `sections[${kinds.length}].timeWait[2] is "x", not a whole number or null`,
    );
    expect(damaged((r) => (r.startedAt = "yesterday"))).toBe('startedAt is "yesterday", not a time such as 2026-01-31T12:00:00.000Z');
    expect(damaged((r) => (r.tool.name = "other"))).toBe('tool.name is "other", not "socketlab"');
    expect(damaged((r) => (r.sections = {}))).toBe("sections is an object, not a list");
  });

  test("fields this socketlab does not know are dropped when read, as a newer socketlab's optional additions", async () => {
    const newer = await Bun.file(EXAMPLE).json();
    newer.sections[1].runs[0].shiny = { figure: 1 };
    newer.tool.build = "nightly";
    const result = await readResult(file("newer.json", newer));
    expect(sectionRuns(result.sections[1]!)[0]).not.toHaveProperty("shiny");
    expect(result.tool).toEqual({ name: "socketlab", version: newer.tool.version });
    // ...but what socketlab writes is held to the schema exactly (see "describes exactly" below).
    expect(resultProblem(upgradeResult(newer, "newer.json"))).toBe("tool.build is not a field of the format");
  });
});

describe("result.schema.json", () => {
  test("describes exactly the test fixtures (format 2, upgraded) and the committed example report (the current format, as written)", async () => {
    const versions = [EXAMPLE, FIXTURE, REPORT].map((path) => JSON.parse(readFileSync(path, "utf8")).format.version);
    expect(versions).toEqual([2, 2, RESULT_FORMAT.version]);
    for (const path of [EXAMPLE, FIXTURE, REPORT]) {
      expect(exactProblem(path)).toBeUndefined();
      expect((await readResult(path)).format.version).toBe(RESULT_FORMAT.version);
    }
    expect(resultProblem(JSON.parse(readFileSync(REPORT, "utf8")))).toBeUndefined();
  });

  test("describes exactly what a real run writes", async () => {
    const out = mkdtempSync(join(dir, "run-"));
    const run = await runCli(["bench/cli/main.ts", "rtt", "--transports", "tcp", "-n", "200", "--warmup", "0", "--format", "json", "--out", out], "", 40_000);
    expect(run.code === 0 ? "" : run.stderr.trim()).toBe("");
    const files = readdirSync(out).filter((f) => f.endsWith(".json"));
    expect(files).toHaveLength(1);
    const path = join(out, files[0]!);
    expect(JSON.parse(readFileSync(path, "utf8")).format).toEqual(RESULT_FORMAT);
    expect(resultProblem(JSON.parse(readFileSync(path, "utf8")))).toBeUndefined();
    const result = await readResult(path);
    expect(result.scenario).toBe("rtt");
    const [section] = result.sections;
    if (section?.kind !== "rtt") throw new Error(`not an rtt section: ${section?.kind}`);
    expect(section.runs.map((r) => [r.spec.driver, r.counts.sent, r.latency.count])).toEqual([["tcp", 200, 200]]);
    expect(section.runs[0]!.histograms?.latency).toStartWith("HISTF");
  }, 60_000);

  test("its version is the one the code writes", () => {
    expect(schema.properties.format.properties.version.const).toBe(RESULT_FORMAT.version);
    expect(schema.properties.format.properties.name.const).toBe(RESULT_FORMAT.name);
  });
});
