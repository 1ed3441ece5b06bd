// A swarm process's stdout as messages: each line parsed once, progress reports handed to a
// listener as they come, every other message queued in order for the orchestrator to await.
import type { Child } from "../../lib/children.ts";
import { RunError } from "../../lib/errors.ts";
import type { WorkerMessage } from "./worker-protocol.ts";

type Progress = Extract<WorkerMessage, { type: "progress" }>;

/** How long an exited process's pipes may take to deliver their last lines. */
const PIPE_DRAIN_MS = 2000;

export class WorkerMessages {
  private readonly queue: WorkerMessage[] = [];
  private wake = (): void => {};
  /** Called with every progress report (the live status line). */
  onProgress: (p: Progress) => void = () => {};

  constructor(
    private readonly child: Child,
    private readonly name: string,
  ) {
    child.stdout.onLine = (line) => {
      const message = parse(line);
      if (message === undefined) return; // not a message: a stray line (a warning) is no protocol
      if (message.type === "progress") this.onProgress(message);
      else {
        this.queue.push(message);
        this.wake();
      }
    };
    // The process may end without another line: its exit, and the end of its output, wake a wait too.
    void child.stdout.finished.then(() => this.wake());
    void child.proc.exited.then(() => this.wake());
  }

  /** The next message, which must be of `type`; an error the process reports is thrown, as is silence past the timeout. */
  async next<T extends WorkerMessage["type"]>(type: T, timeoutMs: number, describeExit: () => string): Promise<Extract<WorkerMessage, { type: T }>> {
    const deadline = performance.now() + timeoutMs;
    for (;;) {
      const message = this.queue.shift();
      if (message !== undefined) {
        if (message.type === "error") throw new RunError(`${this.name}: ${message.message}`);
        if (message.type !== type) throw new RunError(`${this.name} sent ${message.type} where ${type} was due`);
        return message as Extract<WorkerMessage, { type: T }>;
      }
      const exited = this.child.proc.exitCode !== null || this.child.proc.signalCode !== null;
      const left = deadline - performance.now();
      if (exited) {
        // Its last lines may still be in the pipe: read them all before calling the exit a failure.
        // Bounded: a pipe held open by something else must not stall the run.
        await Promise.race([this.child.stdout.finished, Bun.sleep(PIPE_DRAIN_MS)]);
        if (this.queue.length > 0) continue;
        await Promise.race([this.child.stderr.finished, Bun.sleep(PIPE_DRAIN_MS)]);
        throw new RunError(describeExit());
      }
      if (left <= 0) throw new RunError(`${this.name} sent no ${type} within ${Math.round(timeoutMs / 1000)} s`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }
}

function parse(line: string): WorkerMessage | undefined {
  if (!line.startsWith("{")) return undefined;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === "object" && value !== null && "type" in value ? (value as WorkerMessage) : undefined;
  } catch {
    return undefined;
  }
}
