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
      onReply(reply) {
        const seq = reply.length === size ? readBenchSeq(reply, tag) : -1;
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
        open({ onReply: (reply) => finish(reply.length === size ? undefined : "corrupt reply"), onClose: (reason) => finish(reason) }, timeoutMs).then(
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
