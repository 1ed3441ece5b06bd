// `bun run bench merge A.json B.json ... -o OUT.json`: reads the parts, merges them
// (bench/model/combine.ts), writes the merged result.
import { writeFile } from "node:fs/promises";
import { flagOpt, parseArgs, stringOpt } from "../../lib/args.ts";
import { RunError, UsageError, messageOf } from "../../lib/errors.ts";
import { mergeResults } from "../model/combine.ts";
import { readResult } from "../model/result-file.ts";
import type { BenchResult } from "../model/results.ts";

export const MERGE_USAGE = "usage: bun run bench merge A.json B.json ... -o OUT.json [--allow-apart]";

/** `bun run bench merge A.json B.json ... -o OUT.json`: writes the merged result, says so on stdout. */
export async function mergeCommand(argv: string[]): Promise<number> {
  const args = parseArgs(argv, { out: { type: "string", short: "o" }, "allow-apart": { type: "boolean" }, help: { type: "boolean", short: "h" } });
  if (flagOpt(args, "help")) {
    console.log(
      `${MERGE_USAGE}\n\nCombines results of one scenario made at the same time by several swarms or hosts: histograms\nadded exactly, counts and rates summed. Each run's measured windows must overlap by 90% at least\n(start agents together with --start-at); --allow-apart merges shares measured apart anyway.\nSee docs/result-format.md.`,
    );
    return 0;
  }
  const files = args.positionals;
  const out = stringOpt(args, "out");
  if (files.length < 2) args.problems.push(`merge needs at least two result files, got ${files.length}: ${MERGE_USAGE.replace("usage: ", "")}`);
  if (out === undefined && !args.problems.some((p) => p.includes("--out"))) args.problems.push("merge needs -o OUT.json: where to write the merged result");
  if (args.problems.length) throw new UsageError(args.problems);
  const parts = await Promise.all(files.map(readResult));
  const merged = mergeResults(parts, files, { allowApart: flagOpt(args, "allow-apart") });
  const apart = notTogether(parts, files);
  if (apart) console.error(`bench merge: note: ${apart}; rates add up only for parts that ran at the same time`);
  try {
    await writeFile(out!, `${JSON.stringify(merged, null, 2)}\n`);
  } catch (err) {
    throw new RunError(`cannot write ${out}: ${messageOf(err).split("\n")[0]}`);
  }
  console.log(`Written: ${out} (${merged.scenario}, ${merged.parts} parts merged from ${files.join(", ")})`);
  return 0;
}

/** Parts whose time windows do not overlap with the first one's, in words; undefined if all do. */
function notTogether(parts: BenchResult[], names: string[]): string | undefined {
  const [a, ...rest] = parts;
  if (!a) return undefined;
  const apart = rest
    .map((p, i) => ({ p, name: names[i + 1] }))
    .filter(({ p }) => Date.parse(p.startedAt) > Date.parse(a.finishedAt) || Date.parse(p.finishedAt) < Date.parse(a.startedAt));
  return apart.length ? `${apart.map((x) => x.name).join(", ")} did not run at the same time as ${names[0]}` : undefined;
}
