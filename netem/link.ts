import type { Profile } from "./profile.ts";
import { streamRandom, type Random } from "./random.ts";

/**
 * One direction of the emulated path: a queue in front of a link of limited rate, then a
 * propagation delay with jitter, then (for datagrams) random loss. A relay has two, one per
 * direction, each shared by every flow going that way, as one bottleneck link would be.
 */
export class Link {
  /** When the link finishes sending what is queued on it (ns, Bun.nanoseconds clock). */
  private freeAtNs = 0;
  private readonly delayNs: number;
  private readonly jitterNs: number;
  /** Half the relay's tare: what its own hops and wake-up add to each way (see tare.ts). */
  private readonly halfTareNs: number;
  private readonly nsPerByte: number;
  /**
   * The unit a byte stream crosses a rate-capped link in: one TCP segment (1460 B, a full
   * Ethernet frame's payload), or about 1 ms of link time where that is larger (fast links),
   * which bounds the deliveries per second. Without segments, a 500 KB read would arrive all at
   * once at the end of its serialization, and an echo could not start coming back until then;
   * packet by packet, both directions are busy at once, as on a real link. Without a rate cap
   * a read crosses whole: all its bytes arrived together, so they are due together.
   */
  readonly segmentBytes: number;
  private readonly lossRandom: Random;
  private readonly jitterRandom: Random;

  constructor(
    readonly profile: Profile,
    seed: number | undefined,
    stream: number,
    tareNs = 0,
  ) {
    this.delayNs = Math.round(profile.delayMs * 1e6);
    this.halfTareNs = Math.round(tareNs / 2);
    this.jitterNs = Math.round(profile.jitterMs * 1e6);
    this.nsPerByte = profile.rateBitsPerSec === undefined ? 0 : 8e9 / profile.rateBitsPerSec;
    this.segmentBytes = profile.rateBitsPerSec === undefined ? Infinity : Math.min(65_536, Math.max(1460, Math.round(profile.rateBitsPerSec / 8 / 1000)));
    // Separate streams for loss and jitter: with a seed, the drops do not change when the
    // jitter does (or when jitter is turned off, which draws nothing).
    this.lossRandom = streamRandom(seed, stream * 2);
    this.jitterRandom = streamRandom(seed, stream * 2 + 1);
  }

  /**
   * When `bytes` arriving at `nowNs` have been serialized onto the link: they wait for what is
   * ahead of them, then take bytes × 8 / rate. Without a rate cap, at once.
   */
  depart(nowNs: number, bytes: number): number {
    if (this.nsPerByte === 0) return nowNs;
    const start = Math.max(nowNs, this.freeAtNs);
    this.freeAtNs = start + bytes * this.nsPerByte;
    return this.freeAtNs;
  }

  /** How long something arriving now would wait before its own serialization starts. */
  backlogNs(nowNs: number): number {
    return Math.max(0, this.freeAtNs - nowNs);
  }

  /**
   * One draw of the one-way delay: delay + uniform(-jitter, +jitter), less half the relay's
   * tare (what the relay itself adds each way), never below 0.
   */
  propagationNs(): number {
    const drawn = this.jitterNs === 0 ? this.delayNs : this.delayNs + (this.jitterRandom() * 2 - 1) * this.jitterNs;
    return Math.max(0, drawn - this.halfTareNs);
  }

  /** Whether the next datagram is lost (UDP only). */
  lost(): boolean {
    return this.profile.loss > 0 && this.lossRandom() < this.profile.loss;
  }
}
