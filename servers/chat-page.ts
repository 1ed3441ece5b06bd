// The chat page: what a chat-mode server answers a browser with, so that the two-computer
// exercise needs nothing installed on the second computer (a phone will do). One self-contained
// document: inline style and script, no framework, no build step. It speaks WebSocket to the
// WebSocket server, and Server-Sent Events or long polling (chosen on the page) to the HTTP one;
// everyone's messages, the operator's lines among them, are shown as text, never as HTML; and it
// reconnects after a server restart, saying so.
import { createHash } from "node:crypto";
import { EVENT_PATHS, MAX_LONG_POLL_MS } from "../protocol/events.ts";

const STYLE = `
:root { color-scheme: light dark; --bg: #fff; --fg: #1f2328; --muted: #59636e; --line: #d1d9e0; --accent: #0969da; --mine: #ddf4ff; }
@media (prefers-color-scheme: dark) { :root { --bg: #0d1117; --fg: #e6edf3; --muted: #9198a1; --line: #3d444d; --accent: #4493f8; --mine: #0c2d6b; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.45 system-ui, sans-serif; background: var(--bg); color: var(--fg); display: flex; flex-direction: column; height: 100vh; }
header { padding: .6rem 1rem; border-bottom: 1px solid var(--line); display: flex; gap: 1rem; align-items: center; flex-wrap: wrap; }
h1 { font-size: 1.05rem; margin: 0; }
#state { font-size: .9rem; color: var(--muted); }
#state[data-state="open"]::before { content: "● "; color: #1a7f37; }
#state[data-state="closed"]::before { content: "● "; color: #cf222e; }
#state[data-state="connecting"]::before { content: "● "; color: #9a6700; }
#log { flex: 1; overflow-y: auto; margin: 0; padding: .5rem 1rem; list-style: none; }
#log li { padding: .2rem .5rem; border-radius: 6px; margin: .15rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
#log li.mine { background: var(--mine); }
#log li.note { color: var(--muted); font-style: italic; }
form { display: flex; gap: .5rem; padding: .6rem 1rem; border-top: 1px solid var(--line); }
input { flex: 1; font: inherit; padding: .45rem .6rem; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
button { font: inherit; padding: .45rem 1rem; border: 0; border-radius: 6px; background: var(--accent); color: #fff; }
label { font-size: .9rem; }
`;

/** The script, run with the page: `KIND` is "ws" or "http". */
const SCRIPT = `
"use strict";
const log = document.getElementById("log");
const state = document.getElementById("state");
const input = document.getElementById("text");
const via = document.getElementById("via");
function show(text, cls) {
  const li = document.createElement("li");
  li.textContent = text; // text, never HTML
  if (cls) li.className = cls;
  log.append(li);
  while (log.children.length > 500) log.firstChild.remove();
  log.scrollTop = log.scrollHeight;
}
function setState(s, text) { state.dataset.state = s; state.textContent = text; }
let retries = 0;
function retryLater(start) {
  const wait = Math.min(5000, 500 * 2 ** retries++);
  setState("closed", "disconnected: trying again in " + (wait / 1000) + " s");
  setTimeout(start, wait);
}
let send;
if (KIND === "ws") {
  let ws;
  const start = () => {
    setState("connecting", "connecting…");
    ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/");
    ws.onopen = () => { retries = 0; setState("open", "connected by WebSocket"); };
    ws.onmessage = (e) => show(String(e.data));
    ws.onclose = () => { show("connection lost", "note"); retryLater(start); };
  };
  send = (text) => { if (ws && ws.readyState === 1) { ws.send(text); show("me: " + text, "mine"); return true; } return false; };
  start();
} else {
  let since = 0, source, generation = 0;
  const mode = () => via.value;
  const onEvent = (e) => { since = Math.max(since, e.id); show(String(e.data)); };
  const sse = () => {
    setState("connecting", "connecting…");
    source = new EventSource("${EVENT_PATHS.stream}?since=" + since);
    source.onopen = () => { retries = 0; setState("open", "connected by Server-Sent Events"); };
    source.onmessage = (m) => onEvent({ id: Number(m.lastEventId), data: JSON.parse(m.data).data });
    source.onerror = () => { source.close(); show("connection lost", "note"); retryLater(start); };
  };
  const longPoll = async (mine) => {
    setState("connecting", "connecting…");
    // The first request answers at once (what there is so far), so the page knows it is connected.
    for (let wait = 0; ; wait = ${Math.min(25_000, MAX_LONG_POLL_MS)}) {
      try {
        const res = await fetch("${EVENT_PATHS.poll}?since=" + since + "&wait=" + wait, { cache: "no-store" });
        if (mine !== generation) return;
        if (!res.ok) throw new Error(String(res.status));
        const body = await res.json();
        retries = 0;
        setState("open", "connected by long polling");
        for (const e of body.events) onEvent(e);
        since = body.next; // where to go on from (after a server restart, its new start)
      } catch {
        if (mine !== generation) return;
        show("connection lost", "note");
        return retryLater(start);
      }
    }
  };
  function start() {
    generation++;
    if (source) source.close();
    if (mode() === "sse") sse(); else longPoll(generation);
  }
  via.value = new URLSearchParams(location.search).get("via") === "long" ? "long" : "sse";
  via.onchange = () => { history.replaceState(null, "", "?via=" + via.value); retries = 0; start(); };
  send = (text) => { fetch("${EVENT_PATHS.poll}", { method: "POST", body: text }).catch(() => show("not sent: " + text, "note")); return true; };
  start();
}
document.querySelector("form").onsubmit = (e) => {
  e.preventDefault();
  const text = input.value.trim();
  if (text && send(text)) input.value = "";
};
`;

/** A page, and the Content-Security-Policy that lets exactly its own style and script run. */
export interface ChatPage {
  html: string;
  headers: Record<string, string>;
}

const sha256 = (text: string) => `'sha256-${createHash("sha256").update(text).digest("base64")}'`;

/** The chat page for a WebSocket ("ws") or HTTP ("http") chat server. */
export function chatPage(kind: "ws" | "http"): ChatPage {
  const script = `const KIND = ${JSON.stringify(kind)};${SCRIPT}`;
  const picker =
    kind === "http"
      ? `<label>receive by <select id="via"><option value="sse">Server-Sent Events</option><option value="long">long polling</option></select></label>`
      : `<select id="via" hidden></select>`;
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>socketlab chat</title>
<style>${STYLE}</style>
</head>
<body>
<header><h1>socketlab chat</h1><span id="state" data-state="connecting">connecting…</span>${picker}</header>
<ul id="log" aria-live="polite"></ul>
<form><input id="text" autocomplete="off" placeholder="Type a message and press Enter" maxlength="4000" autofocus><button>Send</button></form>
<script>${script}</script>
</body>
</html>
`;
  return {
    html,
    headers: {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      // Only this page's own style and script run; it may talk back to where it came from.
      "content-security-policy": `default-src 'none'; style-src ${sha256(STYLE)}; script-src ${sha256(script)}; connect-src 'self'; base-uri 'none'; form-action 'none'`,
      "x-content-type-options": "nosniff",
    },
  };
}

/** Whether a request is a browser asking for a page (GET, HTML acceptable). */
export function wantsPage(req: Request): boolean {
  return req.method === "GET" && (req.headers.get("accept") ?? "").includes("text/html");
}
