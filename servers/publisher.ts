import type { EventLog } from "./event-log.ts";

/**
 * Publishes an event of `size` bytes `ratePerSec` times a second, on an absolute schedule (each
 * publish aims at start + k / rate, so timer lateness does not accumulate). Each event carries
 * its actual publish time, so lateness here never shows up as delivery latency.
 */
export function startPublisher(log: EventLog, ratePerSec: number, size: number): () => void {
  const data = "x".repeat(size);
  const intervalMs = 1000 / ratePerSec;
  const start = performance.now();
  let k = 0;
  let timer: Timer | undefined;
  const tick = (): void => {
    const now = performance.now();
    while (start + k * intervalMs <= now) {
      log.publish(data);
      k++;
    }
    timer = setTimeout(tick, Math.max(0, start + k * intervalMs - performance.now()));
  };
  timer = setTimeout(tick, intervalMs);
  return () => clearTimeout(timer);
}
