import { mkdir, unlink } from "node:fs/promises";
import { RunError, UsageError, codeOf, messageOf } from "../../lib/errors.ts";
import { basename, join } from "node:path";
import type { BenchResult } from "../model/results.ts";
import { renderCharts } from "./charts/index.ts";
import { renderMarkdown, type ChartLink } from "./markdown.ts";
import { renderCsv } from "./timeline-files.ts";
import { reportFiles, type Paper, type ReportFormat } from "../model/config.ts";
import { renderHtml } from "./html.ts";
import { renderPdf } from "./pdf.ts";

/** Output formats by name: each turns a result into text. */
export const FORMATS = {
  markdown: { extension: "md", render: renderMarkdown },
  json: { extension: "json", render: (r: BenchResult) => `${JSON.stringify(r, null, 2)}\n` },
  csv: { extension: "csv", render: renderCsv },
  html: { extension: "html", render: renderHtml },
} as const;

/** Every extension a report's files may have: a stem is free when none of them is taken. */
const EXTENSIONS = ["md", "json", "csv", "html", "pdf"];

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
    const taken = await Promise.all(EXTENSIONS.map((extension) => Bun.file(`${candidate}.${extension}`).exists()));
    if (!taken.some(Boolean)) return candidate;
  }
  throw new RunError(`too many reports named ${stem} in one second`);
}

/**
 * Writes `<dir>/<timestamp>-<scenario>.<ext>` for each file the format asks for: Markdown with
 * its charts as `<same stem>-<chart>.svg` beside it (linked relatively, so the folder can be
 * moved whole), JSON, CSV, a self-contained HTML page, a PDF of that page. Returns the paths.
 */
export async function writeReport(result: BenchResult, dir: string, format: ReportFormat = "both", paper: Paper = "a4"): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stem = await freeStem(join(dir, `${result.startedAt.slice(0, 19).replace(/:/g, "-")}-${result.scenario}`));
  const written: string[] = [];
  const want = reportFiles(format) ?? reportFiles("both")!;
  const charts = want.has("md") || want.has("html") || want.has("pdf") ? renderCharts(result) : [];
  if (want.has("md")) {
    const links: ChartLink[] = [];
    for (const chart of charts) {
      const path = `${stem}-${chart.name}.svg`;
      await Bun.write(path, chart.svg);
      links.push({ name: chart.name, title: chart.title, file: basename(path) });
    }
    const path = `${stem}.${FORMATS.markdown.extension}`;
    await Bun.write(path, FORMATS.markdown.render(result, links));
    written.push(path, ...links.map((l) => join(dir, l.file)));
  }
  for (const name of ["json", "csv"] as const) {
    if (!want.has(name)) continue;
    const path = `${stem}.${FORMATS[name].extension}`;
    await Bun.write(path, FORMATS[name].render(result));
    written.push(path);
  }
  const html = want.has("html") || want.has("pdf") ? FORMATS.html.render(result, charts) : undefined;
  if (html && want.has("html")) {
    const path = `${stem}.html`;
    await Bun.write(path, html);
    written.push(path);
  }
  if (html && want.has("pdf")) {
    const path = `${stem}.pdf`;
    await Bun.write(path, await renderPdf(html, paper));
    written.push(path);
  }
  return written;
}
