import { BENCH_HEADER_BYTES, readBenchSeq, writeBenchHeader } from "../../protocol/bench-frame.ts";
import { codeOf } from "../../lib/errors.ts";
import type { Channel, OpenChannel, OpenPipe, Pipe, PipeEvents } from "./types.ts";

/**
 * Any transport's echo channel as a pipe: operation `seq` is one message of `size` bytes whose
 * header carries the sequence number; its reply completes it. One buffer per pipe is reused
 * (every channel copies what it cannot send at once), so sending allocates nothing.
 */
export function echoPipes(open: OpenChannel, size: number): OpenPipe {
  if (size < BENCH_HEADER_BYTES) throw new RangeError(`bench messages need at least ${BENCH_HEADER_BYTES} bytes`);
  return async (_index: number, events: PipeEvents): Promise<Pipe> => {
    const tag = (Math.random() * 0x1_0000_0000) >>> 0;
    const message = new Uint8Array(size);
    for (let i = BENCH_HEADER_BYTES; i < size; i++) message[i] = i & 0xff;
    const channel = await open({
      onReply(bytes, start, end) {
        const seq = end - start === size ? readBenchSeq(bytes, tag, start, end) : -1;
        if (seq < 0) events.failed(undefined, "corrupt reply");
        else events.done(seq);
      },
      onClose: (reason) => events.closed(reason),
    });
    return {
      issue(seq) {
        writeBenchHeader(message, tag, seq);
        return channel.send(message);
      },
      close: () => channel.close(),
    };
  };
}

/** How a failed operation is counted: its error code ("ECONNREFUSED"), or the start of its message. */
function failureKind(err: unknown): string {
  return codeOf(err) ?? (err instanceof Error ? err.message.slice(0, 60) : "failed");
}

/**
 * A pipe whose operation is a whole short-lived exchange (connect, handshake, one request on a
 * fresh connection): several may run at once, each ends in success or a failure by kind.
 */
export function exchangePipes(exchange: () => Promise<void>): OpenPipe {
  return async (_index: number, events: PipeEvents): Promise<Pipe> => {
    let open = true;
    return {
      issue(seq) {
        if (!open) return false;
        exchange().then(
          () => events.done(seq),
          (err: unknown) => events.failed(seq, failureKind(err)),
        );
        return true;
      },
      async close() {
        open = false;
      },
    };
  };
}

/**
 * A whole exchange on a fresh connection: open it, send one message, take its reply. This is
 * what a client pays to use a connection once (handshakes included), and the way to time a
 * connection through the network relay, where connect() itself resolves at loopback speed.
 * The connection is closed without waiting: its closing handshake is not part of the cost.
 *
 * The session times each operation out on its own (`timeoutMs`); what happens to one after that
 * is not reported again (it would count twice), and a connection whose reply never comes is
 * closed a second later. Every connection still open, or still opening, ends with the pipe.
 */
export function firstReplyPipes(open: OpenChannel, size: number, timeoutMs: number): OpenPipe {
  const message = new Uint8Array(size);
  return async (_index: number, events: PipeEvents): Promise<Pipe> => {
    const live = new Set<Channel>();
    let closing = false;
    return {
      issue(seq) {
        if (closing) return false;
        const issuedAt = performance.now();
        let channel: Channel | undefined;
        let settled = false;
        /** Ends the operation once: done, failed (a kind), or abandoned (reported by the session). */
        const finish = (failure?: string, abandoned = false): void => {
          if (settled) return;
          settled = true;
          clearTimeout(deadline);
          if (failure === undefined && !abandoned)
            events.done(seq); // a late reply is the session's to count as late
          else if (failure !== undefined && !abandoned && performance.now() - issuedAt < timeoutMs) events.failed(seq, failure);
          if (channel) {
            live.delete(channel);
            channel.close().catch(() => {});
          }
        };
        const deadline = setTimeout(() => finish(undefined, true), timeoutMs + 1000);
        open(
          { onReply: (_bytes, start, end) => finish(end - start === size ? undefined : "corrupt reply"), onClose: (reason) => finish(reason) },
          timeoutMs,
        ).then(
          (opened) => {
            if (settled) {
              opened.close().catch(() => {}); // ended while opening: nothing else holds it
              return;
            }
            channel = opened;
            if (closing) {
              finish(undefined, true); // the pipe closed while this one was opening: finish closes it
              return;
            }
            live.add(opened);
            if (!opened.send(message)) finish("not sent");
          },
          (err: unknown) => finish(failureKind(err)),
        );
        return true;
      },
      async close() {
        closing = true;
        await Promise.allSettled([...live].map((c) => c.close()));
      },
    };
  };
}

/**
 * One-way load, as iperf3 -u: each message is complete once handed to the kernel, and nothing
 * comes back. Loss is what the receiving server did not count; latency means nothing here.
 */
export function oneWayPipes(open: OpenChannel, size: number): OpenPipe {
  if (size < BENCH_HEADER_BYTES) throw new RangeError(`bench messages need at least ${BENCH_HEADER_BYTES} bytes`);
  return async (_index: number, events: PipeEvents): Promise<Pipe> => {
    const tag = (Math.random() * 0x1_0000_0000) >>> 0;
    const message = new Uint8Array(size);
    const channel = await open({ onReply: () => {}, onClose: (reason) => events.closed(reason) });
    return {
      issue(seq) {
        writeBenchHeader(message, tag, seq);
        // Done as soon as the kernel has it, synchronously: deferring every completion to a
        // microtask would let them chain without end and starve the timers.
        if (channel.send(message)) events.done(seq);
        else events.failed(seq, "not sent: socket buffer full");
        return true;
      },
      close: () => channel.close(),
    };
  };
}

/** Retired datagram sockets a pipe keeps open for late replies, at most. */
const MAX_RETIRED = 8;

export interface OrderedOptions {
  /** The reply must equal this (an echo of a message that carries no header of ours); absent: any reply. */
  expect?: Uint8Array;
  /**
   * Datagrams: an operation unanswered this long is given up here too, and the channel reopened
   * (a new socket, a new port), so that a late reply reaches the old socket and is counted late
   * instead of being taken for the next operation's answer.
   */
  reopenAfterMs?: number;
}

/**
 * Operations answered in order, for servers that do not send our header back: operation `seq`
 * sends `message`, and the next reply to come answers the oldest operation waiting (HTTP/1.1
 * answers in order; a chat bot or a line protocol answers each message with one of its own).
 * A reply that says the request failed (onReject: an HTTP status not expected) fails it, by kind.
 */
export function orderedPipes(open: OpenChannel, message: Uint8Array, options: OrderedOptions = {}): OpenPipe {
  const { expect, reopenAfterMs } = options;
  const matches = (bytes: Uint8Array, start: number, end: number): boolean => {
    if (expect === undefined) return true;
    if (end - start !== expect.length) return false;
    for (let i = 0; i < expect.length; i++) if (bytes[start + i] !== expect[i]) return false;
    return true;
  };
  return async (_index: number, events: PipeEvents): Promise<Pipe> => {
    const waiting: number[] = [];
    const timers = new Map<number, Timer>();
    let closed = false;
    /** Each channel's state: whether it is the current one, and the operation it was retired with. */
    interface Generation {
      current: boolean;
      retired?: number;
    }
    const handlersFor = (g: Generation) => ({
      onReply(bytes: Uint8Array, start: number, end: number) {
        if (closed) return;
        if (!g.current) {
          // A late answer on a retired socket: reported for the operation given up on, which
          // the session counts as late (and does not time).
          if (g.retired !== undefined) events.done(g.retired);
          g.retired = undefined;
          return;
        }
        const seq = waiting.shift();
        if (seq === undefined) return events.failed(undefined, "reply to no request");
        clearTimeout(timers.get(seq));
        timers.delete(seq);
        if (matches(bytes, start, end)) events.done(seq);
        else events.failed(seq, "unexpected reply");
      },
      onReject(kind: string) {
        if (closed || !g.current) return;
        const seq = waiting.shift();
        if (seq !== undefined) clearTimeout(timers.get(seq));
        events.failed(seq, kind);
      },
      onClose: (reason: string) => {
        if (g.current && !closed) events.closed(reason);
      },
    });
    let generation: Generation = { current: true };
    let channel = await open(handlersFor(generation));
    let reopening: Promise<Channel> | undefined;
    const retired: Channel[] = [];
    /** Gives up on `seq` (it went unanswered), and moves to a fresh channel; a late answer on the old one is reported late. */
    const retire = (seq: number): void => {
      timers.delete(seq);
      const at = waiting.indexOf(seq);
      if (at < 0 || closed) return;
      waiting.splice(at, 1);
      const old = channel;
      generation.current = false;
      generation.retired = seq;
      generation = { current: true };
      reopening = open(handlersFor(generation)).then((fresh) => {
        channel = fresh;
        reopening = undefined;
        return fresh;
      });
      reopening.catch((err: unknown) => events.closed(failureKind(err)));
      // The old socket stays open a while to take a late reply (and so that the server's late
      // answer does not meet a closed port); only the newest few are kept, so a server that
      // never answers cannot make a pipe hold sockets without bound.
      retired.push(old);
      if (retired.length > MAX_RETIRED)
        retired
          .shift()!
          .close()
          .catch(() => {});
      setTimeout(
        () => {
          const at = retired.indexOf(old);
          if (at >= 0) retired.splice(at, 1);
          old.close().catch(() => {});
        },
        Math.min(30_000, Math.max(1000, 10 * reopenAfterMs!)),
      ).unref();
    };
    const send = (c: Channel, seq: number): boolean => {
      waiting.push(seq);
      if (reopenAfterMs !== undefined)
        timers.set(
          seq,
          setTimeout(() => retire(seq), reopenAfterMs),
        );
      return c.send(message);
    };
    return {
      issue(seq) {
        if (closed) return false;
        if (reopening === undefined) return send(channel, seq);
        reopening.then((c) => send(c, seq)).catch(() => {});
        return true;
      },
      async close() {
        closed = true;
        for (const t of timers.values()) clearTimeout(t);
        await Promise.allSettled([channel, ...retired.splice(0)].map((c) => c.close()));
      },
    };
  };
}
