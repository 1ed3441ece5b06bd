// How far a remote server's clock is from ours, estimated as NTP does: ask for its time, note
// when we asked (t0) and when the answer came (t1); the server read its clock somewhere in
// between, so offset = server - (t0 + t1) / 2, wrong by at most half the round trip. The sample
// with the fastest round trip bounds the error best, and that bound is reported with it.
import { RunError } from "../../lib/errors.ts";
import type { ClockOffset } from "../model/results.ts";
import { EVENT_PATHS, TIME_QUERY, sharedClockMs } from "../../protocol/events.ts";
import { hostPort, type Target } from "../../lib/net.ts";

export function bestOffset(samples: { t0: number; server: number; t1: number }[]): ClockOffset {
  if (samples.length === 0) throw new RunError("no clock samples from the server");
  const best = samples.reduce((a, b) => (b.t1 - b.t0 < a.t1 - a.t0 ? b : a));
  return { offsetMs: best.server - (best.t0 + best.t1) / 2, uncertaintyMs: (best.t1 - best.t0) / 2, samples: samples.length };
}

function serverTime(body: unknown): number {
  const t = (body as { t?: unknown } | null)?.t;
  if (typeof t !== "number") throw new RunError("the server's time answer has no t: is it a socketlab push server?");
  return t;
}

/** Over HTTP (GET /time), `count` sequential queries. */
export async function httpClockOffset(target: Target, count = 16, timeoutMs = 5000): Promise<ClockOffset> {
  const url = `http://${hostPort(target.host, target.port)}${EVENT_PATHS.time}`;
  const samples = [];
  for (let i = 0; i < count; i++) {
    const t0 = sharedClockMs();
    const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
    const server = serverTime(await res.json());
    samples.push({ t0, server, t1: sharedClockMs() });
  }
  return bestOffset(samples);
}

/** Over one WebSocket to a push-mode server, `count` sequential queries. */
export async function wsClockOffset(
  connect: (target: Target, timeoutMs: number) => Promise<WebSocket>,
  target: Target,
  count = 16,
  timeoutMs = 5000,
): Promise<ClockOffset> {
  const ws = await connect(target, timeoutMs);
  try {
    const samples = [];
    for (let i = 0; i < count; i++) {
      const t0 = sharedClockMs();
      const reply = new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new RunError("no answer to a clock query")), timeoutMs);
        ws.onmessage = (m) => {
          const body: unknown = typeof m.data === "string" ? JSON.parse(m.data) : undefined;
          if (body && typeof body === "object" && "t" in body && !("id" in body)) {
            clearTimeout(timer);
            resolve(serverTime(body));
          }
        };
      });
      ws.send(TIME_QUERY);
      const server = await reply;
      samples.push({ t0, server, t1: sharedClockMs() });
    }
    return bestOffset(samples);
  } finally {
    ws.close();
  }
}
