// Events published by a server and delivered by push (WebSocket, SSE) or pull (short and long
// polling). `t` is the publish time on a clock that two processes on one host share, so a
// subscriber in another process can compute delivery latency.

export interface ServerEvent {
  /** Sequence number: 1, 2, 3, ... per server, never reused. */
  id: number;
  /** Publish time, milliseconds since the Unix epoch (see sharedClockMs). */
  t: number;
  data: string;
}

/** The reply to a short or long poll: events newer than the `since` asked for, oldest first. */
export interface PollReply {
  events: ServerEvent[];
  /** The id to ask for next time (the newest id the server has sent or knows). */
  next: number;
  /** Events that were newer than `since` but already evicted from the server's bounded log. */
  missed: number;
}

/**
 * Bun.nanoseconds() and process.hrtime count from process start and differ between processes;
 * timeOrigin + now() is a monotonic-within-process reading of the wall clock that all processes
 * on one host agree on to a few microseconds.
 */
export function sharedClockMs(): number {
  return performance.timeOrigin + performance.now();
}

export const EVENT_PATHS = {
  /** GET ?since=N (short poll), GET ?since=N&wait=MS (long poll), POST body (publish). */
  poll: "/events",
  /** GET: Server-Sent Events; resumes after Last-Event-ID or ?since=N. */
  stream: "/events/stream",
  /** GET: the server's shared clock, {"t": ms}, for estimating a remote subscriber's clock offset. */
  time: "/time",
} as const;

/** A push-mode WebSocket server answers this text message with {"t": ms} on its shared clock. */
export const TIME_QUERY = "time?";

/** Longest a long poll may be held, so a forgotten request cannot pin the server forever. */
export const MAX_LONG_POLL_MS = 120_000;

/** The SSE wire form of one event: the id line lets EventSource resume after a reconnect. */
export function encodeSse(event: ServerEvent): string {
  return `id: ${event.id}\ndata: ${JSON.stringify(event)}\n\n`;
}

export function isServerEvent(value: unknown): value is ServerEvent {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.id === "number" && typeof v.t === "number" && typeof v.data === "string";
}

/**
 * Incremental Server-Sent Events decoder: feed it text as it arrives, get back the events whose
 * blank-line terminator has been seen. Comments (": ...") and retry lines are skipped.
 */
export class SseDecoder {
  private buffer = "";

  push(text: string): ServerEvent[] {
    this.buffer += text.replace(/\r\n?/g, "\n");
    const out: ServerEvent[] = [];
    for (let end = this.buffer.indexOf("\n\n"); end !== -1; end = this.buffer.indexOf("\n\n")) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const data = block
        .split("\n")
        .filter((line) => line.startsWith("data:"))
        .map((line) => line.slice(5).replace(/^ /, ""))
        .join("\n");
      if (data === "") continue;
      const parsed: unknown = JSON.parse(data);
      if (!isServerEvent(parsed)) throw new Error(`not an event: ${data.slice(0, 80)}`);
      out.push(parsed);
    }
    return out;
  }
}
