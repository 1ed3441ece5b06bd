import { DRIVERS } from "../catalog.ts";
import type { BenchResult } from "../model/results.ts";
import { latency, megabytes, percent, rate } from "../model/format.ts";
import { lossShare } from "../model/figures.ts";
import { headline } from "./headline.ts";
import { distanceRows, expectedText, p50At } from "../model/distance-rows.ts";
import { bestStep } from "../model/ramp.ts";
import { offered } from "./sections/cells.ts";

/** Columns padded to their widest cell; the first left-aligned, the rest right-aligned. */
function textTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join("  ")).join("\n");
}

/** The short summary printed when a run ends: one compact table per section and the findings. */
export function renderSummary(result: BenchResult): string {
  const out: string[] = [];
  for (const s of result.sections) {
    if (s.kind === "hello") {
      out.push("", `hello: ${s.exchanges.map((e) => `${e.title} (${e.client.at(-1) ?? "no output"})`).join("; ")}`);
      continue;
    }
    out.push("", s.kind);
    if (s.kind === "push" || s.kind === "fanout") {
      out.push(
        textTable([
          ["pattern", "subscribers", "p50", "p99", "req/event"],
          ...s.runs.map((r) => [r.label, String(r.spec.subscribers), latency(r.latency.p50), latency(r.latency.p99), r.requestsPerEvent.toFixed(2)]),
        ]),
      );
    } else if (s.kind === "distance") {
      const head = ["p50 at round trip", ...s.rttsMs.map((ms) => `${ms} ms`), "round trips", "should be"];
      out.push(
        textTable([
          head,
          ...distanceRows(s).map((row) => [row.label, ...s.rttsMs.map((ms) => p50At(row, ms)), row.roundTrips?.toFixed(2) ?? "—", expectedText(row.expected)]),
        ]),
      );
    } else if (s.kind === "udp") {
      out.push(
        textTable([
          ["offered", "echoed", "loss", "jitter"],
          ...s.runs.map((r) => [rate(r.spec.ratePerSec), rate(r.opsPerSec), percent(lossShare(r)), latency(r.sequence.jitterNs)]),
        ]),
      );
      out.push(
        "",
        textTable([["offered", "sent one way", "loss"], ...s.oneWay.map((r) => [rate(r.spec.ratePerSec), rate(r.opsPerSec), percent(lossShare(r))])]),
      );
    } else if (s.kind === "browser") {
      if (s.rows.length === 0) out.push(`skipped: ${s.skipped.join("; ")}`);
      else out.push(textTable([["in Chromium", "p50", "p99"], ...s.rows.map((r) => [r.label, latency(r.latency.p50), latency(r.latency.p99)])]));
    } else if (s.kind === "capacity") {
      out.push(
        textTable([
          ["transport", "capacity", "p99 there", "broke at", "held again"],
          ...s.runs.map((r) => {
            const c = r.capacity;
            const at = c && bestStep(c);
            return [
              DRIVERS[r.spec.driver].label,
              c?.ratePerSec === undefined ? "none" : rate(c.ratePerSec),
              at ? latency(at.latency.p99) : "–",
              c?.failedAtPerSec === undefined ? "–" : rate(c.failedAtPerSec),
              c?.confirmed === undefined ? "–" : c.confirmed ? "yes" : "no",
            ];
          }),
        ]),
      );
    } else {
      const open = s.kind === "load";
      out.push(
        textTable([
          ["transport", "size", ...(open ? ["offered"] : []), "p50", "p99", "ops/s", "MB/s"],
          ...s.runs.map((r) => [
            DRIVERS[r.spec.driver].label,
            `${r.spec.size} B`,
            ...(open ? [offered(r)] : []),
            latency(r.latency.p50),
            latency(r.latency.p99),
            rate(r.opsPerSec),
            megabytes(r.payloadBytesPerSec),
          ]),
        ]),
      );
    }
  }
  out.push("", ...headline(result).map((l) => `* ${l}`));
  return out.join("\n");
}
