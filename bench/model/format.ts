//  Number formatting shared by the report and the terminal summary.

/** Nanoseconds as µs, ms or s with three significant figures: "48.2 µs", "131 ms", "1.00 s". */
export function latency(ns: number): string {
  // Rounded first, so the unit fits the figure shown: 999.8 ms is "1.00 s", not "1.00e+3 ms".
  const shown = Number(ns.toPrecision(3));
  if (shown >= 1e9) return `${(shown / 1e9).toPrecision(3)} s`;
  if (shown >= 1e6) return `${(shown / 1e6).toPrecision(3)} ms`;
  return `${(shown / 1e3).toPrecision(3)} µs`;
}

export function count(n: number): string {
  return Math.round(n).toLocaleString("en-US");
}

export function rate(perSec: number): string {
  return `${count(perSec)}/s`;
}

export function megabytes(bytesPerSec: number): string {
  return `${(bytesPerSec / 1e6).toFixed(bytesPerSec >= 1e8 ? 0 : 1)} MB/s`;
}

export function bytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MiB`;
  if (n >= 10_240) return `${(n / 1024).toFixed(0)} KiB`;
  return `${Math.round(n)} B`;
}

export function percent(share: number): string {
  if (share === 0) return "0%";
  return share < 0.001 ? `${(share * 100).toFixed(4)}%` : `${(share * 100).toFixed(2)}%`;
}

/** "3.2×" for ratios, with more digits when close to 1. */
export function times(ratio: number): string {
  if (!Number.isFinite(ratio)) return "n/a";
  return ratio >= 100 ? `${Math.round(ratio).toLocaleString("en-US")}×` : ratio >= 10 ? `${ratio.toFixed(0)}×` : `${ratio.toFixed(1)}×`;
}

/** CPU microseconds per operation. */
export function cpuPerOp(us: number): string {
  return us >= 100 ? `${us.toFixed(0)} µs` : `${us.toFixed(1)} µs`;
}

/** A Markdown table; columns after the first are right-aligned (they hold numbers). */
export function table(headers: string[], rows: string[][]): string {
  const escapeCell = (cell: string) => cell.replace(/\|/g, "\\|");
  const align = headers.map((_, i) => (i === 0 ? "---" : "---:"));
  return [headers, align, ...rows].map((r) => `| ${r.map(escapeCell).join(" | ")} |`).join("\n");
}
