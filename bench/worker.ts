#!/usr/bin/env bun
/**
 * One swarm process. Started by the orchestrator with a WorkerJob as its argument; it opens its
 * connections (spread over the ramp-up), says "ready", waits for "go" on stdin, runs the load
 * model, and prints its result. It never shares a process with the server it measures.
 */
import { messageOf } from "../lib/errors.ts";
import { readOneLine } from "../lib/stdin.ts";
import { withTimeout } from "../lib/timeout.ts";
import { DRIVERS, isDriverName } from "./drivers.ts";
import { closedLoop } from "./load/closed.ts";
import { openLoop } from "./load/open.ts";
import { realScheduler } from "./load/scheduler.ts";
import { Session } from "./load/session.ts";
import type { Pipe } from "./load/types.ts";
import { encodeHistogram } from "./stats/histogram.ts";
import type { WorkerJob, WorkerMessage } from "./worker-protocol.ts";

const emit = (message: WorkerMessage): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

async function main(job: WorkerJob): Promise<void> {
  if (!isDriverName(job.driver)) throw new Error(`unknown driver ${job.driver}`);
  const openPipe = DRIVERS[job.driver].pipes(job.target, job.size);
  const session = new Session(realScheduler, job.timeoutMs * 1e6);
  const pipes: Pipe[] = [];
  for (let i = 0; i < job.pipes; i++) {
    if (job.rampMs > 0 && i > 0) await Bun.sleep(job.rampMs / job.pipes);
    const pipe = await withTimeout(openPipe(i, session.eventsFor(i)), job.timeoutMs + 5000, `connection ${i + 1} of ${job.pipes} timed out`);
    session.add(pipe);
    pipes.push(pipe);
  }
  emit({ type: "ready", pipes: pipes.length });
  const go = await readOneLine(60_000);
  if (go !== "go") throw new Error("no go signal from the orchestrator");

  let cpuAtStart = process.cpuUsage();
  let cpu = { user: 0, system: 0 };
  session.onPhase = (phase) => {
    if (phase === "measure") cpuAtStart = process.cpuUsage();
    else cpu = process.cpuUsage(cpuAtStart);
    emit({ type: "phase", phase });
  };
  const phases = { warmupNs: job.warmupMs * 1e6, durationNs: job.durationMs === undefined ? undefined : job.durationMs * 1e6, count: job.count };
  if (job.model === "closed") await closedLoop(session, { ...phases, window: job.window });
  else await openLoop(session, { ...phases, ratePerSec: job.ratePerSec, maxInflightPerPipe: job.window });

  await Promise.race([Promise.allSettled(pipes.map((p) => p.close())), Bun.sleep(2000)]);
  const r = session.result();
  emit({
    type: "result",
    result: {
      counts: r.counts,
      histograms: { latency: encodeHistogram(r.latency), uncorrected: encodeHistogram(r.uncorrected), lag: encodeHistogram(r.lag) },
      sequence: r.sequence,
      measuredNs: r.measuredNs,
      cost: { userMs: cpu.user / 1000, sysMs: cpu.system / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 },
    },
  });
}

try {
  await main(JSON.parse(process.argv[2] ?? "{}") as WorkerJob);
  process.exit(0);
} catch (err) {
  emit({ type: "error", message: messageOf(err).split("\n")[0]! });
  process.exit(1);
}
