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
/** A --quick suite, as recorded. */
export const quickSuiteFixture = (): BenchResult => load("quick-suite.json");
