import { expect, test } from "bun:test";
import * as hdr from "hdr-histogram-js";
import { PAUSE_SLEEP_MS, PauseMeter } from "./pauses.ts";

test("the sleeper records each wake's lateness; encoded, it is an HdrHistogram of them", async () => {
  const meter = new PauseMeter().start();
  await Bun.sleep(30 * PAUSE_SLEEP_MS);
  // A 40 ms stall of this process: the sleeper wakes that late once.
  const until = Bun.nanoseconds() + 40e6;
  while (Bun.nanoseconds() < until) {}
  await Bun.sleep(3 * PAUSE_SLEEP_MS);
  meter.stop();
  const h = hdr.decodeFromCompressedBase64(meter.encoded());
  expect(h.totalCount).toBeGreaterThanOrEqual(10);
  expect(h.totalCount).toBeLessThanOrEqual(34);
  expect(h.maxValue).toBeGreaterThanOrEqual(30e6);
  meter.reset();
  expect(hdr.decodeFromCompressedBase64(meter.encoded()).totalCount).toBe(0);
});
