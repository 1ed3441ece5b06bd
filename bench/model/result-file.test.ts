import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Ajv2020 from "ajv/dist/2020.js";
import { RunError } from "../../lib/errors.ts";
import { parseResult, readResult } from "./result-file.ts";
import schema from "../result.schema.json" with { type: "json" };
import { RESULT_FORMAT } from "./results.ts";

const EXAMPLE = new URL("../../test/fixtures/suite.json", import.meta.url).pathname;
const FIXTURE = new URL("../../test/fixtures/quick-suite.json", import.meta.url).pathname;

const dir = mkdtempSync(join(tmpdir(), "socketlab-result-file-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `content` to a file in the test's folder and returns its path. */
function file(name: string, content: string | object): string {
  const path = join(dir, name);
  writeFileSync(path, typeof content === "string" ? content : JSON.stringify(content));
  return path;
}

async function fixtureJson(): Promise<Record<string, unknown> & { sections: Record<string, unknown>[] }> {
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

describe("readResult", () => {
  test("reads the example report and the test fixture as they are", async () => {
    const example = await readResult(EXAMPLE);
    expect(example.format).toEqual({ name: "socketlab-result", version: 2 });
    expect(example.sections.map((s) => s.kind)).toEqual(["hello", "rtt", "push", "distance", "throughput", "load"]);
    expect((await readResult(FIXTURE)).scenario).toBe("suite");
  });

  test("a file written before the format stamp is brought up to the current version", async () => {
    const old = await fixtureJson();
    delete old.format;
    const result = await readResult(file("unstamped.json", old));
    expect(result.format).toEqual({ name: RESULT_FORMAT.name, version: 2 });
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

  test("a newer format version is refused, saying which versions are readable", async () => {
    const future = await fixtureJson();
    future.format = { name: "socketlab-result", version: 99 };
    const path = file("future.json", future);
    const err = await refusal(path);
    expect(err.message).toBe(`${path}: result format version 99 is newer than this socketlab reads (up to 2): use a newer socketlab`);
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
    expect(() => parseResult('{"name": "package"}', "package.json")).toThrow('package.json: not a socketlab result (it has neither a "format" nor a "tool" field of socketlab)');
    expect(() => parseResult('{"format": {"name": "other", "version": 1}}', "other.json")).toThrow('other.json: not a socketlab result (its format is "other")');
  });

  test("a damaged run is refused with the path to the field", async () => {
    const broken = await fixtureJson();
    const at = broken.sections.findIndex((s) => s.kind === "rtt");
    const runs = broken.sections[at]!.runs as Record<string, Record<string, unknown>>[];
    delete runs[1]!.latency!.p99;
    expect(() => parseResult(JSON.stringify(broken), "broken.json")).toThrow(`broken.json: not a socketlab result: sections[${at}].runs[1].latency.p99 is missing`);
    runs[1]!.latency!.p99 = "fast";
    expect(() => parseResult(JSON.stringify(broken), "broken.json")).toThrow(`broken.json: not a socketlab result: sections[${at}].runs[1].latency.p99 is "fast", not a number`);
  });
});

describe("result.schema.json", () => {
  const ajv = new Ajv2020({ allErrors: true, strict: true, validateFormats: false });
  const validate = ajv.compile(schema);

  test("describes the example report", async () => {
    const valid = validate(await Bun.file(EXAMPLE).json());
    expect(ajv.errorsText(validate.errors)).toBe("No errors");
    expect(valid).toBe(true);
  });

  test("describes the test fixture, once read (and so normalized)", async () => {
    expect(validate(await readResult(FIXTURE))).toBe(true);
  });

  test("catches a damaged result", async () => {
    const broken = await Bun.file(EXAMPLE).json();
    const kinds: string[] = broken.sections.map((s: { kind: string }) => s.kind);
    const rtt = kinds.indexOf("rtt");
    const push = kinds.indexOf("push");
    const distance = kinds.indexOf("distance");
    broken.sections[rtt].runs[0].histograms.latency = "not a histogram";
    broken.sections[push].runs[0].spec.pattern = "pigeon";
    broken.sections[distance].push[0].spec.net = 20;
    expect(validate(broken)).toBe(false);
    const where = (validate.errors ?? []).map((e) => e.instancePath);
    expect(where).toContain(`/sections/${rtt}/runs/0/histograms/latency`);
    expect(where).toContain(`/sections/${push}/runs/0/spec/pattern`);
    expect(where).toContain(`/sections/${distance}/push/0/spec/net`);
  });

  test("its version is the one the code writes", () => {
    expect(schema.properties.format.properties.version.const).toBe(RESULT_FORMAT.version);
    expect(schema.properties.format.properties.name.const).toBe(RESULT_FORMAT.name);
  });
});
