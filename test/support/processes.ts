import type { Subprocess } from "bun";
import type { Transport } from "../../protocol/limits.ts";
import type { ServerStats } from "../../servers/types.ts";
import { LineCollector } from "./lines.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const live = new Set<Subprocess>();

/** Kills whatever a test left running; registered for every test file that spawns. */
export function killAll(): void {
  for (const proc of live) proc.kill("SIGKILL");
  live.clear();
}
process.on("exit", killAll);

export interface Child {
  proc: Subprocess<"pipe", "pipe", "pipe">;
  stdout: LineCollector;
  stderr: LineCollector;
  write(text: string): void;
  endInput(): void;
  /** Exit code, or throws if the process has not exited within timeoutMs (it is killed then). */
  exited(timeoutMs?: number): Promise<number>;
}

export function spawnCli(args: string[]): Child {
  const proc = Bun.spawn(["bun", ...args], { cwd: ROOT, stdin: "pipe", stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
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
      if (proc.signalCode === "SIGKILL") throw new Error(`${args.join(" ")} did not exit within ${timeoutMs} ms:\n${child.stdout.text}\n${child.stderr.text}`);
      await Promise.all([child.stdout.finished, child.stderr.finished]);
      return code;
    },
  };
  return child;
}

/** Runs a CLI to completion with the given input; bounded by timeoutMs. */
export async function runCli(args: string[], input = "", timeoutMs = 15_000): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = spawnCli(args);
  if (input) child.write(input);
  child.endInput();
  const code = await child.exited(timeoutMs);
  return { code, stdout: child.stdout.text, stderr: child.stderr.text };
}

export interface ServerChild extends Child {
  port: number;
  /** SIGTERM, then the counters from the server's final JSON line. */
  stop(): Promise<ServerStats>;
}

/** Starts `bun run server <transport> --port 0 --json ...` and waits for its ready line. */
export async function startServer(transport: Transport, extra: string[] = []): Promise<ServerChild> {
  const child = spawnCli(["servers/cli.ts", transport, "--port", "0", "--json", ...extra]);
  let ready: { port: number };
  try {
    ready = JSON.parse(await child.stdout.waitFor(/"event":"ready"/, 10_000));
  } catch (err) {
    child.proc.kill("SIGKILL");
    throw new Error(`the ${transport} server did not start: ${(err as Error).message}\nstderr:\n${child.stderr.text}`);
  }
  return {
    ...child,
    port: ready.port,
    async stop() {
      child.proc.kill("SIGTERM");
      const line = await child.stdout.waitFor(/"event":"stopped"/, 10_000);
      await child.exited();
      return JSON.parse(line).stats as ServerStats;
    },
  };
}
