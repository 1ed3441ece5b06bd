// What a process costs, read from /proc (Linux): CPU time (user + system, all threads) and peak
// resident memory, plus where the scheduler let it run. Reported for the server and the load
// generator alike, so a reader can see which one was the bottleneck.
import { readFileSync } from "node:fs";

export interface CpuTime {
  userMs: number;
  sysMs: number;
}

export interface ProcessCost extends CpuTime {
  peakRssBytes: number;
}

let ticksPerSecond: number | undefined;

function clockTicks(): number {
  if (ticksPerSecond === undefined) {
    const out = Bun.spawnSync(["getconf", "CLK_TCK"]).stdout.toString().trim();
    ticksPerSecond = Number(out) > 0 ? Number(out) : 100;
  }
  return ticksPerSecond;
}

/** Fields of /proc/PID/stat after the command name (which may contain spaces and parentheses). */
function statFields(pid: number): string[] {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
}

/** CPU time used so far; undefined if the process is gone. Resolution: one clock tick (10 ms). */
export function cpuTimeOf(pid: number): CpuTime | undefined {
  try {
    const f = statFields(pid);
    const toMs = 1000 / clockTicks();
    // Fields 14 and 15 of stat (utime, stime); the slice starts at field 3.
    return { userMs: Number(f[11]) * toMs, sysMs: Number(f[12]) * toMs };
  } catch {
    return undefined;
  }
}

function statusField(pid: number, name: string): string | undefined {
  try {
    return new RegExp(`^${name}:\\s*(.+)$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"))?.[1]?.trim();
  } catch {
    return undefined;
  }
}

/** Peak resident set size (VmHWM), bytes; 0 if unknown. */
export function peakRssOf(pid: number): number {
  const kb = statusField(pid, "VmHWM");
  return kb ? Number.parseInt(kb, 10) * 1024 : 0;
}

export interface Placement {
  /** CPUs the process may run on, as the kernel lists them ("0-1", "0"). */
  allowed: string;
  /** The CPU it last ran on. */
  lastCpu: number;
}

export function placementOf(pid: number): Placement | undefined {
  try {
    const allowed = statusField(pid, "Cpus_allowed_list") ?? "?";
    return { allowed, lastCpu: Number(statFields(pid)[36]) };
  } catch {
    return undefined;
  }
}

export function diffCpu(before: CpuTime | undefined, after: CpuTime | undefined): CpuTime {
  if (!before || !after) return { userMs: 0, sysMs: 0 };
  return { userMs: after.userMs - before.userMs, sysMs: after.sysMs - before.sysMs };
}

/** CPU time per operation, microseconds (0 when nothing completed). */
export function cpuPerOpUs(cost: CpuTime, completed: number): number {
  return completed > 0 ? ((cost.userMs + cost.sysMs) * 1000) / completed : 0;
}
