import { sharedClockMs, type ServerEvent } from "../../../protocol/events.ts";
import { withTimeout } from "../../../lib/timeout.ts";
import { CLOCK_QUERIES, SUBSCRIBERS, type Subscription } from "../bind.ts";
import { encodeHistogram, newHistogram, record } from "../../stats/histogram.ts";
import { DEFAULT_INTERVAL_MS, IntervalBins } from "../../stats/timeline.ts";
import type { PushJob, PushResult } from "../worker-protocol.ts";
import { PROGRESS_EVERY_MS } from "../live.ts";
import type { JobContext } from "./context.ts";

/**
 * Subscribers of one pattern receive a push-mode server's events. Latency is receipt minus
 * publish time on the clock both processes share. Only events published inside the measured
 * window count, so every pattern is judged on the same events; after the window a grace period
 * lets the last of them arrive (a short poller may be one interval late by design), ending as
 * soon as every subscriber has had an event from after the window.
 */
export async function runPushJob(job: PushJob, ctx: JobContext): Promise<PushResult> {
  const subscribe = SUBSCRIBERS[job.pattern];
  // Across hosts the clocks differ: measure the offset first and read ours as the server's.
  const clock = job.remoteClock ? await CLOCK_QUERIES[job.pattern](job.target) : undefined;
  const offsetMs = clock?.offsetMs ?? 0;
  const histogram = newHistogram();
  const bins = new IntervalBins((job.timelineMs ?? DEFAULT_INTERVAL_MS) * 1e6);
  const slowest = new Map<number, number>();
  let windowStart = Number.POSITIVE_INFINITY;
  let windowEnd = Number.POSITIVE_INFINITY;
  let delivered = 0;
  let clockAnomalies = 0;

  const onEvent = (event: ServerEvent): void => {
    const now = sharedClockMs() + offsetMs;
    if (event.t < windowStart || event.t >= windowEnd) return;
    let ns = (now - event.t) * 1e6;
    if (ns < 0) {
      clockAnomalies++;
      ns = 0;
    }
    record(histogram, ns);
    bins.record((event.t - windowStart) * 1e6, ns);
    delivered++;
    slowest.set(event.id, Math.max(slowest.get(event.id) ?? 0, ns));
  };

  // Each pattern delivers a subscriber's events in order, so one published after the window
  // means that subscriber has had every event of the window: the grace period can end early.
  const caughtUp = new Set<number>();

  // Subscribers connect together (or spread over the ramp-up), then all must be live.
  const subs: Subscription[] = [];
  for (let i = 0; i < job.subscribers; i++) {
    if (job.rampMs > 0 && i > 0) await Bun.sleep(job.rampMs / job.subscribers);
    const receive = (event: ServerEvent): void => {
      if (event.t >= windowEnd) caughtUp.add(i);
      onEvent(event);
    };
    const sub = subscribe(job.target, { intervalMs: job.intervalMs, timeoutMs: job.timeoutMs }, receive);
    sub.done.catch(() => {}); // failures surface below, through the closing check
    subs.push(sub);
  }
  await withTimeout(Promise.all(subs.map((s) => s.ready)), job.timeoutMs + 10_000, `not all ${job.subscribers} subscribers could subscribe`);
  await ctx.ready(subs.length);

  const totals = () =>
    subs.reduce((a, s) => ({ requests: a.requests + s.stats.requests, emptyPolls: a.emptyPolls + s.stats.emptyPolls, missed: a.missed + s.stats.missed }), {
      requests: 0,
      emptyPolls: 0,
      missed: 0,
    });
  const reporter = setInterval(() => {
    if (Number.isFinite(windowStart))
      ctx.progress(delivered, 0, histogram.totalCount ? histogram.getValueAtPercentile(99) : 0, job.live ? { errors: {}, ...ctx.liveProcess() } : undefined);
  }, PROGRESS_EVERY_MS);
  await Bun.sleep(job.warmupMs);
  windowStart = sharedClockMs();
  const atStart = totals();
  ctx.phase("measure");
  await Bun.sleep(job.durationMs);
  windowEnd = sharedClockMs();
  const atEnd = totals();
  ctx.phase("drain");
  const graceEnds = performance.now() + job.graceMs;
  while (caughtUp.size < subs.length && performance.now() < graceEnds) await Bun.sleep(5);
  clearInterval(reporter);
  await ctx.released();

  for (const sub of subs) sub.close();
  // A subscription that ended on its own (server gone) fails the run instead of under-counting.
  const failures = await Promise.allSettled(subs.map((s) => withTimeout(s.done, 3000, "subscriber did not stop")));
  const failed = failures.find((f) => f.status === "rejected");
  if (failed && failed.status === "rejected") throw failed.reason;

  const ids = [...slowest.keys()];
  return {
    latency: encodeHistogram(histogram),
    delivered,
    firstId: ids.length ? Math.min(...ids) : 0,
    lastId: ids.length ? Math.max(...ids) : -1,
    requests: atEnd.requests - atStart.requests,
    emptyPolls: atEnd.emptyPolls - atStart.emptyPolls,
    missed: atEnd.missed - atStart.missed,
    clockAnomalies,
    slowestDelivery: [...slowest.entries()],
    intervals: bins.finish((windowEnd - windowStart) * 1e6),
    clock,
    cost: ctx.cost(),
  };
}
