/**
 * Bytes on the wire, as the kernel counted them on the server's TCP sockets (`ss -ti`:
 * bytes_received / bytes_sent and segments, per established connection on the server's port).
 * Measured, not estimated from header sizes. Connections that close between two readings drop
 * out of the second one, so this is for runs whose connections stay open.
 */
export interface WireCount {
  connections: number;
  /** When it was read (a difference: how long the counting lasted), ms. */
  atMs: number;
  /** Client to server: TCP payload bytes and segments. */
  bytesIn: number;
  segmentsIn: number;
  /** Server to client. */
  bytesOut: number;
  segmentsOut: number;
}

export function wireCount(port: number): WireCount | undefined {
  const before = performance.now();
  const run = Bun.spawnSync(["ss", "-tinH", "state", "established", `( sport = :${port} )`]);
  // The kernel is read somewhere during the call: its midpoint is the best guess of when.
  const atMs = (before + performance.now()) / 2;
  if (run.exitCode !== 0) return undefined;
  const text = run.stdout.toString();
  const total: WireCount = { connections: 0, atMs, bytesIn: 0, segmentsIn: 0, bytesOut: 0, segmentsOut: 0 };
  const field = (info: string, name: string) => Number(new RegExp(`\\b${name}:(\\d+)`).exec(info)?.[1] ?? 0);
  // Each socket is a header line followed by an indented line of TCP info.
  for (const info of text.split("\n").filter((line) => /^\s/.test(line) && line.includes("segs_out"))) {
    total.connections++;
    total.bytesIn += field(info, "bytes_received");
    total.segmentsIn += field(info, "segs_in");
    total.bytesOut += field(info, "bytes_sent");
    total.segmentsOut += field(info, "segs_out");
  }
  return total;
}

export function diffWire(before: WireCount | undefined, after: WireCount | undefined): WireCount | undefined {
  if (!before || !after) return undefined;
  return {
    connections: after.connections,
    atMs: after.atMs - before.atMs,
    bytesIn: after.bytesIn - before.bytesIn,
    segmentsIn: after.segmentsIn - before.segmentsIn,
    bytesOut: after.bytesOut - before.bytesOut,
    segmentsOut: after.segmentsOut - before.segmentsOut,
  };
}

/**
 * Bytes and segments per operation, each direction. The counters are read by the orchestrator a
 * moment after the swarm starts and ends its measured phase, so the two windows differ slightly;
 * dividing rates (bytes per second by operations per second) cancels that difference.
 */
export function perOperation(wire: WireCount | undefined, opsPerSec: number): { in: number; out: number; segmentsIn: number; segmentsOut: number } | undefined {
  if (!wire || wire.connections === 0 || wire.atMs <= 0 || opsPerSec <= 0) return undefined;
  const per = (n: number) => n / (wire.atMs / 1000) / opsPerSec;
  return { in: per(wire.bytesIn), out: per(wire.bytesOut), segmentsIn: per(wire.segmentsIn), segmentsOut: per(wire.segmentsOut) };
}

/**
 * TCP sockets in TIME_WAIT on this machine. Each holds a local port for a minute after a close,
 * and thousands of them slow the search for a free port in every new connect.
 */
export function timeWaitSockets(): number | undefined {
  const run = Bun.spawnSync(["ss", "-tanH", "state", "time-wait"]);
  if (run.exitCode !== 0) return undefined;
  return run.stdout
    .toString()
    .split("\n")
    .filter((line) => line.trim()).length;
}
