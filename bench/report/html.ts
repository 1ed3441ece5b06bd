// A report you can attach: one self-contained HTML page, the Markdown report's content with
// its charts inline (no folder to carry, nothing to load), light and dark, and printable: tables
// and charts are not cut across pages. The PDF is this page, printed by headless Chromium.
import type { BenchResult } from "../model/results.ts";
import type { Chart } from "./charts/index.ts";
import { renderMarkdown } from "./markdown.ts";

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --head: #f6f8fa; --link: #0969da; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --head: #161b22; --link: #4493f8; } }
body { margin: 0 auto; max-width: 72rem; padding: 1.5rem; font: 15px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; background: var(--bg); color: var(--fg); }
h1 { font-size: 1.6rem; } h2 { font-size: 1.3rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; } h3 { font-size: 1.1rem; }
a { color: var(--link); }
code { font: .9em ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--head); padding: .1em .3em; border-radius: 4px; }
pre { background: var(--head); padding: .7rem; border-radius: 6px; overflow-x: auto; } pre code { padding: 0; }
table { border-collapse: collapse; margin: .8rem 0; font-size: .9rem; display: block; overflow-x: auto; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; } th { background: var(--head); }
figure { margin: 1rem 0; } figure svg { max-width: 100%; height: auto; display: block; } figcaption { color: var(--muted); font-size: .85rem; }
@media print {
  :root { --bg: #fff; --fg: #000; --head: #f2f2f2; --line: #bbb; }
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  table { display: table; font-size: 8.5pt; }
  table, figure, pre, tr { break-inside: avoid; }
  h2, h3 { break-after: avoid; }
  a { color: inherit; text-decoration: none; }
}
`;

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** The report as one page: its Markdown rendered (Bun's GFM renderer), each chart's SVG in place of its image link. */
export function renderHtml(result: BenchResult, charts: Chart[]): string {
  // The Markdown links each chart by a file name; here that name only marks where the chart goes.
  const links = charts.map((c) => ({ name: c.name, title: c.title, file: `chart:${c.name}` }));
  let body = Bun.markdown.html(renderMarkdown(result, links), { tables: true, strikethrough: true, tagFilter: true, headings: { ids: true, autolink: false } });
  for (const chart of charts) {
    const image = new RegExp(`<p>\\s*<img src="chart:${chart.name}"[^>]*>\\s*</p>|<img src="chart:${chart.name}"[^>]*>`);
    body = body.replace(image, () => `<figure>${chart.svg.replace(/^<\?xml[^>]*>\s*/, "")}<figcaption>${escapeHtml(chart.title)}</figcaption></figure>`);
  }
  const title = `socketlab report: ${result.scenario}, ${result.startedAt.slice(0, 19).replace("T", " ")} UTC`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="socketlab ${escapeHtml(result.tool.version)}">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
${body}
</body>
</html>
`;
}
