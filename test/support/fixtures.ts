// The recorded runs the report and model tests read, through the same reader compare and merge
// use (so an older format is brought up to date first, as it would be for a user).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseResult } from "../../bench/model/result-file.ts";
import type { BenchResult } from "../../bench/model/results.ts";

function load(name: string): BenchResult {
  const path = join(import.meta.dir, "../fixtures", name);
  return parseResult(readFileSync(path, "utf8"), path);
}

/** A full default suite, as recorded. */
export const suiteFixture = (): BenchResult => load("suite.json");
/** A --quick suite, as recorded in result format 2 (so reading it also tests the upgrade). */
export const quickSuiteFixture = (): BenchResult => load("quick-suite.json");
/** A --quick suite recorded by this version: what a quick suite plans now, TLS rows included. */
export const currentQuickSuiteFixture = (): BenchResult => load("quick-suite-current.json");
/** The committed example report's data: a full default suite recorded by this version. */
export const exampleSuite = (): BenchResult => {
  const path = join(import.meta.dir, "../../reports/example-suite.json");
  return parseResult(readFileSync(path, "utf8"), path);
};
