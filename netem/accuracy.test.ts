import { afterAll, describe, expect, test } from "bun:test";
import { measureRelayOverhead } from "../bench/run/relay-overhead.ts";
import { killAll } from "../test/support/processes.ts";

/**
 * The relay must add what its profile says. The echo server and the relay each run in their
 * own process (the relay via netem/cli.ts, as a user would run it), so the measuring event loop
 * here cannot disturb the relay's delivery timing. Direct and relayed round trips alternate,
 * one 64-byte message in flight, and their medians are compared.
 *
 * What remains besides the injected delay is the relay's own cost: two extra loopback hops and
 * a pass through its event loop each way, 20–100 µs per round trip on the development machine
 * (2 vCPUs), i.e. +0.2% to +1% on 10 ms. Over 5 consecutive runs the added p50 stayed within
 * 1% of 10 ms, so the issue's ±2% bound is asserted as is.
 */

afterAll(killAll);

const COUNT = 300;
const WARMUP = 30;

/** Direct and relayed round trips compared, in µs, through bench/relay-overhead.ts. */
async function measure(transport: "tcp" | "udp", net: string): Promise<{ directUs: number; relayedUs: number; addedUs: number }> {
  const m = await measureRelayOverhead(transport, COUNT, WARMUP, net);
  return { directUs: m.directP50Ns / 1000, relayedUs: m.relayedP50Ns / 1000, addedUs: m.addedP50Ns / 1000 };
}

describe("the relay adds what its profile says", () => {
  test.each(["tcp", "udp"] as const)(
    "%s: 5 ms each way raises the round-trip p50 by 10 ms ± 2%",
    async (transport) => {
      const m = await measure(transport, "delay=5ms");
      const errorPct = (m.addedUs / 10_000 - 1) * 100;
      console.log(
        `${transport} delay=5ms: direct p50 ${m.directUs.toFixed(1)} µs, relayed p50 ${m.relayedUs.toFixed(1)} µs, added ${m.addedUs.toFixed(1)} µs (${errorPct >= 0 ? "+" : ""}${errorPct.toFixed(2)}% vs 10 ms)`,
      );
      expect(Math.abs(errorPct)).toBeLessThanOrEqual(2);
    },
    20_000,
  );

  test.each(["tcp", "udp"] as const)(
    "%s: with no delay the relay itself adds well under 1 ms",
    async (transport) => {
      const m = await measure(transport, "none");
      console.log(
        `${transport} relay overhead: direct p50 ${m.directUs.toFixed(1)} µs, relayed p50 ${m.relayedUs.toFixed(1)} µs, added ${m.addedUs.toFixed(1)} µs`,
      );
      expect(m.addedUs).toBeLessThan(1000);
    },
    20_000,
  );
});
