import { EVENT_PATHS, SseDecoder, isServerEvent, type PollReply, type ServerEvent } from "../protocol/events.ts";
import { RunError } from "../lib/errors.ts";
import { describeNetError, hostPort, type Target } from "../lib/net.ts";
import { printable } from "../lib/text.ts";
import { formatMs } from "../lib/timeout.ts";
import type { PollStats, Print, Subscription } from "./types.ts";
import { tlsOption } from "../lib/tls.ts";

export function baseUrl(target: Target): string {
  return `${target.tls ? "https" : "http"}://${hostPort(target.host, target.port)}`;
}

/** fetch with a deadline (also bounding the body read) and errors a person can act on. */
async function request(target: Target, path: string, init: RequestInit, timeoutMs: number, signal?: AbortSignal): Promise<Response> {
  const deadline = AbortSignal.timeout(timeoutMs);
  try {
    // Bun's fetch takes the TLS options of Bun.connect.
    return await fetch(`${baseUrl(target)}${path}`, { ...init, ...tlsOption(target.tls), signal: signal ? AbortSignal.any([signal, deadline]) : deadline });
  } catch (err) {
    if (signal?.aborted) throw err;
    if (deadline.aborted) throw new RunError(`no answer from ${baseUrl(target)}${path} within ${formatMs(timeoutMs)}`);
    throw new RunError(describeNetError(err, target.host, target.port));
  }
}

async function expectOk(res: Response, what: string): Promise<Response> {
  if (res.ok) return res;
  const text = await res.text().catch(() => "");
  throw new RunError(`${what}: HTTP ${res.status}${text ? ` ${printable(text, 200)}` : ""}`);
}

/** The lab's exchange over HTTP: POST the message to /, print the answer. */
export async function hello(target: Target, message: string, timeoutMs: number, print: Print): Promise<void> {
  const res = await request(target, "/", { method: "POST", body: message }, timeoutMs);
  print("Message sent to server");
  const body = await (await expectOk(res, "the server refused the message")).text();
  print(`Message from server: ${printable(body, 4000)}`);
}

/** Publishes one event; resolves with its id. */
export async function publish(target: Target, data: string, timeoutMs: number): Promise<number> {
  const res = await request(target, EVENT_PATHS.poll, { method: "POST", body: data }, timeoutMs);
  const body: unknown = await (await expectOk(res, "publishing failed")).json();
  if (typeof body !== "object" || body === null || typeof (body as { id?: unknown }).id !== "number") {
    throw new RunError("publishing failed: the server's answer has no event id");
  }
  return (body as { id: number }).id;
}

export const POLL_PATTERNS = ["short", "long", "sse"] as const;
export type PollPattern = (typeof POLL_PATTERNS)[number];

export interface SubscribeOptions {
  pattern: PollPattern;
  /** Short polling: pause between polls. */
  intervalMs: number;
  /** Long polling: how long the server may hold each request. */
  waitMs: number;
  /** Deliver events after this id (0: from the oldest the server keeps). */
  since: number;
  /** Deadline for each request to be answered, beyond any hold time. */
  timeoutMs: number;
  /**
   * Short polling: make the first pause a random part of a whole polling cycle (the interval
   * plus a request's round trip), so pollers started together do not stay in step and their
   * polls fall evenly over the cycle, as real clients started at different times do.
   */
  stagger?: boolean;
}

/** Receives the server's events by short polling, long polling or Server-Sent Events. */
export function subscribe(target: Target, options: SubscribeOptions, onEvent: (event: ServerEvent) => void): Subscription {
  const stop = new AbortController();
  const stats: PollStats = { requests: 0, emptyPolls: 0, events: 0, missed: 0 };
  const deliver = (event: ServerEvent): void => {
    stats.events++;
    onEvent(event);
  };
  const loop = options.pattern === "sse" ? streamLoop : pollLoop;
  let answered = (): void => {};
  const ready = new Promise<void>((resolve) => (answered = resolve));
  const done = loop(target, options, stop.signal, stats, deliver, () => answered()).catch((err: unknown) => {
    if (!stop.signal.aborted) throw err;
  });
  return { stats, ready: Promise.race([ready, done]), done, close: () => stop.abort() };
}

type Loop = (
  target: Target,
  options: SubscribeOptions,
  signal: AbortSignal,
  stats: PollStats,
  deliver: (e: ServerEvent) => void,
  answered: () => void,
) => Promise<void>;

const pollLoop: Loop = async (target, options, signal, stats, deliver, answered) => {
  let since = options.since;
  const wait = options.pattern === "long" ? options.waitMs : 0;
  let first = true;
  while (!signal.aborted) {
    const sentAt = performance.now();
    const res = await request(target, `${EVENT_PATHS.poll}?since=${since}${wait ? `&wait=${wait}` : ""}`, {}, wait + options.timeoutMs, signal);
    const reply = parsePollReply(await (await expectOk(res, "polling failed")).json());
    stats.requests++;
    answered();
    stats.missed += reply.missed;
    if (reply.events.length === 0) stats.emptyPolls++;
    for (const event of reply.events) deliver(event);
    since = reply.next;
    if (options.pattern === "short") {
      // The first request opened the connection too: of its two round trips, one is the
      // handshake, which later polls do not pay. A poll cycle is the interval plus one.
      const cycleMs = options.intervalMs + (performance.now() - sentAt) / 2;
      await abortableSleep(options.stagger && first ? Math.random() * cycleMs : options.intervalMs, signal);
    }
    first = false;
  }
};

const streamLoop: Loop = async (target, options, signal, stats, deliver, answered) => {
  // The deadline covers only the response headers: the stream itself is meant to stay open.
  const connected = new AbortController();
  const headerDeadline = setTimeout(() => connected.abort(), options.timeoutMs);
  let res: Response;
  try {
    res = await request(
      target,
      `${EVENT_PATHS.stream}?since=${options.since}`,
      { headers: { accept: "text/event-stream" } },
      24 * 3600_000,
      AbortSignal.any([signal, connected.signal]),
    );
  } catch (err) {
    if (connected.signal.aborted && !signal.aborted)
      throw new RunError(`no answer from ${baseUrl(target)}${EVENT_PATHS.stream} within ${formatMs(options.timeoutMs)}`);
    throw err;
  } finally {
    clearTimeout(headerDeadline);
  }
  await expectOk(res, "subscribing failed");
  stats.requests++;
  answered();
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  const decoder = new SseDecoder();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    for (const event of decoder.push(value)) deliver(event);
  }
  if (!signal.aborted) throw new RunError(`the server closed the event stream at ${baseUrl(target)}`);
};

function parsePollReply(body: unknown): PollReply {
  const reply = body as Partial<PollReply> | null;
  if (!reply || !Array.isArray(reply.events) || !reply.events.every(isServerEvent) || typeof reply.next !== "number") {
    throw new RunError("the server's poll answer is not in the expected form");
  }
  return { events: reply.events, next: reply.next, missed: reply.missed ?? 0 };
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    }
  });
}
