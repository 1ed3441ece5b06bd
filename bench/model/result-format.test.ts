import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { DRIVER_NAMES, DRIVERS, PATTERNS, PUSH_KINDS } from "../catalog.ts";
import schema from "../result.schema.json" with { type: "json" };
import { generateSchemaTypes, TYPES_PATH } from "../tools/schema-types.ts";
import { UPGRADES } from "./result-file.ts";
import { RESULT_FORMAT } from "./results.ts";

// The schema is the one description of the result format: these keep what cannot be derived
// from it in step with it (the catalog's names, the docs' tables, the generated types).

const DOC = new URL("../../docs/result-format.md", import.meta.url).pathname;

/** The body rows of the Markdown table whose header row is `header`, as cells with their backticks removed. */
function tableRows(markdown: string, header: string[]): string[][] {
  const lines = markdown.split("\n");
  const start = lines.findIndex((l) => cells(l).join("|") === header.join("|"));
  expect(start).toBeGreaterThanOrEqual(0);
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith("|")) break;
    rows.push(cells(line).map((c) => c.replace(/^`(.*)`$/, "$1")));
  }
  return rows;
}

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, "")
    .split("|")
    .map((c) => c.trim());
}

describe("the schema and the catalog", () => {
  test("the schema's drivers are the catalog's, in its order", () => {
    expect(schema.$defs.driver.enum).toEqual(DRIVER_NAMES);
  });

  test("the schema's push patterns are the catalog's, in its order", () => {
    expect(schema.$defs.pushPattern.enum).toEqual([...PUSH_KINDS]);
  });
});

describe("docs/result-format.md", () => {
  const doc = readFileSync(DOC, "utf8");

  test("its driver table lists exactly the catalog's drivers, with their labels, subjects, transports and operations", () => {
    const rows = tableRows(doc, ["driver", "label", "subject", "transport", "operation"]);
    expect(rows).toEqual(DRIVER_NAMES.map((name) => [name, DRIVERS[name].label, DRIVERS[name].subject, DRIVERS[name].transport, DRIVERS[name].operation]));
  });

  test("its pattern table lists exactly the catalog's push patterns, with their labels, subjects and transports", () => {
    const rows = tableRows(doc, ["pattern", "label", "subject", "transport"]);
    expect(rows).toEqual(PUSH_KINDS.map((kind) => [kind, PATTERNS[kind].label, PATTERNS[kind].subject, PATTERNS[kind].transport]));
  });

  test("it states the current version, and has a row for every version", () => {
    expect(doc).toContain(`\`format.version\` is \`RESULT_FORMAT.version\` in \`bench/model/results.ts\`, now **${RESULT_FORMAT.version}**.`);
    const versions = tableRows(doc, ["version", "what changed"]).map((r) => Number(r[0]));
    expect(versions).toEqual(UPGRADES.map((u) => u.to));
  });
});

describe("format versions", () => {
  test("one upgrade step per version, in order, up to the current one", () => {
    expect(UPGRADES.map((u) => u.to)).toEqual(Array.from({ length: RESULT_FORMAT.version }, (_, i) => i + 1));
  });
});

describe("bench/model/result-format.generated.ts", () => {
  test("is what the schema generates now (if not: run bun run schema:types)", async () => {
    const committed = readFileSync(TYPES_PATH, "utf8");
    const fresh = await generateSchemaTypes();
    const stale = committed === fresh ? "" : "bench/model/result-format.generated.ts is not what bench/result.schema.json generates: run bun run schema:types";
    expect(stale).toBe("");
  });
});
