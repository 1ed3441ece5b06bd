import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { BenchResult } from "../results.ts";
import { renderMarkdown } from "./markdown.ts";

/** Output formats by name: each turns a result into text. */
export const FORMATS = {
  markdown: { extension: "md", render: renderMarkdown },
  json: { extension: "json", render: (r: BenchResult) => `${JSON.stringify(r, null, 2)}\n` },
} as const;

/** Writes `<dir>/<timestamp>-<scenario>.md` and `.json`; returns their paths. */
export async function writeReport(result: BenchResult, dir: string): Promise<{ markdown: string; json: string }> {
  await mkdir(dir, { recursive: true });
  const stem = join(dir, `${result.startedAt.slice(0, 19).replace(/:/g, "-")}-${result.scenario}`);
  const paths = { markdown: `${stem}.${FORMATS.markdown.extension}`, json: `${stem}.${FORMATS.json.extension}` };
  await Bun.write(paths.markdown, FORMATS.markdown.render(result));
  await Bun.write(paths.json, FORMATS.json.render(result));
  return paths;
}
