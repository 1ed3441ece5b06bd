import type { Server } from "bun";
import { EVENT_PATHS, MAX_LONG_POLL_MS, encodeSse, sharedClockMs, type PollReply } from "../protocol/events.ts";
import { HELLO_FROM_SERVER } from "../protocol/limits.ts";
import { printable } from "../lib/text.ts";
import { EventLog } from "./event-log.ts";
import { chatPage, wantsPage } from "./chat-page.ts";
import { startPublisher } from "./publisher.ts";
import { bump, newStats, pushSettings, requireMode, servedBy, snapshot, type RunningServer, type ServerMode, type ServerOptions } from "./types.ts";

/** SSE bytes queued for a subscriber that does not read before it is cut off. */
const SSE_BACKLOG_LIMIT = 4 << 20;
/** A comment line every so often keeps idle SSE streams alive through proxies. */
const SSE_HEARTBEAT_MS = 15_000;

const encoder = new TextEncoder();

/** --cors: any page may call this server and read its answers and their timing. */
function allowAnyOrigin(response: Response): Response {
  response.headers.set("access-control-allow-origin", "*");
  response.headers.set("timing-allow-origin", "*");
  return response;
}

export const MODES = ["hello", "echo", "chat", "push"] as const satisfies readonly ServerMode[];

/**
 * HTTP on Bun.serve. `/` answers per mode (hello: "Hello from server"; echo: the body back;
 * chat: like hello, while operator lines become events; push: like hello, while the server
 * publishes events at a fixed rate). `POST /echo` always echoes (`?close`: and closes the
 * connection after). The event
 * routes serve the polling patterns of the lab's comparison: short polling, long polling and
 * Server-Sent Events over one bounded event log; `POST /events` publishes. `GET /stats` reports
 * the counters. Malformed requests never reach this code: Bun answers 400 (and 413 for a body
 * over maxMessage) itself.
 */
export async function start(options: ServerOptions): Promise<RunningServer> {
  requireMode("http", options.mode, MODES);
  const stats = newStats();
  const log = options.log;
  const events = new EventLog();
  const page = options.mode === "chat" ? chatPage("http") : undefined;

  const reject = (status: number, reason: string, message: string): Response => {
    bump(stats.rejected, reason);
    return new Response(`${message}\n`, { status, headers: { "content-type": "text/plain" } });
  };

  const reply = (body: string | Uint8Array, contentType = "text/plain"): Response => {
    return new Response(body, { headers: { "content-type": contentType } });
  };

  const json = (value: PollReply | object): Response => {
    return new Response(JSON.stringify(value), { headers: { "content-type": "application/json", "cache-control": "no-store" } });
  };

  const hello = async (req: Request): Promise<Response> => {
    const body = req.method === "POST" ? await req.text() : `${req.method} ${new URL(req.url).pathname}`;
    log?.(`Message from client: ${printable(body)}`);
    log?.("Message sent to client");
    return reply(HELLO_FROM_SERVER);
  };

  /** The body back; with `close`, the connection ends after it (a browser cannot ask for a new one). */
  const echo = async (req: Request, close = false): Promise<Response> => {
    const body = new Uint8Array(await req.arrayBuffer());
    stats.bytesIn += body.length;
    stats.bytesOut += body.length;
    return new Response(body, { headers: { "content-type": "application/octet-stream", ...(close ? { connection: "close" } : {}) } });
  };

  /** since=N (default 0) and optional wait=MS; undefined when malformed. */
  const pollParams = (url: URL): { since: number; wait: number } | undefined => {
    const since = Number(url.searchParams.get("since") ?? "0");
    const wait = Number(url.searchParams.get("wait") ?? "0");
    if (!Number.isSafeInteger(since) || since < 0) return undefined;
    if (!Number.isFinite(wait) || wait < 0 || wait > MAX_LONG_POLL_MS) return undefined;
    return { since, wait };
  };

  const poll = (req: Request, url: URL, server: Server<undefined>): Response | Promise<Response> => {
    const params = pollParams(url);
    if (!params) return reject(400, "bad-request", `use ?since=<event id>&wait=<0..${MAX_LONG_POLL_MS} ms>`);
    const ready = events.since(params.since);
    // Answer at once when there is news, when not asked to wait, or when `since` is beyond the
    // newest event (a poller from before a restart, or one asking where "now" is).
    if (ready.events.length > 0 || params.wait === 0 || params.since > events.newest) return json(ready);
    // Long poll: hold the request until the next event or the wait runs out.
    server.timeout(req, 0);
    return new Promise<Response>((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        unsubscribe();
        req.signal.removeEventListener("abort", finish);
        resolve(json(events.since(params.since)));
      };
      const timer = setTimeout(finish, params.wait);
      const unsubscribe = events.subscribe(finish);
      req.signal.addEventListener("abort", finish);
    });
  };

  const publish = async (req: Request): Promise<Response> => {
    const data = await req.text();
    stats.bytesIn += data.length;
    if (options.mode === "chat") log?.(`Received message from client: ${printable(data)}`);
    const event = events.publish(data);
    return new Response(JSON.stringify({ id: event.id }), { status: 201, headers: { "content-type": "application/json" } });
  };

  const stream = (req: Request, url: URL, server: Server<undefined>): Response => {
    const lastId = req.headers.get("last-event-id") ?? url.searchParams.get("since") ?? "0";
    const since = Number(lastId);
    if (!Number.isSafeInteger(since) || since < 0) return reject(400, "bad-request", "Last-Event-ID or ?since must be an event id");
    server.timeout(req, 0); // an SSE stream is idle between events by design
    let cleanup = (): void => {};
    const body = new ReadableStream<Uint8Array>(
      {
        start(controller) {
          const push = (text: string): void => {
            // desiredSize goes negative by the bytes not yet taken by the socket.
            if ((controller.desiredSize ?? 0) < -SSE_BACKLOG_LIMIT) {
              bump(stats.rejected, "slow-reader");
              cleanup();
              controller.close();
              return;
            }
            const bytes = encoder.encode(text);
            stats.bytesOut += bytes.length;
            controller.enqueue(bytes);
          };
          const backlog = events.since(since, Number.MAX_SAFE_INTEGER);
          push(`retry: 1000\n${backlog.missed > 0 ? `: missed ${backlog.missed} events\n` : ""}\n`);
          for (const event of backlog.events) push(encodeSse(event));
          const unsubscribe = events.subscribe((event) => push(encodeSse(event)));
          const heartbeat = setInterval(() => push(": keep-alive\n\n"), SSE_HEARTBEAT_MS);
          cleanup = () => {
            unsubscribe();
            clearInterval(heartbeat);
          };
        },
        cancel() {
          cleanup();
        },
      },
      { highWaterMark: 0, size: (chunk) => chunk?.byteLength ?? 0 },
    );
    return new Response(body, {
      headers: { "content-type": "text/event-stream", "cache-control": "no-store", connection: "keep-alive" },
    });
  };

  const route = (req: Request, server: Server<undefined>): Response | Promise<Response> => {
    const url = new URL(req.url);
    const method = req.method;
    switch (url.pathname) {
      case "/":
        if (method !== "GET" && method !== "POST") break;
        if (page && wantsPage(req)) return new Response(page.html, { headers: page.headers });
        return options.mode === "echo" ? echo(req) : hello(req);
      case "/echo":
        if (method !== "POST") break;
        return echo(req, url.searchParams.has("close"));
      case EVENT_PATHS.poll:
        if (method === "GET") return poll(req, url, server);
        if (method === "POST") return publish(req);
        break;
      case EVENT_PATHS.stream:
        if (method !== "GET") break;
        return stream(req, url, server);
      case EVENT_PATHS.time:
        if (method !== "GET") break;
        return json({ t: sharedClockMs() });
      case "/stats":
        if (method !== "GET") break;
        return json({ ...snapshot(stats), events: events.newest, subscribers: events.subscribers });
      default:
        return reject(404, "not-found", `no route ${url.pathname}: try /, /echo, ${EVENT_PATHS.poll}, ${EVENT_PATHS.stream}, /stats`);
    }
    return reject(405, "bad-method", `${method} is not allowed on ${url.pathname}`);
  };

  const server = Bun.serve({
    hostname: options.host,
    port: options.port,
    ...(options.tls ? { tls: options.tls } : {}),
    maxRequestBodySize: options.maxMessage,
    fetch(req, srv) {
      stats.messages++;
      const response = route(req, srv);
      if (!options.cors) return response;
      return response instanceof Promise ? response.then(allowAnyOrigin) : allowAnyOrigin(response);
    },
    error(err) {
      bump(stats.errors, err.name || "handler-error");
      return new Response("internal error\n", { status: 500 });
    },
  });

  const stopPublisher = options.mode === "push" ? startPublisher(events, pushSettings(options).ratePerSec, pushSettings(options).eventSize) : undefined;
  return servedBy("http", options, server, stats, (text) => void events.publish(`[server] ${text}`), stopPublisher);
}
