import { readFileSync } from "node:fs";
import os from "node:os";
import type { PinMode } from "../model/spec.ts";
import type { Environment } from "../model/results.ts";

function osName(): string {
  try {
    const pretty = /^PRETTY_NAME="?([^"\n]+)"?/m.exec(readFileSync("/etc/os-release", "utf8"))?.[1];
    if (pretty) return pretty;
  } catch {
    // not Linux, or no os-release: fall through
  }
  return `${os.type()} ${os.release()}`;
}

function gitCommit(): string | undefined {
  const run = Bun.spawnSync(["git", "rev-parse", "--short", "HEAD"], { cwd: new URL("../../", import.meta.url).pathname, stderr: "ignore" });
  return run.exitCode === 0 ? run.stdout.toString().trim() : undefined;
}

export const PIN_DESCRIPTIONS: Record<PinMode, string> = {
  none: "not pinned: the kernel placed the server and the swarm",
  same: "server and swarm pinned together on CPU 0 (taskset)",
  split: "server pinned on CPU 0, swarm on CPU 1 (taskset)",
};

export function environment(pinning: PinMode, placement: string): Environment {
  return {
    bun: Bun.version,
    os: osName(),
    kernel: os.release(),
    arch: os.arch(),
    cpuModel: os.cpus()[0]?.model.trim() ?? "unknown",
    cpus: os.cpus().length,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    pinning,
    placement,
    gitCommit: gitCommit(),
  };
}
