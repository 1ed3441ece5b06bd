/**
 * A small seeded PRNG (mulberry32), so a test can make loss and jitter reproducible: the same
 * seed and the same arrivals give the same drops. Not for anything security-related.
 */
export type Random = () => number;

/** Uniform numbers in [0, 1) from a 32-bit seed. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * An independent stream per (seed, stream) pair: each direction of a relay draws from its own,
 * so the drops on one direction do not depend on how its traffic interleaves with the other's.
 */
export function streamRandom(seed: number | undefined, stream: number): Random {
  if (seed === undefined) return Math.random;
  // splitmix32-style mixing, so seeds 1 and 2 do not give overlapping streams.
  let z = (seed + Math.imul(stream + 1, 0x9e3779b9)) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return seededRandom((z ^ (z >>> 16)) >>> 0);
}
