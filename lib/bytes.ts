// Buffers that grow with the bytes actually received, for readers that assemble a frame or a
// message split across reads: a peer that claims a large length and sends little holds little.

/**
 * `current` where it holds `needed` bytes; else a buffer at least twice as large (doubling keeps
 * appending linear), never larger than `cap`, with the first `filled` bytes copied over.
 */
export function grownBuffer(current: Uint8Array, filled: number, needed: number, cap = Number.POSITIVE_INFINITY): Uint8Array {
  if (needed <= current.length) return current;
  const grown = new Uint8Array(Math.min(cap, Math.max(needed, current.length * 2)));
  grown.set(current.subarray(0, filled));
  return grown;
}
