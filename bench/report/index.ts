import { mkdir, unlink } from "node:fs/promises";
import { RunError, UsageError, codeOf, messageOf } from "../../lib/errors.ts";
import { basename, join } from "node:path";
import type { BenchResult } from "../model/results.ts";
import { renderCharts } from "./charts/index.ts";
import { renderMarkdown, type ChartLink } from "./markdown.ts";
import { renderCsv } from "./timeline-files.ts";
import type { ReportFormat } from "../model/config.ts";

/** Output formats by name: each turns a result into text. */
export const FORMATS = {
  markdown: { extension: "md", render: renderMarkdown },
  json: { extension: "json", render: (r: BenchResult) => `${JSON.stringify(r, null, 2)}\n` },
  csv: { extension: "csv", render: renderCsv },
} as const;

/** Which files each --format writes. */
const WRITES: Record<ReportFormat, { md: boolean; json: boolean; csv: boolean }> = {
  both: { md: true, json: true, csv: false },
  md: { md: true, json: false, csv: false },
  json: { md: false, json: true, csv: false },
  csv: { md: false, json: false, csv: true },
  all: { md: true, json: true, csv: true },
};

/**
 * Fails early, before any load: the report directory must exist (it is created) and take a file.
 * A run of a minute that cannot save its report would be a minute lost.
 */
export async function checkWritable(dir: string): Promise<void> {
  const probe = join(dir, `.socketlab-write-test-${process.pid}`);
  try {
    await mkdir(dir, { recursive: true });
    await Bun.write(probe, "");
    await unlink(probe);
  } catch (err) {
    throw new UsageError(`--out ${dir}: cannot write reports there (${codeOf(err) ?? messageOf(err).split("\n")[0]})`);
  }
}

/** Two runs in the same second must not overwrite each other: `stem`, else `stem-2`, `stem-3`... */
async function freeStem(stem: string): Promise<string> {
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? stem : `${stem}-${n}`;
    const taken = await Promise.all(Object.values(FORMATS).map((f) => Bun.file(`${candidate}.${f.extension}`).exists()));
    if (!taken.some(Boolean)) return candidate;
  }
  throw new RunError(`too many reports named ${stem} in one second`);
}

/**
 * Writes `<dir>/<timestamp>-<scenario>.md` and/or `.json` as asked, and with the Markdown its
 * charts as `<same stem>-<chart>.svg`, linked relatively so the folder can be moved whole.
 * Returns the paths written.
 */
export async function writeReport(result: BenchResult, dir: string, format: ReportFormat = "both"): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stem = await freeStem(join(dir, `${result.startedAt.slice(0, 19).replace(/:/g, "-")}-${result.scenario}`));
  const written: string[] = [];
  const want = WRITES[format];
  if (want.md) {
    const links: ChartLink[] = [];
    for (const chart of renderCharts(result)) {
      const path = `${stem}-${chart.name}.svg`;
      await Bun.write(path, chart.svg);
      links.push({ name: chart.name, title: chart.title, file: basename(path) });
    }
    const path = `${stem}.${FORMATS.markdown.extension}`;
    await Bun.write(path, FORMATS.markdown.render(result, links));
    written.push(path, ...links.map((l) => join(dir, l.file)));
  }
  if (want.json) {
    const path = `${stem}.${FORMATS.json.extension}`;
    await Bun.write(path, FORMATS.json.render(result));
    written.push(path);
  }
  if (want.csv) {
    const path = `${stem}.${FORMATS.csv.extension}`;
    await Bun.write(path, FORMATS.csv.render(result));
    written.push(path);
  }
  return written;
}
