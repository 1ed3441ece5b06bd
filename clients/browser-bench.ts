// The browser scenario's page: it runs in Chromium, learns of a push server's events by
// WebSocket, Server-Sent Events, long polling and short polling, and times request round trips
// (a WebSocket message, fetch on a keep-alive connection, fetch on a new one). It is served
// cross-origin isolated (COOP and COEP), so performance.now() ticks in microseconds rather than
// the 100 µs a page gets otherwise; the page measures the tick it got and says so.
//
// Latency is taken as the Bun subscribers take it: an event's publish time (the server's
// timeOrigin + now(), a wall clock every process on the host shares, the page's included)
// against the page's own reading of that clock when the event arrives. The page also checks
// the clock against the server's /time, NTP-style, and reports the offset it found.

/** What the page is asked to do (page.evaluate hands it over). */
export interface BrowserBenchJob {
  /** The push-mode HTTP server (with --cors): SSE, polls, /time and POST /echo. */
  httpOrigin: string;
  /** A push-mode WebSocket server, and an echo-mode one. */
  wsPushUrl: string;
  wsEchoUrl: string;
  patterns: { kind: "ws" | "sse" | "long" | "short"; intervalMs: number }[];
  warmupMs: number;
  durationMs: number;
  /** After the window: how long to wait for its last events (a poll interval and a margin). */
  graceMs: number;
  /** Request rows: each runs for durationMs, one request at a time, at most this many. */
  maxRequests: number;
  size: number;
}

/** What the page measured: every latency in milliseconds, as the browser's clock gave it. */
export interface BrowserBenchOutcome {
  userAgent: string;
  isolated: boolean;
  /** The smallest step performance.now() took, µs. */
  timerResolutionUs: number;
  /** The server's clock minus the page's, from the /time exchange with the shortest round trip. */
  clockOffsetUs: number;
  clockRttUs: number;
  push: {
    kind: string;
    intervalMs: number;
    latenciesMs: number[];
    /** Events published in the window (ids between the last seen before it and the first after). */
    expected: number;
    delivered: number;
    duplicates: number;
    /** HTTP requests made (polls, or the one that opened the stream). */
    requests: number;
    failures: number;
  }[];
  requests: { kind: "ws" | "fetch" | "fetch-new"; latenciesMs: number[]; newConnections: number; failures: number }[];
}

/** The page's script, as text: plain browser JavaScript, no imports. */
const SCRIPT = `
const now = () => performance.timeOrigin + performance.now();
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function timerResolutionUs() {
  let best = Infinity;
  const end = performance.now() + 20;
  let last = performance.now();
  while (last < end) {
    const t = performance.now();
    if (t > last) { best = Math.min(best, t - last); last = t; }
  }
  return best * 1000;
}

async function clockCheck(origin) {
  let best = { rtt: Infinity, offset: 0 };
  for (let i = 0; i < 20; i++) {
    const t0 = now();
    const { t } = await (await fetch(origin + "/time", { cache: "no-store" })).json();
    const t1 = now();
    if (t1 - t0 < best.rtt) best = { rtt: t1 - t0, offset: t - (t0 + t1) / 2 };
  }
  return { clockOffsetUs: best.offset * 1000, clockRttUs: best.rtt * 1000 };
}

/** The id to ask for next: where the server's log ends now (a poll from beyond it answers at once). */
async function newest(origin) {
  return (await (await fetch(origin + "/events?since=" + Number.MAX_SAFE_INTEGER, { cache: "no-store" })).json()).next;
}

async function pushRow(job, pattern) {
  const seen = new Map(); // id -> publish time
  const firstArrival = new Map(); // id -> latency ms
  let duplicates = 0, requests = 0, failures = 0, stopped = false;
  const take = (event) => {
    const at = now();
    if (seen.has(event.id)) { duplicates++; return; }
    seen.set(event.id, event.t);
    firstArrival.set(event.id, at - event.t);
  };
  let close = () => {};
  const polling = [];
  if (pattern.kind === "ws") {
    const ws = new WebSocket(job.wsPushUrl);
    requests++;
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error("the WebSocket push server refused the page")); });
    ws.onmessage = (m) => { const e = JSON.parse(m.data); if (typeof e.id === "number") take(e); };
    ws.onerror = () => failures++;
    close = () => ws.close();
  } else if (pattern.kind === "sse") {
    const source = new EventSource(job.httpOrigin + "/events/stream?since=" + (await newest(job.httpOrigin)));
    requests++;
    await new Promise((resolve, reject) => { source.onopen = resolve; source.onerror = () => reject(new Error("the SSE stream did not open")); });
    source.onmessage = (m) => take(JSON.parse(m.data));
    source.onerror = () => failures++;
    close = () => source.close();
  } else {
    let next = await newest(job.httpOrigin);
    const wait = pattern.kind === "long" ? "&wait=30000" : "";
    const controller = new AbortController();
    close = () => controller.abort();
    polling.push((async () => {
      while (!stopped) {
        const asked = now();
        try {
          const reply = await (await fetch(job.httpOrigin + "/events?since=" + next + wait, { cache: "no-store", signal: controller.signal })).json();
          requests++;
          for (const e of reply.events) take(e);
          next = reply.next;
        } catch (err) {
          if (stopped) return;
          failures++;
          await sleep(50);
        }
        if (pattern.kind === "short") await sleep(Math.max(0, pattern.intervalMs - (now() - asked)));
      }
    })());
  }
  await sleep(job.warmupMs);
  const start = now();
  await sleep(job.durationMs);
  const end = start + job.durationMs;
  // The window's last events may still be on their way (a poller learns of them a poll later).
  const graceEnd = now() + job.graceMs;
  const after = () => { for (const t of seen.values()) if (t >= end) return true; return false; };
  while (now() < graceEnd && !after()) await sleep(10);
  stopped = true;
  close();
  await Promise.allSettled(polling);
  // Expected: every id between the last one published before the window and the first after.
  let before = -Infinity, past = Infinity;
  for (const [id, t] of seen) {
    if (t < start) before = Math.max(before, id);
    else if (t >= end) past = Math.min(past, id);
  }
  const inWindow = [...seen].filter(([, t]) => t >= start && t < end).map(([id]) => id);
  // Where no event was seen on one side, the window's own first or last stands in (none at all: 0).
  if (before === -Infinity) before = inWindow.length ? Math.min(...inWindow) - 1 : past === Infinity ? 0 : past - 1;
  if (past === Infinity) past = inWindow.length ? Math.max(...inWindow) + 1 : before + 1;
  const latenciesMs = inWindow.map((id) => firstArrival.get(id));
  return { kind: pattern.kind, intervalMs: pattern.intervalMs, latenciesMs, expected: Math.max(0, past - before - 1), delivered: inWindow.length, duplicates, requests, failures };
}

async function wsRequests(job) {
  const ws = new WebSocket(job.wsEchoUrl);
  ws.binaryType = "arraybuffer";
  await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = () => reject(new Error("the WebSocket echo server refused the page")); });
  const message = new Uint8Array(job.size);
  let answer;
  ws.onmessage = () => answer();
  const once = () => new Promise((resolve) => { const t0 = now(); answer = () => resolve(now() - t0); ws.send(message); });
  for (let i = 0; i < 20; i++) await once();
  const latenciesMs = [];
  const end = now() + job.durationMs;
  while (now() < end && latenciesMs.length < job.maxRequests) latenciesMs.push(await once());
  ws.close();
  return { kind: "ws", latenciesMs, newConnections: 0, failures: 0 };
}

async function fetchRequests(job, fresh) {
  const body = new Uint8Array(job.size);
  let n = 0, newConnections = 0, failures = 0;
  const once = async () => {
    const url = job.httpOrigin + "/echo?" + (fresh ? "close&" : "") + "n=" + n++;
    const t0 = now();
    const response = await fetch(url, { method: "POST", body, cache: "no-store" });
    const bytes = await response.arrayBuffer();
    const t1 = now();
    if (!response.ok || bytes.byteLength !== job.size) { failures++; return undefined; }
    // Resource timing shows whether the request opened a connection (the server allows it to).
    const timing = performance.getEntriesByName(url).at(-1);
    performance.clearResourceTimings();
    return { ms: t1 - t0, opened: timing !== undefined && timing.connectEnd > timing.connectStart };
  };
  for (let i = 0; i < 20; i++) await once();
  const latenciesMs = [];
  const end = now() + job.durationMs;
  while (now() < end && latenciesMs.length < job.maxRequests) {
    const r = await once();
    if (!r) continue;
    latenciesMs.push(r.ms);
    if (r.opened) newConnections++;
  }
  return { kind: fresh ? "fetch-new" : "fetch", latenciesMs, newConnections, failures };
}

window.socketlab = {
  async run(job) {
    const clock = await clockCheck(job.httpOrigin);
    const push = [];
    for (const pattern of job.patterns) push.push(await pushRow(job, pattern));
    const requests = [await wsRequests(job), await fetchRequests(job, false), await fetchRequests(job, true)];
    return { userAgent: navigator.userAgent, isolated: self.crossOriginIsolated, timerResolutionUs: timerResolutionUs(), ...clock, push, requests };
  },
};
document.getElementById("state").textContent = self.crossOriginIsolated ? "ready (cross-origin isolated)" : "ready (not isolated)";
`;

/**
 * The page and the headers it must be served with: cross-origin isolation (COOP same-origin,
 * COEP require-corp), which is what lets performance.now() tick in microseconds.
 */
export function browserBenchPage(): { html: string; headers: Record<string, string> } {
  const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>socketlab: the comparison in a browser</title></head>
<body><p>socketlab browser bench: <span id="state">loading</span></p>
<script>${SCRIPT}</script></body></html>`;
  return {
    html,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cross-origin-opener-policy": "same-origin",
      "cross-origin-embedder-policy": "require-corp",
      "cache-control": "no-store",
    },
  };
}
