import type { DriverName } from "../../run/bind.ts";
import type { LoadResult } from "../../run/load-run.ts";
import type { PushRunResult } from "../../run/push-run.ts";
import { compact, size } from "./units.ts";

/**
 * Series names for legends. Shorter than the drivers' own labels (a legend column is narrow), and
 * kept here rather than imported with the drivers, which would pull every client into the
 * renderer.
 */
const DRIVER_LABELS: Record<DriverName, string> = {
  tcp: "TCP",
  udp: "UDP",
  "udp-oneway": "UDP one way",
  ws: "WebSocket",
  http: "HTTP keep-alive",
  "http-close": "HTTP new connection",
  "tcp-connect": "TCP connect",
  "ws-connect": "WebSocket handshake",
  "tcp-new": "TCP new connection",
  "ws-new": "WebSocket new connection",
};

export function driverLabel(driver: DriverName): string {
  return DRIVER_LABELS[driver];
}

/** Series names must be unique: a repeated one gets a number. */
function unique(labels: string[]): string[] {
  const seen = new Map<string, number>();
  return labels.map((l) => {
    const n = (seen.get(l) ?? 0) + 1;
    seen.set(l, n);
    return n === 1 ? l : `${l} (${n})`;
  });
}

/** One name per run: the transport, plus the size or the offered rate where those differ between runs. */
export function runLabels(runs: LoadResult[]): string[] {
  const sizes = new Set(runs.map((r) => r.spec.size)).size > 1;
  const rates = new Set(runs.map((r) => r.spec.ratePerSec)).size > 1;
  return unique(
    runs.map((r) => {
      let label = driverLabel(r.spec.driver);
      if (sizes) label += `, ${size(r.spec.size)}`;
      if (rates && r.spec.ratePerSec > 0) label += ` at ${compact(r.spec.ratePerSec)}/s`;
      return label;
    }),
  );
}

const PUSH_LABELS: Record<PushRunResult["spec"]["pattern"], (intervalMs: number) => string> = {
  ws: () => "WebSocket push",
  sse: () => "SSE",
  long: () => "long polling",
  short: (ms) => `short polling, every ${ms >= 1000 && ms % 1000 === 0 ? `${ms / 1000} s` : `${ms} ms`}`,
};

export function pushLabels(runs: PushRunResult[]): string[] {
  return unique(runs.map((r) => PUSH_LABELS[r.spec.pattern](r.spec.intervalMs)));
}
