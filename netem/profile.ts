// Network conditions for the relays: one-way delay, jitter, loss and a bandwidth cap, parsed
// from "delay=20ms,jitter=2ms,loss=1%,rate=10mbit" or a named profile ("wifi", optionally
// followed by overrides: "wifi,loss=2%").
//
// Every figure applies to each direction on its own, as `tc netem` on both ends of a link would:
// a round trip pays the delay twice.
//
// - delay: one-way propagation delay.
// - jitter: the largest deviation from `delay`. Each chunk or datagram draws its deviation from
//   a UNIFORM distribution on [-jitter, +jitter] (netem's default when no distribution table
//   is given). Uniform, not normal, because "max deviation" then means what it says: no draw
//   ever falls outside it. A delay that would come out negative is taken as 0.
// - loss: probability that a UDP datagram is dropped, independently per datagram. TCP is not
//   dropped: on a real path TCP retransmits a lost segment, so for TCP loss shows up as extra
//   delay, not as missing bytes — and a relay that ends TCP on both sides cannot model that
//   retransmission faithfully, so it leaves TCP loss out rather than fake it.
// - rate: the link's capacity in each direction, in bits per second; data waits its
//   serialization time (bytes × 8 / rate) in a queue shared by every flow through the relay.
//   Only payload bytes count: TCP/IP and UDP/IP headers are not emulated, so at the cap the
//   payload rate is a few percent above what a real link of that rate would carry.

export interface Profile {
  /** The named profile this is exactly, if any ("wifi"); overridden profiles have none. */
  name?: string;
  /** One-way delay, milliseconds. */
  delayMs: number;
  /** Largest deviation from the delay, milliseconds (uniform distribution). */
  jitterMs: number;
  /** Probability (0 to 1) that a UDP datagram is lost. Not applied to TCP. */
  loss: number;
  /** Capacity of each direction in bits per second; absent = no cap. */
  rateBitsPerSec?: number;
}

type Conditions = Omit<Profile, "name">;

/**
 * Named profiles. Each number is a typical figure for the network named, not a worst case; a
 * round trip is twice the one-way delay.
 */
export const PROFILES = {
  /**
   * Switched gigabit Ethernet. Hosts on one switch ping each other in about 0.2–0.5 ms, almost
   * all of it spent in the two hosts' network stacks and interrupt moderation (a 1500 B frame
   * takes 12 µs to serialize at 1 Gbit/s; a switch adds microseconds). 0.25 ms each way gives
   * a 0.5 ms round trip; no jitter or loss worth modelling; the wire's 1 Gbit/s.
   */
  lan: { delayMs: 0.25, jitterMs: 0, loss: 0, rateBitsPerSec: 1e9 },
  /**
   * One 802.11 hop to an access point, then a wired network. Medium contention (CSMA/CA),
   * rate adaptation and power saving add a few milliseconds per direction with a spread of
   * about as much (measurements of operational Wi-Fi, e.g. Sui et al., "Characterizing and
   * Improving WiFi Latency in Large-Scale Operational Networks", MobiSys 2016, show per-hop
   * latencies of a few ms in the median with a long tail). Link-layer retries hide most frame
   * errors; 0.5% residual loss is a moderate figure for a busy home or office network. No
   * rate cap: Wi-Fi throughput ranges from tens to hundreds of Mbit/s with the standard,
   * distance and contention, too widely for one figure to be typical; add rate=... to model one.
   */
  wifi: { delayMs: 3, jitterMs: 2, loss: 0.005 },
  /**
   * A 3G (UMTS/HSPA) phone. WebPageTest's presets, which Lighthouse adopted as its standard,
   * are "3G Fast" = 150 ms RTT and "3G" = 300 ms RTT, both 1.6 Mbit/s down and 768 kbit/s up
   * (WPO-Foundation/webpagetest, www/settings/connectivity.ini.sample); 100 ms each way is a
   * 200 ms round trip, between the two. Radio scheduling makes delay vary by tens of ms (20 ms
   * here); 1% loss matches BrowserStack's "lossy" HSPA profiles. One rate serves both
   * directions here, so 2 Mbit/s: near the downlink of those presets, a typical delivered
   * HSPA rate, and generous for the uplink.
   */
  "3g": { delayMs: 100, jitterMs: 20, loss: 0.01, rateBitsPerSec: 2e6 },
  /**
   * Across an ocean, e.g. Western Europe to the US West Coast. Light in fibre covers about
   * 200 km per ms; London–San Francisco is about 8,600 km on the great circle, 43 ms one way,
   * and real cable routes run 1.5–2 times longer, so round trips of 130–160 ms are what
   * public ping tables show for such pairs: 75 ms each way. Queueing across a dozen or more
   * backbone hops varies by a few ms (5 ms here). Backbone loss is well under 0.1%, so none;
   * no rate cap, since the bottleneck is usually elsewhere (the access link).
   */
  intercontinental: { delayMs: 75, jitterMs: 5, loss: 0 },
  /** No conditions: the relay only forwards. For measuring the relay's own overhead. */
  none: { delayMs: 0, jitterMs: 0, loss: 0 },
} as const satisfies Record<string, Conditions>;

export type ProfileName = keyof typeof PROFILES;
export const PROFILE_NAMES = Object.keys(PROFILES) as ProfileName[];

const KEYS = ["delay", "jitter", "loss", "rate"] as const;
type Key = (typeof KEYS)[number];

/** Upper bounds that catch typos (delay=20s meant as 20ms is still allowed; 20 minutes is not). */
const MAX_DELAY_MS = 60_000;
const MAX_RATE_BITS = 100e9;

const HELP = `valid keys: delay, jitter (e.g. 20ms, 250us, 1s), loss (e.g. 1%), rate (e.g. 500kbit, 10mbit, 1gbit), comma-separated as in "delay=20ms,jitter=2ms,loss=1%,rate=10mbit"; or a profile: ${PROFILE_NAMES.join(", ")} (optionally followed by overrides, as in "wifi,loss=2%")`;

/**
 * Parses a profile string. Throws one Error, on one line, naming every problem followed by the
 * valid keys and profile names.
 */
export function parseProfile(text: string): Profile {
  const problems: string[] = [];
  const parts = text.split(",").map((p) => p.trim());
  let conditions: Conditions = { ...PROFILES.none };
  let name: string | undefined;
  const seen = new Set<Key>();

  if (text.trim() === "") problems.push("it is empty");
  else {
    parts.forEach((part, index) => {
      if (part === "") {
        problems.push("an empty item between commas");
        return;
      }
      const eq = part.indexOf("=");
      if (eq === -1) {
        const base = lookupProfile(part);
        if (base === undefined) problems.push(`unknown profile "${part}"`);
        else if (index > 0) problems.push(`the profile "${part}" must come first`);
        else {
          conditions = { ...base };
          name = part.toLowerCase();
        }
        return;
      }
      const key = part.slice(0, eq).trim().toLowerCase();
      const value = part.slice(eq + 1).trim();
      if (!(KEYS as readonly string[]).includes(key)) {
        problems.push(`unknown key "${key}"`);
        return;
      }
      const k = key as Key;
      if (seen.has(k)) problems.push(`${k} is given twice`);
      seen.add(k);
      const problem = applyValue(conditions, k, value);
      if (problem) problems.push(problem);
    });
  }

  if (problems.length > 0) throw new Error(`bad network profile "${text}": ${problems.join("; ")} (${HELP})`);
  // An override turns a named profile into a custom one: the name would no longer describe it.
  const profile: Profile = { ...conditions };
  if (name !== undefined && seen.size === 0) profile.name = name;
  if (profile.rateBitsPerSec === undefined) delete profile.rateBitsPerSec;
  return profile;
}

function lookupProfile(word: string): Conditions | undefined {
  const lower = word.toLowerCase();
  return Object.hasOwn(PROFILES, lower) ? PROFILES[lower as ProfileName] : undefined;
}

/** Sets one key from its text; returns a problem instead when the value is malformed. */
function applyValue(c: Conditions, key: Key, value: string): string | undefined {
  switch (key) {
    case "delay":
    case "jitter": {
      const ms = parseTimeMs(value);
      if (ms === undefined) return `${key}=${value} is not a time such as 20ms, 250us or 1s`;
      if (ms > MAX_DELAY_MS) return `${key}=${value} is more than ${MAX_DELAY_MS / 1000} s`;
      if (key === "delay") c.delayMs = ms;
      else c.jitterMs = ms;
      return undefined;
    }
    case "loss": {
      const m = /^(\d+(?:\.\d+)?)%$/.exec(value);
      const pct = value === "0" ? 0 : m ? Number(m[1]) : NaN;
      if (Number.isNaN(pct) || pct > 100) return `loss=${value} is not a percentage from 0% to 100%, such as 1% or 0.5%`;
      c.loss = pct / 100;
      return undefined;
    }
    case "rate": {
      const bits = parseRateBits(value);
      if (bits === undefined) return `rate=${value} is not a rate such as 500kbit, 10mbit or 1gbit (bits per second)`;
      if (bits <= 0 || bits > MAX_RATE_BITS) return `rate=${value} must be above 0 and at most 100gbit`;
      c.rateBitsPerSec = bits;
      return undefined;
    }
  }
}

/** "20ms" -> 20, "250us" -> 0.25, "1.5s" -> 1500, "0" -> 0; a unit is required for anything else. */
function parseTimeMs(value: string): number | undefined {
  if (value === "0") return 0;
  const m = /^(\d+(?:\.\d+)?)(us|µs|ms|s)$/i.exec(value);
  if (!m) return undefined;
  const n = Number(m[1]);
  const unit = m[2]!.toLowerCase();
  return unit === "s" ? n * 1000 : unit === "ms" ? n : n / 1000;
}

/**
 * "10mbit" -> 10e6 bits/s. Only bit units: netem's "kbps" means kilobytes per second, a
 * trap this parser refuses to copy.
 */
function parseRateBits(value: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)(kbit|mbit|gbit)$/i.exec(value);
  if (!m) return undefined;
  const scale = { kbit: 1e3, mbit: 1e6, gbit: 1e9 }[m[2]!.toLowerCase() as "kbit" | "mbit" | "gbit"];
  return Number(m[1]) * scale;
}

/** "delay 20 ms ± 2 ms, loss 1%, 10 Mbit/s" (a named profile is prefixed: "3g: ..."). */
export function describeProfile(p: Profile): string {
  const parts = [p.jitterMs > 0 ? `delay ${trim(p.delayMs)} ms ± ${trim(p.jitterMs)} ms` : `delay ${trim(p.delayMs)} ms`];
  if (p.loss > 0) parts.push(`loss ${trim(p.loss * 100)}%`);
  if (p.rateBitsPerSec !== undefined) parts.push(formatRate(p.rateBitsPerSec));
  const text = parts.join(", ");
  return p.name ? `${p.name}: ${text}` : text;
}

function formatRate(bits: number): string {
  if (bits >= 1e9) return `${trim(bits / 1e9)} Gbit/s`;
  if (bits >= 1e6) return `${trim(bits / 1e6)} Mbit/s`;
  if (bits >= 1e3) return `${trim(bits / 1e3)} kbit/s`;
  return `${trim(bits)} bit/s`;
}

/** At most three decimals, no trailing zeros (and no 7.000000000000001 from 0.07 × 100). */
function trim(n: number): string {
  return String(Number(n.toFixed(3)));
}

/**
 * The profile as parseProfile reads it, exactly: what a relay is started with when the profile
 * was parsed already. Loss is given in percent, rates in kbit (both to full precision).
 */
export function profileText(p: Profile): string {
  const parts = [`delay=${p.delayMs}ms`, `jitter=${p.jitterMs}ms`, `loss=${p.loss * 100}%`];
  if (p.rateBitsPerSec !== undefined) parts.push(`rate=${p.rateBitsPerSec / 1e3}kbit`);
  return parts.join(",");
}
