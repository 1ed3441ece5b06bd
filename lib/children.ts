import type { Subprocess } from "bun";
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
