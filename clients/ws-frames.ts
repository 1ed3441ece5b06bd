// WebSocket framing (RFC 6455, section 5) as a client speaks it: frames it sends are masked,
// frames it receives are not. Only what a client without extensions needs: no compression, so
// a frame with a reserved bit set is an error, as the RFC asks.
import { grownBuffer } from "../lib/bytes.ts";
import type { Framing } from "../lib/socket-writer.ts";

export const OP_CONTINUATION = 0x0;
export const OP_TEXT = 0x1;
export const OP_BINARY = 0x2;
export const OP_CLOSE = 0x8;
export const OP_PING = 0x9;
export const OP_PONG = 0xa;

/** A server broke the protocol; the message says how, for "protocol error from …". */
export class WsProtocolError extends Error {}

/** Bytes before a masked payload of `length` bytes: 2, the extended length (2 or 8), the key (4). */
function maskedHeaderBytes(length: number): number {
  return (length < 126 ? 2 : length < 0x1_0000 ? 4 : 10) + 4;
}

// Masking keys must be unpredictable to the page a browser runs (RFC 6455, 10.3); taken from
// the system's random source in blocks, so that a key costs no call of its own.
const KEY_BLOCK_BYTES = 4096;
let keys = new Uint8Array(0);
let keyAt = 0;

/** Payloads from this size are masked a word at a time where they are aligned to one. */
const WORD_MASK_MIN_BYTES = 256;
/** The key as a word in this machine's byte order: its bytes written through a byte view. */
const KEY_WORD = new Int32Array(1);
const KEY_BYTES = new Uint8Array(KEY_WORD.buffer);

/** Writes one masked frame (`opcode`, FIN set) of `payload` at `at` in `into`. */
function encodeMasked(opcode: number, payload: Uint8Array, into: Uint8Array, at: number): void {
  const n = payload.length;
  into[at++] = 0x80 | opcode;
  if (n < 126) into[at++] = 0x80 | n;
  else if (n < 0x1_0000) {
    into[at++] = 0x80 | 126;
    into[at++] = n >>> 8;
    into[at++] = n & 0xff;
  } else {
    into[at++] = 0x80 | 127;
    // Messages here are far below 2^32 bytes: the high four bytes are zero.
    into.fill(0, at, at + 4);
    into[at + 4] = n >>> 24;
    into[at + 5] = n >>> 16;
    into[at + 6] = n >>> 8;
    into[at + 7] = n & 0xff;
    at += 8;
  }
  if (keyAt + 4 > keys.length) {
    keys = crypto.getRandomValues(new Uint8Array(KEY_BLOCK_BYTES));
    keyAt = 0;
  }
  const k0 = keys[keyAt]!;
  const k1 = keys[keyAt + 1]!;
  const k2 = keys[keyAt + 2]!;
  const k3 = keys[keyAt + 3]!;
  keyAt += 4;
  into[at] = k0;
  into[at + 1] = k1;
  into[at + 2] = k2;
  into[at + 3] = k3;
  at += 4;
  let i = 0;
  const start = into.byteOffset + at;
  if (n >= WORD_MASK_MIN_BYTES && (start & 3) === 0) {
    // A large payload that lands on a word boundary is copied natively, then masked a word at a
    // time: four times fewer steps than byte by byte (whose cost showed at 64 KiB).
    into.set(payload, at);
    KEY_BYTES[0] = k0;
    KEY_BYTES[1] = k1;
    KEY_BYTES[2] = k2;
    KEY_BYTES[3] = k3;
    const key = KEY_WORD[0]!;
    const words = new Int32Array(into.buffer, start, n >>> 2);
    for (let w = 0, count = words.length; w < count; w++) words[w] = words[w]! ^ key;
    for (i = n & ~3; i < n; i++) into[at + i]! ^= KEY_BYTES[i & 3]!;
    return;
  }
  for (const end = n - 3; i < end; i += 4) {
    into[at + i] = payload[i]! ^ k0;
    into[at + i + 1] = payload[i + 1]! ^ k1;
    into[at + i + 2] = payload[i + 2]! ^ k2;
    into[at + i + 3] = payload[i + 3]! ^ k3;
  }
  for (; i < n; i++) into[at + i] = payload[i]! ^ keys[keyAt - 4 + (i & 3)]!;
}

/** Binary messages from a client, for a writer that gathers them. */
export const CLIENT_BINARY: Framing = {
  headerBytes: maskedHeaderBytes,
  encode: (payload, into, at) => encodeMasked(OP_BINARY, payload, into, at),
};

/** One masked control frame (close, ping, pong) in a buffer of its own. */
export function controlFrame(opcode: number, payload: Uint8Array = new Uint8Array(0)): Uint8Array {
  const frame = new Uint8Array(maskedHeaderBytes(payload.length) + payload.length);
  encodeMasked(opcode, payload, frame, 0);
  return frame;
}

/** A close frame's payload: the status code, then the reason in UTF-8. */
export function closePayload(code: number, reason = ""): Uint8Array {
  const text = new TextEncoder().encode(reason);
  const payload = new Uint8Array(2 + text.length);
  payload[0] = code >>> 8;
  payload[1] = code & 0xff;
  payload.set(text, 2);
  return payload;
}

/** Split frames up to this size are received into a buffer kept from one to the next. */
const SPLIT_KEEP_BYTES = 64 * 1024;

export interface FrameEvents {
  /**
   * A whole message (its fragments joined): `bytes` from `start` to `end`, valid during the call;
   * a range, not a view, as clients/types.ts EchoHandlers explains.
   */
  message(bytes: Uint8Array, start: number, end: number, text: boolean): void;
  /** A close, ping or pong frame, with its payload (a view). */
  control(opcode: number, payload: Uint8Array): void;
}

/**
 * Cuts a server's byte stream into messages. A frame that arrives whole in one chunk is handed
 * out as a range of it; a frame split across chunks, and a fragmented message, are assembled in
 * buffers that grow with the bytes received, so a length that claims more than was sent holds
 * no more memory than what came. Messages over `maxPayload` and every breach of the protocol
 * throw WsProtocolError.
 */
export class ServerFrameReader {
  /** A header split across chunks: 2 bytes and an extended length of up to 8. */
  private readonly head = new Uint8Array(10);
  private headFill = 0;
  /** The frame being received, when its payload was split across chunks. */
  private partial: Uint8Array | null = null;
  private partialFill = 0;
  private partialSize = 0;
  /** The last split frame's buffer, when small enough to keep. */
  private spare: Uint8Array | null = null;
  private opcode = 0;
  private fin = false;
  /** A fragmented message being joined: its bytes so far and whether it is text. */
  private fragments: Uint8Array | null = null;
  private fragmentsFill = 0;
  private fragmentsText = false;

  constructor(
    readonly maxPayload: number,
    private readonly events: FrameEvents,
  ) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    const end = chunk.length;
    while (pos < end) {
      if (this.partial) {
        const take = Math.min(this.partialSize - this.partialFill, end - pos);
        this.grow(this.partialFill + take).set(chunk.subarray(pos, pos + take), this.partialFill);
        this.partialFill += take;
        pos += take;
        if (this.partialFill === this.partialSize) {
          const payload = this.partial!;
          this.partial = null;
          this.frame(payload, 0, this.partialSize);
        }
        continue;
      }
      let length: number;
      if (this.headFill === 0 && end - pos >= 2 && end - pos >= headerBytes(chunk[pos + 1]!)) {
        length = this.header(chunk, pos);
        pos += headerBytes(chunk[pos + 1]!);
      } else {
        // A header split across chunks: its first two bytes say how long it is.
        const want = this.headFill < 2 ? 2 : headerBytes(this.head[1]!);
        const take = Math.min(want - this.headFill, end - pos);
        this.head.set(chunk.subarray(pos, pos + take), this.headFill);
        this.headFill += take;
        pos += take;
        if (this.headFill < 2 || this.headFill < headerBytes(this.head[1]!)) continue;
        this.headFill = 0;
        length = this.header(this.head, 0);
      }
      if (end - pos >= length) {
        this.frame(chunk, pos, pos + length);
        pos += length;
      } else {
        this.partialSize = length;
        this.partial = this.splitBuffer(length, end - pos);
        this.partial.set(chunk.subarray(pos, end));
        this.partialFill = end - pos;
        pos = end;
      }
    }
  }

  /** Reads a whole header at `at`: keeps the opcode and FIN, checks them, returns the payload length. */
  private header(bytes: Uint8Array, at: number): number {
    const b0 = bytes[at]!;
    const b1 = bytes[at + 1]!;
    if (b0 & 0x70) throw new WsProtocolError("a frame with a reserved bit set (no extension was agreed)");
    if (b1 & 0x80) throw new WsProtocolError("a masked frame (a server must not mask)");
    this.fin = (b0 & 0x80) !== 0;
    this.opcode = b0 & 0x0f;
    let length = b1 & 0x7f;
    if (length === 126) length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    else if (length === 127) {
      const high = ((bytes[at + 2]! << 24) | (bytes[at + 3]! << 16) | (bytes[at + 4]! << 8) | bytes[at + 5]!) >>> 0;
      const low = ((bytes[at + 6]! << 24) | (bytes[at + 7]! << 16) | (bytes[at + 8]! << 8) | bytes[at + 9]!) >>> 0;
      length = high * 0x1_0000_0000 + low;
    }
    if (this.opcode >= OP_CLOSE) {
      if (!this.fin || length > 125) throw new WsProtocolError("a control frame fragmented or over 125 bytes");
    } else if ((this.fragments ? this.fragmentsFill : 0) + length > this.maxPayload)
      throw new WsProtocolError(`a message over the ${this.maxPayload}-byte limit`);
    return length;
  }

  /** One whole frame's payload (`bytes` from `start` to `end`), by its opcode. */
  private frame(bytes: Uint8Array, start: number, end: number): void {
    const op = this.opcode;
    if (op === OP_CLOSE || op === OP_PING || op === OP_PONG) return this.events.control(op, bytes.subarray(start, end));
    if (op === OP_TEXT || op === OP_BINARY) {
      if (this.fragments) throw new WsProtocolError("a new message before the last one's final fragment");
      if (this.fin) return this.events.message(bytes, start, end, op === OP_TEXT);
      this.fragmentsText = op === OP_TEXT;
      this.fragments = bytes.slice(start, end);
      this.fragmentsFill = end - start;
      return;
    }
    if (op !== OP_CONTINUATION) throw new WsProtocolError(`a frame with the unknown opcode ${op}`);
    if (!this.fragments) throw new WsProtocolError("a continuation frame with no message begun");
    const needed = this.fragmentsFill + end - start;
    this.fragments = grownBuffer(this.fragments, this.fragmentsFill, needed);
    this.fragments.set(bytes.subarray(start, end), this.fragmentsFill);
    this.fragmentsFill = needed;
    if (!this.fin) return;
    const message = this.fragments;
    this.fragments = null;
    this.events.message(message, 0, this.fragmentsFill, this.fragmentsText);
  }

  /**
   * A buffer for a frame of `length` bytes split across chunks, `arrived` of them here. Up to
   * 64 KiB it is whole from the start and kept for the next split frame (a stream of large
   * messages splits every one); beyond, it starts from what arrived and grows.
   */
  private splitBuffer(length: number, arrived: number): Uint8Array {
    if (length > SPLIT_KEEP_BYTES) return new Uint8Array(Math.max(SPLIT_KEEP_BYTES, 2 * arrived));
    if (!this.spare || this.spare.length < length) this.spare = new Uint8Array(length);
    return this.spare;
  }

  /** The split frame's buffer, grown (doubling) to hold `needed` bytes, never past the frame. */
  private grow(needed: number): Uint8Array {
    this.partial = grownBuffer(this.partial!, this.partialFill, needed, this.partialSize);
    return this.partial;
  }
}

/** A frame header's length from its second byte: 2, plus the extended length's 2 or 8. */
function headerBytes(b1: number): number {
  const length = b1 & 0x7f;
  return length === 126 ? 4 : length === 127 ? 10 : 2;
}
