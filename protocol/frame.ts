// Length-prefixed framing for TCP, which is a byte stream with no message boundaries:
// each message is a 4-byte big-endian payload length followed by the payload.
import { grownBuffer } from "../lib/bytes.ts";
import type { Framing } from "../lib/socket-writer.ts";

export const FRAME_HEADER_BYTES = 4;

export class FrameTooLargeError extends Error {
  constructor(
    readonly claimed: number,
    readonly max: number,
  ) {
    super(`frame claims ${claimed} bytes, more than the ${max}-byte limit`);
    this.name = "FrameTooLargeError";
  }
}

/** Our framing for a writer that gathers messages (lib/socket-writer.ts): a 4-byte length before each. */
export const LENGTH_PREFIXED: Framing = {
  headerBytes: () => FRAME_HEADER_BYTES,
  encode(payload, into, at) {
    into[at] = payload.length >>> 24;
    into[at + 1] = payload.length >>> 16;
    into[at + 2] = payload.length >>> 8;
    into[at + 3] = payload.length;
    into.set(payload, at + FRAME_HEADER_BYTES);
  },
  header(length) {
    const header = new Uint8Array(FRAME_HEADER_BYTES);
    new DataView(header.buffer).setUint32(0, length);
    return header;
  },
};

/** One frame (header + payload) in a fresh buffer. */
export function encodeFrame(payload: Uint8Array): Uint8Array {
  const frame = new Uint8Array(FRAME_HEADER_BYTES + payload.length);
  new DataView(frame.buffer).setUint32(0, payload.length);
  frame.set(payload, FRAME_HEADER_BYTES);
  return frame;
}

function readLength(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/**
 * How many frames a chunk holds when it is exactly whole frames, each within `maxPayload`
 * (what an echo can send back as it came, in one write); -1 otherwise.
 */
export function wholeFrames(chunk: Uint8Array, maxPayload: number): number {
  let frames = 0;
  let pos = 0;
  while (pos + FRAME_HEADER_BYTES <= chunk.length) {
    const length = readLength(chunk, pos);
    if (length > maxPayload) return -1;
    pos += FRAME_HEADER_BYTES + length;
    frames++;
  }
  return pos === chunk.length ? frames : -1;
}

/**
 * A whole frame, header included: the bytes from `start` to `end` of `bytes`, valid only during
 * the call. A range, not a view: a view of a buffer Bun received into costs several times reading
 * it by index (bun run bench:micro, "a view of a received chunk").
 */
export type OnFrame = (bytes: Uint8Array, start: number, end: number) => void;

/**
 * Incremental decoder. Frames that arrive whole inside one chunk are handed out as ranges of
 * that chunk (valid only during the callback); a frame split across chunks is assembled in a
 * buffer that grows (doubling) with the bytes actually received, so a peer that sends a header
 * claiming 1 MiB and nothing more holds kilobytes, not a megabyte. A length above `maxPayload`
 * throws FrameTooLargeError before anything is allocated: memory per connection is bounded by
 * one frame and by what the peer really sent.
 */
export class FrameDecoder {
  private header = new Uint8Array(FRAME_HEADER_BYTES);
  private headerFill = 0;
  private partial: Uint8Array | null = null;
  private partialFill = 0;
  private partialSize = 0; // header + payload of the frame being assembled

  constructor(readonly maxPayload: number) {}

  /** Bytes held for an incomplete frame (0 between frames). */
  get buffered(): number {
    return this.partial ? this.partialFill : this.headerFill;
  }

  /** Bytes allocated for the incomplete frame: at most twice what was received, plus 4 KiB. */
  get reserved(): number {
    return this.partial?.length ?? 0;
  }

  push(chunk: Uint8Array, onFrame: OnFrame): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.partial) {
        const take = Math.min(this.partialSize - this.partialFill, end - pos);
        this.reserve(this.partialFill + take).set(chunk.subarray(pos, pos + take), this.partialFill);
        this.partialFill += take;
        pos += take;
        if (this.partialFill === this.partialSize) {
          const frame = this.partial;
          this.partial = null;
          this.partialFill = 0;
          onFrame(frame, 0, frame.length);
        }
        continue;
      }
      if (this.headerFill > 0) {
        const take = Math.min(FRAME_HEADER_BYTES - this.headerFill, end - pos);
        this.header.set(chunk.subarray(pos, pos + take), this.headerFill);
        this.headerFill += take;
        pos += take;
        if (this.headerFill === FRAME_HEADER_BYTES) {
          this.headerFill = 0;
          this.startPartial(readLength(this.header, 0), this.header, 0, FRAME_HEADER_BYTES);
          if (this.partial === null) onFrame(this.header, 0, FRAME_HEADER_BYTES); // an empty payload is complete already
        }
        continue;
      }
      if (end - pos < FRAME_HEADER_BYTES) {
        this.header.set(chunk.subarray(pos, end));
        this.headerFill = end - pos;
        return;
      }
      const length = readLength(chunk, pos);
      const frameEnd = pos + FRAME_HEADER_BYTES + length;
      if (length > this.maxPayload) throw new FrameTooLargeError(length, this.maxPayload);
      if (frameEnd <= end) {
        onFrame(chunk, pos, frameEnd);
        pos = frameEnd;
      } else {
        this.startPartial(length, chunk, pos, end - pos);
        pos = end;
      }
    }
  }

  private startPartial(length: number, src: Uint8Array, from: number, count: number): void {
    if (length > this.maxPayload) throw new FrameTooLargeError(length, this.maxPayload);
    if (length === 0) return;
    this.partialSize = FRAME_HEADER_BYTES + length;
    this.partial = new Uint8Array(Math.min(this.partialSize, Math.max(4096, count * 2)));
    this.partial.set(src.subarray(from, from + count));
    this.partialFill = count;
  }

  /** Grows the frame buffer to hold `needed` bytes, doubling, never past the frame's size. */
  private reserve(needed: number): Uint8Array {
    this.partial = grownBuffer(this.partial!, this.partialFill, needed, this.partialSize);
    return this.partial;
  }
}
