// Tick and axis labels. Ticks sit on round values, so they drop trailing zeros ("20 µs", "1 ms")
// where the report's tables keep three significant figures ("20.0 µs").

/** Up to three significant figures, no trailing zeros: 0.5, 20, 1.25. */
export function plain(v: number): string {
  return String(Number(v.toPrecision(3)));
}

const LATENCY_UNITS = [
  { unit: "s", ns: 1e9 },
  { unit: "ms", ns: 1e6 },
  { unit: "µs", ns: 1e3 },
  { unit: "ns", ns: 1 },
] as const;

/** The unit a latency of this size reads best in. */
export function latencyUnit(ns: number): { unit: string; ns: number } {
  return LATENCY_UNITS.find((u) => ns >= u.ns) ?? { unit: "ns", ns: 1 };
}

/** A latency tick with its own unit, for log axes that span µs to s: "20 µs", "1 ms". */
export function latencyTick(ns: number): string {
  const u = latencyUnit(ns);
  return `${plain(ns / u.ns)} ${u.unit}`;
}

/** Counts and rates in few characters: 950, 12k, 1.5M. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${plain(n / 1e9)}G`;
  if (a >= 1e6) return `${plain(n / 1e6)}M`;
  if (a >= 1e3) return `${plain(n / 1e3)}k`;
  return plain(n);
}

/** Message sizes in binary units, as the CLI takes them: 64 B, 1 KiB, 16 KiB. */
export function size(bytes: number): string {
  if (bytes >= 1 << 20) return `${plain(bytes / (1 << 20))} MiB`;
  if (bytes >= 1 << 10) return `${plain(bytes / (1 << 10))} KiB`;
  return `${plain(bytes)} B`;
}
