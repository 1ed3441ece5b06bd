#!/usr/bin/env bun
// One swarm process. Started by the orchestrator with a job as its argument, or with none and
// then the job as its first line on stdin ("job {...}": the orchestrator starts it while the
// server starts, so the two start-ups overlap); it opens its connections, says "ready", waits for
// "go" on stdin, runs the job, and prints its result. It never shares a process (or an event
// loop) with the server it measures.
import { createInterface } from "node:readline";
import { messageOf } from "../../lib/errors.ts";
import { withTimeout } from "../../lib/timeout.ts";
import { OPEN_LOOP_PAUSE_MS, PauseMeter } from "../../lib/pauses.ts";
import { MAX_START_WAIT_MS } from "../model/config.ts";
import type { JobContext } from "./jobs/context.ts";
import { runEchoJob } from "./jobs/echo-job.ts";
import { runPushJob } from "./jobs/push-job.ts";
import type { WorkerJob, WorkerMessage } from "./worker-protocol.ts";

const emit = (message: WorkerMessage): void => {
  process.stdout.write(`${JSON.stringify(message)}\n`);
};

/** The orchestrator's words on stdin, one per line, in order ("go", then "release"). */
const words: string[] = [];
let heard = (): void => {};
createInterface({ input: process.stdin, terminal: false }).on("line", (line) => {
  words.push(line.trim());
  heard();
});

/** The next line, once it starts with `word`; what follows the word. */
async function hear(word: string, timeoutMs: number): Promise<string> {
  const arrived = new Promise<string>((resolve) => {
    const check = (): void => {
      const line = words[0];
      if (line !== word && !line?.startsWith(`${word} `)) return;
      words.shift();
      resolve(line.slice(word.length).trim());
    };
    heard = check;
    check();
  });
  return withTimeout(arrived, timeoutMs, `no "${word}" from the orchestrator within ${timeoutMs / 1000} s`);
}

let cpuAtStart = process.cpuUsage();
let cpuMeasured: NodeJS.CpuUsage | undefined;
// This process's own pauses over the measured phase: what the platform did to it meanwhile.
const pauses = new PauseMeter().start();
let pausesMeasured: string | undefined;

const ctx: JobContext = {
  async ready(pipes) {
    emit({ type: "ready", pipes });
    // Under --start-at the orchestrator holds "go" until the agreed instant, up to a day away.
    await hear("go", MAX_START_WAIT_MS + 120_000);
  },
  released: async () => void (await hear("release", 120_000)),
  progress(done, errors, p99Ns, live) {
    emit({ type: "progress", done, errors, p99Ns, ...(live ? { live } : {}) });
  },
  liveProcess() {
    const cpu = process.cpuUsage(cpuAtStart);
    return { cpuMs: (cpu.user + cpu.system) / 1000, pauseMaxNs: pauses.takeWindowMax() };
  },
  phase(phase) {
    if (phase === "measure") {
      cpuAtStart = process.cpuUsage();
      pauses.reset();
    } else {
      cpuMeasured = process.cpuUsage(cpuAtStart);
      pausesMeasured = pauses.encoded();
    }
    emit({ type: "phase", phase, atMs: Date.now() });
  },
  cost() {
    const cpu = cpuMeasured ?? process.cpuUsage(cpuAtStart);
    return { userMs: cpu.user / 1000, sysMs: cpu.system / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  },
};

try {
  const job = JSON.parse(process.argv[2] ?? (await hear("job", 60_000))) as WorkerJob;
  // An open loop spins and sends often: its sleeper wakes every millisecond, so that the pauses
  // its late sends are judged against are seen at their length (a closed loop's process sleeps
  // between replies, and a sleeper that often would disturb what it measures).
  if (job.kind === "echo" && job.model === "open") pauses.setPeriod(OPEN_LOOP_PAUSE_MS);
  const result = job.kind === "push" ? await runPushJob(job, ctx) : await runEchoJob(job, ctx);
  emit({ type: "result", result: { ...result, pauses: pausesMeasured ?? pauses.encoded() } });
  process.exit(0);
} catch (err) {
  emit({ type: "error", message: messageOf(err).split("\n")[0]! });
  process.exit(1);
}
