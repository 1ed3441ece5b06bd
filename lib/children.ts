import type { Subprocess } from "bun";
import { RunError } from "./errors.ts";
import { LineCollector } from "./lines.ts";

/**
 * Child processes that are always reaped: each is tracked from spawn until it exits, and all
 * still running are killed when this process exits, however it exits (normal end, error,
 * Ctrl-C via the CLI's shutdown handler).
 */
const live = new Set<Subprocess>();

export function killAllChildren(signal: NodeJS.Signals = "SIGKILL"): void {
  for (const proc of live) proc.kill(signal);
  live.clear();
}
process.on("exit", () => killAllChildren());

export interface Child {
  proc: Subprocess<"pipe", "pipe", "pipe">;
  stdout: LineCollector;
  stderr: LineCollector;
  write(text: string): void;
  endInput(): void;
  /** Exit code; kills the process and throws if it has not exited within timeoutMs. */
  exited(timeoutMs?: number): Promise<number>;
  kill(signal?: NodeJS.Signals): void;
}

export function spawnChild(cmd: string[], cwd: string, env: Record<string, string> = {}): Child {
  const proc = Bun.spawn(cmd, { cwd, stdin: "pipe", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1", ...env } });
  live.add(proc);
  void proc.exited.then(() => live.delete(proc));
  const child: Child = {
    proc,
    stdout: new LineCollector(proc.stdout),
    stderr: new LineCollector(proc.stderr),
    write(text) {
      proc.stdin.write(text);
      proc.stdin.flush();
    },
    endInput() {
      proc.stdin.end();
    },
    async exited(timeoutMs = 10_000) {
      const timer = setTimeout(() => proc.kill("SIGKILL"), timeoutMs);
      const code = await proc.exited;
      clearTimeout(timer);
      if (proc.signalCode === "SIGKILL") throw new Error(`${cmd.join(" ")} did not exit within ${timeoutMs} ms`);
      await Promise.all([child.stdout.finished, child.stderr.finished]);
      return code;
    },
    kill(signal = "SIGTERM") {
      proc.kill(signal);
    },
  };
  return child;
}

/** The directory holding package.json, so children can be started from anywhere. */
export const PROJECT_ROOT = new URL("../", import.meta.url).pathname;

/** A CLI child that announces itself with a JSON ready line and reports its counters on SIGTERM. */
export interface JsonChild<S> extends Child {
  port: number;
  pid: number;
  /** The ready line, parsed: whatever else the child announced with it. */
  ready: Record<string, unknown>;
  /** SIGTERM, then the counters from the child's final {"event":"stopped","stats":...} line. */
  stop(): Promise<S>;
}

/**
 * Starts a CLI run with --json, waits (bounded) for its {"event":"ready","port":...,"pid":...}
 * line. If it does not come, the child is reaped and the error quotes its stderr: the lines
 * starting with `problemPrefix` when there are some (its own one-line errors), else the last few.
 */
export async function startJsonChild<S>(cmd: string[], what: string, problemPrefix: string, readyTimeoutMs = 10_000): Promise<JsonChild<S>> {
  const child = spawnChild(cmd, PROJECT_ROOT);
  let ready: { port: number; pid: number } & Record<string, unknown>;
  try {
    ready = JSON.parse(await child.stdout.waitFor(/"event":"ready"/, readyTimeoutMs));
  } catch {
    child.kill("SIGKILL");
    await child.exited().catch(() => {});
    const lines = child.stderr.text.trim().split("\n");
    const problems = lines.filter((line) => line.startsWith(problemPrefix));
    const why = (problems.length > 0 ? problems : lines.slice(-5)).join(" | ") || "no output";
    throw new RunError(`${what} did not start: ${why}`);
  }
  return {
    ...child,
    port: ready.port,
    pid: ready.pid,
    ready,
    async stop() {
      child.kill("SIGTERM");
      const line = await child.stdout.waitFor(/"event":"stopped"/, 10_000);
      await child.exited();
      return JSON.parse(line).stats as S;
    },
  };
}
