import { describe, expect, test } from "bun:test";
import { describeProfile, parseProfile, PROFILE_NAMES, PROFILES } from "./profile.ts";

describe("parseProfile", () => {
  test("reads every key with its units", () => {
    expect(parseProfile("delay=20ms,jitter=2ms,loss=1%,rate=10mbit")).toEqual({ delayMs: 20, jitterMs: 2, loss: 0.01, rateBitsPerSec: 10e6 });
    expect(parseProfile("delay=250us")).toEqual({ delayMs: 0.25, jitterMs: 0, loss: 0 });
    expect(parseProfile("delay=1.5s, jitter=0, loss=0.5%, rate=500kbit")).toEqual({ delayMs: 1500, jitterMs: 0, loss: 0.005, rateBitsPerSec: 500e3 });
    expect(parseProfile("rate=1gbit").rateBitsPerSec).toBe(1e9);
    expect(parseProfile("loss=0").loss).toBe(0);
    expect(parseProfile("loss=100%").loss).toBe(1);
    expect(parseProfile("DELAY=5MS").delayMs).toBe(5);
  }, 5000);

  test("named profiles, alone or with overrides", () => {
    for (const name of PROFILE_NAMES) expect(parseProfile(name)).toEqual({ name, ...PROFILES[name] });
    expect(parseProfile("lan")).toEqual({ name: "lan", delayMs: 0.25, jitterMs: 0, loss: 0, rateBitsPerSec: 1e9 });
    expect(parseProfile("wifi")).toMatchObject({ delayMs: 3, jitterMs: 2, loss: 0.005 });
    expect(parseProfile("3g")).toMatchObject({ delayMs: 100, jitterMs: 20, loss: 0.01, rateBitsPerSec: 2e6 });
    expect(parseProfile("intercontinental")).toMatchObject({ delayMs: 75, jitterMs: 5, loss: 0 });
    // An override keeps the rest of the profile and drops the name, which no longer fits.
    expect(parseProfile("wifi,loss=2%")).toEqual({ delayMs: 3, jitterMs: 2, loss: 0.02 });
  }, 5000);

  const malformed: [string, string][] = [
    ["", "it is empty"],
    ["   ", "it is empty"],
    ["delay=5", "delay=5 is not a time such as 20ms"],
    ["delay=5 ms", "delay=5 ms is not a time"],
    ["delay=-5ms", "delay=-5ms is not a time"],
    ["delay=fast", "delay=fast is not a time"],
    ["delay=2h", "delay=2h is not a time"],
    ["delay=61s", "delay=61s is more than 60 s"],
    ["jitter=2", "jitter=2 is not a time"],
    ["loss=1", "loss=1 is not a percentage"],
    ["loss=0.01", "loss=0.01 is not a percentage"],
    ["loss=101%", "loss=101% is not a percentage from 0% to 100%"],
    ["loss=-1%", "loss=-1% is not a percentage"],
    ["rate=10", "rate=10 is not a rate such as 500kbit"],
    ["rate=10mbps", "rate=10mbps is not a rate"],
    ["rate=1kbps", "rate=1kbps is not a rate"],
    ["rate=0mbit", "rate=0mbit must be above 0"],
    ["rate=200gbit", "at most 100gbit"],
    ["latency=5ms", 'unknown key "latency"'],
    ["delay=5ms,delay=6ms", "delay is given twice"],
    ["delay=5ms,,loss=1%", "an empty item between commas"],
    ["delay=5ms,", "an empty item between commas"],
    ["satellite", 'unknown profile "satellite"'],
    ["delay=5ms,wifi", 'the profile "wifi" must come first'],
    ["delay=", "delay= is not a time"],
    ["=5ms", 'unknown key ""'],
  ];

  test.each(malformed)(
    "%p is refused: %s",
    (text, why) => {
      let message = "";
      try {
        parseProfile(text);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toContain(`bad network profile "${text}"`);
      expect(message).toContain(why);
      // One line, naming every valid key and profile.
      expect(message).not.toContain("\n");
      for (const key of ["delay", "jitter", "loss", "rate"]) expect(message).toContain(key);
      for (const name of PROFILE_NAMES) expect(message).toContain(name);
    },
    5000,
  );

  test("every problem is named at once", () => {
    expect(() => parseProfile("delay=5,foo=1,loss=200%")).toThrow(/delay=5 is not a time.*unknown key "foo".*loss=200% is not a percentage/);
  }, 5000);
});

describe("describeProfile", () => {
  test("reads as a report would say it", () => {
    expect(describeProfile(parseProfile("delay=20ms,jitter=2ms,loss=1%,rate=10mbit"))).toBe("delay 20 ms ± 2 ms, loss 1%, 10 Mbit/s");
    expect(describeProfile(parseProfile("delay=250us"))).toBe("delay 0.25 ms");
    expect(describeProfile(parseProfile("delay=5ms,loss=7%,rate=1500kbit"))).toBe("delay 5 ms, loss 7%, 1.5 Mbit/s");
    expect(describeProfile(parseProfile("rate=64kbit"))).toBe("delay 0 ms, 64 kbit/s");
    expect(describeProfile(parseProfile("3g"))).toBe("3g: delay 100 ms ± 20 ms, loss 1%, 2 Mbit/s");
    expect(describeProfile(parseProfile("lan"))).toBe("lan: delay 0.25 ms, 1 Gbit/s");
    expect(describeProfile(parseProfile("wifi,loss=0.5%"))).toBe("delay 3 ms ± 2 ms, loss 0.5%");
  }, 5000);
});
