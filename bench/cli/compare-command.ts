// `bun run bench compare BASE.json NEW.json [--all]`: the Markdown on stdout.
import { basename } from "node:path";
import { flagOpt, parseArgs } from "../../lib/args.ts";
import { UsageError } from "../../lib/errors.ts";
import { KEY_FIGURES } from "../model/compare.ts";
import { readResult } from "../model/result-file.ts";
import { compareResults } from "../report/compare-markdown.ts";

export const COMPARE_USAGE = "usage: bun run bench compare BASE.json NEW.json [--all]";

/** `bun run bench compare BASE.json NEW.json [--all]`: the Markdown on stdout; changes are data, so exit 0. */
export async function compareCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { all: { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (flagOpt(args, "help")) {
    console.log(
      `${COMPARE_USAGE}\n\nEvery figure both results have, and whether it changed beyond the run-to-run noise.\n--all lists every figure, not only the changes and the key figures (${[...KEY_FIGURES].join(", ")}).`,
    );
    return 0;
  }
  const files = args.positionals;
  if (files.length !== 2) args.problems.push(`compare needs two result files, got ${files.length}: ${COMPARE_USAGE.replace("usage: ", "")}`);
  if (args.problems.length) throw new UsageError(args.problems);
  const [baseFile, nextFile] = files as [string, string];
  const [base, next] = await Promise.all([readResult(baseFile), readResult(nextFile)]);
  // Two files of the same name in different folders keep their paths, so the columns differ.
  const short = basename(baseFile) === basename(nextFile) ? [baseFile, nextFile] : [basename(baseFile), basename(nextFile)];
  const { markdown } = compareResults(base, next, { baseName: short[0], nextName: short[1], all: flagOpt(args, "all") });
  // Waits until stdout has taken it all: the CLI exits right after, and a slow pipe must not lose the tail.
  await new Promise<void>((resolve) => process.stdout.write(markdown, () => resolve()));
  return 0;
}
