// The Markdown report: its parts in order, each from its own module, charts linked beside their sections.
import { pausesNote } from "./pauses.ts";
import { isLoadRun, sectionRuns, type BenchResult } from "../model/results.ts";
import { DRIVERS } from "../catalog.ts";
import { headline } from "./headline.ts";
import { labTable } from "./lab-table.ts";
import { environmentTable, methodology, relayOverheadNote, relayTimingNote, repetitions, targetNote, thresholds } from "./method.ts";
import { problems } from "./problems.ts";
import { TITLES, sectionBody } from "./sections/index.ts";

/** A chart written beside the report, for embedding by relative link. */
export interface ChartLink {
  name: string;
  title: string;
  file: string;
}

/** Charts belong to the section their name starts with ("rtt-spectrum" under rtt). */
function chartsFor(kind: string, charts: ChartLink[]): string[] {
  return charts.filter((c) => c.name.split("-")[0] === kind).map((c) => `![${c.title}](${encodeURI(c.file)})`);
}

export function renderMarkdown(result: BenchResult, charts: ChartLink[] = []): string {
  const out: string[] = [];
  out.push(`# socketlab report: ${result.scenario}`, "");
  out.push(
    `${result.startedAt.slice(0, 19).replace("T", " ")} UTC · Bun ${result.environment.bun} · ${result.environment.cpus} CPUs · \`${result.command}\``,
    "",
  );
  if (result.parts && result.parts > 1) out.push(`Merged from ${result.parts} parts: histograms added exactly, counts summed.`, "");
  const remote = result.sections.flatMap(sectionRuns).find((r) => "remote" in r && r.remote);
  // The distance section sets its own conditions per run, and says so itself.
  const relayed = result.sections
    .filter((s) => s.kind !== "distance")
    .flatMap(sectionRuns)
    .find((r) => r.relay)?.relay;
  const overhead = relayOverheadNote(result) + relayTimingNote(result);
  if (relayed)
    out.push(
      `Network conditions: ${relayed.profile}, applied in user space by a relay between the swarm and the server (every latency here includes them; the relay's own byte counts are in the JSON).${overhead}`,
      "",
    );
  else if (overhead) out.push(`The distance section runs through a relay in user space.${overhead}`, "");
  const asked = targetNote(result);
  if (asked) out.push(asked, "");
  else if (remote && "remote" in remote)
    out.push(`Server: remote, at ${remote.remote}. Its CPU, memory and socket byte counts are not measured from here; "—" marks them.`, "");
  const tls = tlsNote(result);
  if (tls) out.push(tls, "");
  const pauses = pausesNote(result);
  if (pauses) out.push(pauses, "");
  const limits = thresholds(result);
  if (limits) out.push("## Thresholds", "", limits, "");
  out.push("## Findings", "", ...headline(result).map((l) => `- ${l}`), "");
  const lab = labTable(result);
  if (lab)
    out.push("## WebSocket vs HTTP, measured", "", "The comparison table of the lab write-up, with this run's numbers in place of adjectives.", "", lab, "");
  for (const s of result.sections) {
    out.push(`## ${TITLES[s.kind]}`, "", sectionBody(s, result.sections), "");
    for (const image of chartsFor(s.kind, charts)) out.push(image, "");
    const reps = repetitions(s);
    if (reps) out.push(reps, "");
  }
  const found = problems(result.sections);
  out.push(
    "## What went wrong",
    "",
    found.length
      ? found.map((p) => `- ${p}`).join("\n")
      : "Nothing: every message was answered, no errors, no timeouts, no loss, nothing rejected by a server.",
    "",
  );
  out.push("## Method", "", methodology(result), "");
  out.push("## Environment", "", environmentTable(result), "");
  out.push("## Reproduce", "", "```sh", result.command, "```", "");
  out.push("The JSON file beside this report holds the configuration, the environment, every run's summary and its encoded histograms.", "");
  return out.join("\n");
}

/** "TLS: HTTPS keep-alive and WSS negotiated TLSv1.3, TLS_AES_128_GCM_SHA256 ...", or "" without TLS runs. */
function tlsNote(result: BenchResult): string {
  const tlsRuns = result.sections
    .flatMap(sectionRuns)
    .filter(isLoadRun)
    .filter((r) => r.tls);
  if (tlsRuns.length === 0) return "";
  const byNegotiation = new Map<string, Set<string>>();
  for (const r of tlsRuns) {
    const key = `${r.tls!.version}, ${r.tls!.cipher}`;
    byNegotiation.set(key, (byNegotiation.get(key) ?? new Set()).add(DRIVERS[r.spec.driver].short));
  }
  const parts = [...byNegotiation].map(([negotiated, drivers]) => `${[...drivers].join(", ")}: ${negotiated}`);
  const local = tlsRuns.some((r) => !r.remote);
  return `TLS negotiated: ${parts.join("; ")}.${local ? " The servers started here made their certificates at start; the swarm took them unverified." : ""}`;
}
