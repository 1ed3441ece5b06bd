import { describe, expect, test } from "bun:test";
import { Link } from "./link.ts";
import { parseProfile } from "./profile.ts";

describe("Link", () => {
  test("the one-way delay is the profile's, less half the relay's tare, never below zero", () => {
    expect(new Link(parseProfile("delay=5ms"), 1, 0).propagationNs()).toBe(5e6);
    expect(new Link(parseProfile("delay=5ms"), 1, 0, 200_000).propagationNs()).toBe(4.9e6);
    expect(new Link(parseProfile("delay=50us"), 1, 0, 200_000).propagationNs()).toBe(0);
  });

  test("with jitter, the tare shifts every draw and keeps the spread", () => {
    const plain = new Link(parseProfile("delay=5ms,jitter=1ms"), 7, 0);
    const tared = new Link(parseProfile("delay=5ms,jitter=1ms"), 7, 0, 300_000);
    for (let i = 0; i < 100; i++) {
      const a = plain.propagationNs();
      const b = tared.propagationNs();
      expect(a).toBeGreaterThanOrEqual(4e6);
      expect(a).toBeLessThanOrEqual(6e6);
      expect(b).toBeCloseTo(a - 150_000, 3);
    }
  });
});
