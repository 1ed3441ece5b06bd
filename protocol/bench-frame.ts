/**
 * The first bytes of every message the bench sends through an echo server: a tag that is random
 * per connection (a reply that belongs to another stream, or garbage, is caught) and the
 * sequence number that matches a reply to its send time. The rest of the message is filler up
 * to the size asked for. Timestamps stay with the sender, so messages can be as small as this.
 */
export const BENCH_HEADER_BYTES = 8;

export function writeBenchHeader(message: Uint8Array, tag: number, seq: number): void {
  message[0] = tag >>> 24;
  message[1] = tag >>> 16;
  message[2] = tag >>> 8;
  message[3] = tag;
  message[4] = seq >>> 24;
  message[5] = seq >>> 16;
  message[6] = seq >>> 8;
  message[7] = seq;
}

function u32(bytes: Uint8Array, at: number): number {
  return ((bytes[at]! << 24) | (bytes[at + 1]! << 16) | (bytes[at + 2]! << 8) | bytes[at + 3]!) >>> 0;
}

/** The sequence number of a reply (`bytes` from `start` to `end`) carrying `tag`, or -1 if it is not one of ours. */
export function readBenchSeq(bytes: Uint8Array, tag: number, start = 0, end = bytes.length): number {
  if (end - start < BENCH_HEADER_BYTES || u32(bytes, start) !== tag >>> 0) return -1;
  return u32(bytes, start + 4);
}
