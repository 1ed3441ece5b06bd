import type { Socket, SocketHandler } from "bun";
import { codeOf } from "../lib/errors.ts";
import { SocketWriter } from "../lib/socket-writer.ts";
import { Link } from "./link.ts";
import { sharedPacer } from "./pacer.ts";
import { bump, type RelayOptions, type RunningRelay, type TcpRelayStats } from "./types.ts";

/**
 * A TCP relay that applies a network profile: each accepted connection opens one to the
 * target, and the bytes read on either side are written to the other after the profile's
 * delay, jitter and serialization time.
 *
 * - Order is preserved, as TCP guarantees: a chunk is delivered at
 *   max(previous chunk's delivery on that direction, departure + delay + jitter), so jitter
 *   never reorders bytes; it only stretches gaps. (With many small chunks in flight, the max
 *   makes the effective delay lean towards delay + jitter: a later chunk cannot overtake.)
 * - Loss is not applied: TCP would retransmit a lost segment, so on a real path loss shows up
 *   as extra delay (a retransmission timeout or a fast retransmit, plus a smaller congestion
 *   window), not as missing bytes. A relay that terminates TCP on both sides cannot reproduce
 *   that faithfully, so it does not pretend to; use UDP to see loss.
 * - Connection set-up is emulated where it can be seen, in the first bytes: the kernel completes
 *   the client's handshake with the relay at once (connect() resolves at loopback speed), so
 *   the relay holds what each side sends as long as the handshake would have delayed it. On a
 *   real path, SYN and SYN-ACK take one round trip before the client can send, and the final
 *   ACK one more one-way delay before the server accepts. So the client's bytes enter the link
 *   no earlier than accept + up + down delay, and the server's no earlier than that + up delay,
 *   or than the client's first bytes reaching it (they carry the ACK): a new connection's first
 *   reply arrives two round trips after connect(), as on a real path. Held bytes wait outside
 *   the link, so a rate-capped link is not booked ahead and other connections are not held up.
 *   What cannot be emulated is connect() itself resolving early, so time a connection by its
 *   first reply, not by connect(). A refused connection is reported at once.
 * - A read (a "chunk") is one unit of delay; with a rate cap it crosses the link as segments
 *   of 1460 B (see Link.segmentBytes), each delivered when it has been serialized. Chunk counts
 *   describe the relay's reads, not the wire's packets: the kernel merges and splits those.
 * - Half-close is passed on: when one side finishes sending (FIN), the other side gets a FIN
 *   once everything queued towards it has been delivered, and can still answer.
 */

/**
 * Bytes read but not yet taken by the far side's kernel, per direction, above which the relay
 * stops reading from the source (TCP backpressure reaches the sender); it resumes below a
 * quarter of that, so it does not flap on every chunk. 4 MiB is of the order of Linux's
 * default largest receive window (tcp_rmem max, 6 MiB), so a long delay limits a connection's
 * throughput about as much as a real window would: 4 MiB per 75 ms one way is ~450 Mbit/s.
 */
const DEFAULT_QUEUE_BYTES = 4 << 20;
/** The writer's own limit: a safety net, since reading pauses long before it is reached. */
const WRITER_LIMIT_BYTES = 64 << 20;

type SideName = "client" | "target";

interface Side {
  socket: Socket<Tag> | undefined;
  writer: SocketWriter | undefined;
  /**
   * Deliveries due before this side's connection opened. The client is held unread until the
   * target is up, so this stays empty; it is here so a read racing that pause loses no bytes.
   */
  early: Uint8Array[];
  paused: boolean;
  closed: boolean;
}

interface Direction {
  name: "up" | "down";
  conn: Conn;
  src: Side;
  dst: Side;
  link: Link;
  /** Nothing enters the link before this instant: when the emulated handshake lets this side send. */
  notBeforeNs: number;
  /** Bytes read before notBeforeNs, in order: they enter the link then (see release). */
  held: Uint8Array[];
  /** The latest delivery instant scheduled: the next chunk may not be delivered before it. */
  lastAtNs: number;
  scheduledBytes: number;
  scheduledDeliveries: number;
  /** The source sent FIN or closed: nothing more will be read. */
  srcEnded: boolean;
  /** Everything is delivered and the destination told (or the destination is gone). */
  finished: boolean;
}

interface Conn {
  client: Side;
  target: Side;
  up: Direction;
  down: Direction;
}

/** What each socket carries: its connection and which side it is. */
interface Tag {
  conn: Conn;
  side: SideName;
}

export interface TcpRelayOptions extends RelayOptions {
  /** Backlog per direction above which reading pauses (resumes below a quarter of it). Default 4 MiB. */
  queueBytes?: number;
}

export async function startTcpRelay(options: TcpRelayOptions): Promise<RunningRelay<TcpRelayStats>> {
  const pacer = options.pacer ?? sharedPacer;
  const highWater = options.queueBytes ?? DEFAULT_QUEUE_BYTES;
  const lowWater = highWater / 4;
  const owner = {}; // this relay's entries in the shared pacer, for cancel() on stop
  const links = { up: new Link(options.profile, options.seed, 0, options.tareNs), down: new Link(options.profile, options.seed, 1, options.tareNs) };
  const live = new Set<Conn>();
  const totals = { connections: 0, pauses: 0, bytes: { up: 0, down: 0 }, chunks: { up: 0, down: 0 }, errors: {} as Record<string, number> };

  const newSide = (): Side => ({ socket: undefined, writer: undefined, early: [], paused: false, closed: false });
  const newDirection = (name: "up" | "down", conn: Conn, src: Side, dst: Side): Direction => ({
    name,
    conn,
    src,
    dst,
    link: links[name],
    notBeforeNs: 0,
    held: [],
    lastAtNs: 0,
    scheduledBytes: 0,
    scheduledDeliveries: 0,
    srcEnded: false,
    finished: false,
  });
  const opposite = (dir: Direction): Direction => (dir.name === "up" ? dir.conn.down : dir.conn.up);
  const from = (tag: Tag): Direction => (tag.side === "client" ? tag.conn.up : tag.conn.down);
  const to = (tag: Tag): Direction => (tag.side === "client" ? tag.conn.down : tag.conn.up);

  /** Attaches a socket to its side, with a writer that counts what the kernel really took. */
  const attach = (side: Side, socket: Socket<Tag>, direction: "up" | "down"): void => {
    side.socket = socket;
    socket.setNoDelay(true); // Nagle's algorithm would add its own delay to the emulated one
    side.writer = new SocketWriter(
      {
        write(data) {
          const n = socket.write(data);
          if (n > 0) totals.bytes[direction] += n;
          return n;
        },
      },
      WRITER_LIMIT_BYTES,
    );
  };

  /**
   * When each side could first send on the emulated path (see the header): the client once
   * SYN and SYN-ACK have crossed, the server once the final ACK has too.
   */
  const emulateHandshake = (conn: Conn): void => {
    const synAckBackNs = pacer.now() + links.up.propagationNs() + links.down.propagationNs();
    conn.up.notBeforeNs = synAckBackNs;
    conn.down.notBeforeNs = synAckBackNs + links.up.propagationNs();
  };

  /** Pauses or resumes reading from a direction's source, with hysteresis. */
  const updateReading = (dir: Direction): void => {
    const src = dir.src;
    if (src.socket === undefined || src.closed) return;
    const backlog = dir.scheduledBytes + (dir.dst.writer?.pending ?? 0);
    const full = backlog > highWater || (src.paused && backlog > lowWater);
    // The client also waits, unread, until the target connection is up.
    const hold = full || (dir.name === "up" && dir.dst.socket === undefined);
    if (hold && !src.paused) {
      src.socket.pause();
      if (full) totals.pauses++;
    } else if (!hold && src.paused) {
      src.socket.resume();
    }
    src.paused = hold;
  };

  /** Once a direction's source has ended and all it sent is delivered, tells the destination. */
  const maybeFinish = (dir: Direction): void => {
    if (dir.finished || !dir.srcEnded || dir.scheduledDeliveries > 0 || (dir.dst.writer?.pending ?? 0) > 0) return;
    dir.finished = true;
    const dst = dir.dst.socket;
    if (dst === undefined || dir.dst.closed) return;
    if (opposite(dir).finished) {
      // Both ways are done: close both sockets.
      dst.end();
      if (!dir.src.closed) dir.src.socket?.end();
    } else {
      dst.shutdown(); // FIN towards the destination, which may still answer
    }
  };

  const deliver = (dir: Direction, bytes: Uint8Array): void => {
    dir.scheduledBytes -= bytes.length;
    dir.scheduledDeliveries--;
    if (dir.name === "up") ackArrived(dir.conn);
    const dst = dir.dst;
    if (dst.closed) {
      bump(totals.errors, "discarded (peer closed)");
    } else if (dst.writer === undefined) {
      dst.early.push(bytes);
    } else if (!dst.writer.write(bytes) && !dst.writer.closed) {
      bump(totals.errors, "queue-overflow");
      abort(dir.conn);
      return;
    }
    updateReading(dir);
    maybeFinish(dir);
  };

  /** Puts bytes on the link now: serialized behind what is queued, then delayed, in order. */
  const transmit = (dir: Direction, bytes: Uint8Array, now: number): void => {
    const step = dir.link.segmentBytes;
    for (let offset = 0; offset < bytes.length; offset += step) {
      const segment = bytes.subarray(offset, Math.min(offset + step, bytes.length));
      const departed = dir.link.depart(now, segment.length);
      const atNs = Math.max(dir.lastAtNs, departed + dir.link.propagationNs());
      dir.lastAtNs = atNs;
      dir.scheduledBytes += segment.length;
      dir.scheduledDeliveries++;
      pacer.at(atNs, () => deliver(dir, segment), owner);
    }
  };

  /**
   * Lets a direction's held bytes onto the link, in the order they were read; if the far side
   * is gone by then, they are dropped instead of taking link time no one would use.
   */
  const release = (dir: Direction): void => {
    const now = pacer.now();
    for (const bytes of dir.held.splice(0)) {
      dir.scheduledBytes -= bytes.length;
      dir.scheduledDeliveries--;
      if (dir.finished || dir.dst.closed) bump(totals.errors, "discarded (peer closed)");
      else transmit(dir, bytes, now);
    }
    updateReading(dir);
    maybeFinish(dir);
  };

  /**
   * The client's first bytes reached the server, and with them the handshake's final ACK: the
   * server may send from now on, even if its own draw of the ACK's delay had it wait longer.
   */
  const ackArrived = (conn: Conn): void => {
    const down = conn.down;
    if (down.notBeforeNs <= pacer.now()) return;
    down.notBeforeNs = pacer.now();
    release(down); // a timer may still be due for these: it will find nothing left to release
  };

  const onData = (tag: Tag, chunk: Uint8Array): void => {
    const dir = from(tag);
    if (dir.finished) {
      bump(totals.errors, "discarded (peer closed)"); // the destination is gone
      return;
    }
    totals.chunks[dir.name]++;
    const bytes = new Uint8Array(chunk); // a copy: Bun's chunk is only ours during the callback
    const now = pacer.now();
    if (now < dir.notBeforeNs || dir.held.length > 0) {
      // Counted as scheduled, so backpressure and a FIN both wait for them. Held before the
      // release is scheduled: the pacer runs a release that is already due at once.
      const first = dir.held.length === 0;
      dir.held.push(bytes);
      dir.scheduledBytes += bytes.length;
      dir.scheduledDeliveries++;
      if (first) pacer.at(dir.notBeforeNs, () => release(dir), owner);
    } else {
      transmit(dir, bytes, now);
    }
    updateReading(dir);
  };

  const onDrain = (tag: Tag): void => {
    tag.conn[tag.side].writer?.drain();
    const dir = to(tag);
    updateReading(dir);
    maybeFinish(dir);
  };

  const onEnd = (tag: Tag): void => {
    const dir = from(tag);
    dir.srcEnded = true;
    maybeFinish(dir);
  };

  const onClose = (tag: Tag): void => {
    const conn = tag.conn;
    conn[tag.side].closed = true;
    const out = from(tag);
    out.srcEnded = true;
    to(tag).finished = true; // nothing can reach a closed socket any more
    maybeFinish(out);
    if (conn.client.closed && conn.target.closed) live.delete(conn);
  };

  const abort = (conn: Conn): void => {
    for (const side of [conn.client, conn.target]) if (!side.closed) side.socket?.terminate();
  };

  const common = {
    data: (s, chunk) => onData(s.data, chunk),
    drain: (s) => onDrain(s.data),
    end: (s) => onEnd(s.data),
    close: (s) => onClose(s.data),
    error: (_s, err) => bump(totals.errors, codeOf(err) ?? err.name),
  } satisfies SocketHandler<Tag>;

  const targetHandlers: SocketHandler<Tag> = {
    ...common,
    open(socket) {
      const { conn } = socket.data;
      attach(conn.target, socket, "up");
      if (conn.client.closed) {
        // The client left while we were connecting (and had sent nothing: it was held unread).
        socket.end();
        return;
      }
      for (const bytes of conn.target.early.splice(0)) conn.target.writer!.write(bytes);
      updateReading(conn.up);
    },
    connectError(socket, err) {
      const { conn } = socket.data;
      bump(totals.errors, `connect ${codeOf(err) ?? err.message}`);
      conn.target.closed = true;
      conn.up.finished = true;
      conn.down.finished = true;
      conn.client.socket?.end();
      if (conn.client.closed) live.delete(conn);
    },
  };

  const listener = Bun.listen<Tag>({
    hostname: options.listenHost,
    port: options.listenPort,
    allowHalfOpen: true, // a FIN from one side is forwarded, not turned into a full close
    socket: {
      ...common,
      open(socket) {
        const client = newSide();
        const target = newSide();
        const conn = { client, target } as Conn;
        conn.up = newDirection("up", conn, client, target);
        conn.down = newDirection("down", conn, target, client);
        emulateHandshake(conn);
        socket.data = { conn, side: "client" };
        attach(client, socket, "down");
        live.add(conn);
        totals.connections++;
        updateReading(conn.up); // holds the client until the target answers
        Bun.connect<Tag>({
          hostname: options.targetHost,
          port: options.targetPort,
          data: { conn, side: "target" },
          allowHalfOpen: true,
          socket: targetHandlers,
        }).catch(() => {
          // Reported by connectError.
        });
      },
    },
  });

  return {
    host: listener.hostname,
    port: listener.port,
    stats: () => ({
      connections: totals.connections,
      active: live.size,
      pauses: totals.pauses,
      bytes: { ...totals.bytes },
      chunks: { ...totals.chunks },
      errors: { ...totals.errors },
      pacer: pacer.stats(),
      tareUs: (options.tareNs ?? 0) / 1000,
    }),
    async stop() {
      pacer.cancel(owner);
      listener.stop(true);
      for (const conn of live) {
        for (const side of [conn.client, conn.target]) if (!side.closed) side.socket?.end();
      }
    },
  };
}
