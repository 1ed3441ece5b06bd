import { withTimeout } from "../../../lib/timeout.ts";
import { foreignPipes, PIPES } from "../bind.ts";
import { closedLoop } from "../../load/closed.ts";
import { openLoop } from "../../load/open.ts";
import { constantArrivals } from "../../load/arrivals.ts";
import { capacitySearch, type CapacityFound } from "../../load/capacity.ts";
import { stagedLoop } from "../../load/stages.ts";
import { realScheduler } from "../../load/scheduler.ts";
import { Session } from "../../load/session.ts";
import type { Pipe } from "../../load/types.ts";
import { encodeHistogram, newHistogram } from "../../stats/histogram.ts";
import { DEFAULT_INTERVAL_MS } from "../../stats/timeline.ts";
import type { EchoJob, EchoResult, LiveShare } from "../worker-protocol.ts";
import { PROGRESS_EVERY_MS } from "../live.ts";
import type { JobContext } from "./context.ts";

export async function runEchoJob(job: EchoJob, ctx: JobContext): Promise<EchoResult> {
  if (!Object.hasOwn(PIPES, job.driver)) throw new Error(`unknown driver ${job.driver}`);
  const openPipe = job.exchange
    ? foreignPipes(job.driver, job.target, job.exchange, job.size, job.timeoutMs)
    : PIPES[job.driver](job.target, job.size, job.timeoutMs);
  const session = new Session(realScheduler, job.timeoutMs * 1e6, (job.timelineMs ?? DEFAULT_INTERVAL_MS) * 1e6);
  const pipes: Pipe[] = [];
  for (let i = 0; i < job.pipes; i++) {
    if (job.rampMs > 0 && i > 0) await Bun.sleep(job.rampMs / job.pipes);
    const pipe = await withTimeout(openPipe(i, session.eventsFor(i)), job.timeoutMs + 5000, `connection ${i + 1} of ${job.pipes} timed out`);
    session.add(pipe);
    pipes.push(pipe);
  }
  await ctx.ready(pipes.length);

  session.onPhase = (phase) => ctx.phase(phase);
  if (job.live) session.liveLatency = newHistogram();
  const reporter = setInterval(() => {
    if (session.phase !== "measure") return;
    let live: LiveShare | undefined;
    if (session.liveLatency) {
      live = { latency: encodeHistogram(session.liveLatency), errors: session.errorCounts(), ...ctx.liveProcess() };
      session.liveLatency = newHistogram();
    }
    ctx.progress(session.completedMeasured, session.problems, session.latency.totalCount ? session.latency.getValueAtPercentile(99) : 0, live);
  }, PROGRESS_EVERY_MS);
  const phases = { warmupNs: job.warmupMs * 1e6, durationNs: job.durationMs === undefined ? undefined : job.durationMs * 1e6, count: job.count };
  let capacity: CapacityFound | undefined;
  if (job.model === "closed") await closedLoop(session, { ...phases, window: job.window });
  else if (job.capacity) {
    const { stepMs, ...search } = job.capacity;
    capacity = await capacitySearch(session, { ...search, stepNs: stepMs * 1e6, warmupNs: phases.warmupNs, maxInflightPerPipe: job.window });
  } else if (job.stages) {
    const stages = job.stages.map((s) => ({ lengthNs: s.lengthMs * 1e6, fromPerSec: s.fromPerSec, toPerSec: s.toPerSec }));
    await stagedLoop(session, stages, { warmupNs: phases.warmupNs, maxInflightPerPipe: job.window });
  } else await openLoop(session, { ...phases, arrivals: constantArrivals(job.ratePerSec), maxInflightPerPipe: job.window });

  clearInterval(reporter);
  await ctx.released();
  await Promise.race([Promise.allSettled(pipes.map((p) => p.close())), Bun.sleep(2000)]);
  const r = session.result();
  return {
    counts: r.counts,
    histograms: { latency: encodeHistogram(r.latency), uncorrected: encodeHistogram(r.uncorrected), lag: encodeHistogram(r.lag) },
    sequence: r.sequence,
    measuredNs: r.measuredNs,
    intervals: r.intervals,
    ...(session.segments ? { segments: session.segments.shares() } : {}),
    ...(capacity ? { capacity } : {}),
    cost: ctx.cost(),
  };
}
