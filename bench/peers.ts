#!/usr/bin/env bun
/**
 * `bun run bench:peers`: the harness beside the tools it wants to replace, on this machine, in
 * the same CPU layouts, and the ratios. Needs sockperf, wrk and iperf3 (Debian: apt-get install
 * sockperf wrk iperf3); a missing tool's rows are skipped, saying so. Loopback only.
 */
import { mkdir } from "node:fs/promises";
import { spawnChild, killAllChildren } from "../lib/children.ts";
import { onShutdown, runMain } from "../lib/main.ts";
import { runLoad, type LoadSpec } from "./load-run.ts";
import type { PinMode } from "./orchestrate.ts";
import { pinPrefixes } from "./orchestrate.ts";
import { count, latency, table, times } from "./report/format.ts";
import { startServer } from "./server-process.ts";

interface Row {
  what: string;
  layout: string;
  harness: string;
  peer: string;
  ratio: string;
  target: string;
}

const rows: Row[] = [];
const notes: string[] = [];
const SECONDS = 3;

async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

async function output(cmd: string[], timeoutMs: number): Promise<string> {
  const child = spawnChild(cmd, process.cwd());
  await child.exited(timeoutMs);
  return `${child.stdout.text}\n${child.stderr.text}`;
}

const base: Omit<LoadSpec, "driver" | "pin"> = { clients: 1, procs: 1, size: 64, model: "closed", window: 1, ratePerSec: 0, warmupMs: 500, durationMs: SECONDS * 1000, timeoutMs: 2000, rampMs: 0 };

/** sockperf prints half the round trip ("latency"); doubled here to compare round trips. */
async function sockperfRtt(udp: boolean, pin: PinMode): Promise<number | undefined> {
  const port = await freePort();
  const prefix = pinPrefixes(pin);
  const proto = udp ? [] : ["--tcp"];
  const server = spawnChild([...prefix.server, "sockperf", "server", ...proto, "-i", "127.0.0.1", "-p", String(port)], process.cwd());
  try {
    await Bun.sleep(300);
    const text = await output([...prefix.swarm, "sockperf", "ping-pong", ...proto, "-i", "127.0.0.1", "-p", String(port), "-m", "64", "-t", String(SECONDS)], (SECONDS + 10) * 1000);
    const half = /percentile 50\.000 =\s+([\d.]+)/.exec(text)?.[1];
    return half ? Number(half) * 2 * 1000 : undefined;
  } finally {
    server.kill("SIGKILL");
  }
}

async function compareRtt(): Promise<void> {
  if (!Bun.which("sockperf")) return void notes.push("sockperf not installed: round-trip rows skipped (apt-get install sockperf)");
  for (const pin of ["same", "split"] as const) {
    const layout = pin === "same" ? "both on CPU 0" : "CPU 0 / CPU 1";
    const cTcp = await sockperfRtt(false, pin);
    const cUdp = await sockperfRtt(true, pin);
    for (const [driver, floor, target, name] of [["tcp", cTcp, 1.2, "TCP"], ["udp", cUdp, 1.2, "UDP"], ["ws", cTcp, 1.5, "WebSocket (vs C TCP)"]] as const) {
      const r = await runLoad({ ...base, driver, pin });
      rows.push({
        what: `rtt p50, ${name}, 64 B`,
        layout,
        harness: latency(r.latency.p50),
        peer: floor ? `${latency(floor)} (sockperf)` : "no result",
        ratio: floor ? times(r.latency.p50 / floor) : "—",
        target: `≤ ${target}×`,
      });
    }
  }
}

async function compareHttp(): Promise<void> {
  if (!Bun.which("wrk")) return void notes.push("wrk not installed: HTTP row skipped (apt-get install wrk)");
  const ours = await runLoad({ ...base, driver: "http", clients: 50, pin: "none" });
  const server = await startServer("http", ["--mode", "echo", "--quiet"]);
  try {
    const script = "/tmp/socketlab-wrk-post.lua";
    await Bun.write(script, 'wrk.method = "POST"\nwrk.body = string.rep("x", 64)\nwrk.headers["Content-Type"] = "application/octet-stream"\n');
    const text = await output(["wrk", "-t1", "-c50", `-d${SECONDS}s`, "-s", script, `http://127.0.0.1:${server.port}/echo`], (SECONDS + 15) * 1000);
    const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1] ?? NaN);
    rows.push({ what: "HTTP POST /echo 64 B, 50 connections, 1 in flight each", layout: "not pinned", harness: `${count(ours.opsPerSec)} req/s`, peer: `${count(rps)} req/s (wrk -t1 -c50)`, ratio: times(ours.opsPerSec / rps), target: "≥ 1.0×" });
  } finally {
    server.kill("SIGKILL");
  }
}

async function compareUdp(): Promise<void> {
  if (!Bun.which("iperf3")) return void notes.push("iperf3 not installed: UDP row skipped (apt-get install iperf3)");
  const port = await freePort();
  const server = spawnChild(["iperf3", "-s", "-1", "-p", String(port)], process.cwd());
  let pps: number;
  let peerLoss: number;
  try {
    await Bun.sleep(300);
    const text = await output(["iperf3", "-c", "127.0.0.1", "-p", String(port), "-u", "-l", "64", "-b", "0", "-t", String(SECONDS), "--json"], (SECONDS + 15) * 1000);
    const sum = (JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as { end: { sum: { packets: number; seconds: number; lost_percent: number } } }).end.sum;
    pps = sum.packets / sum.seconds;
    peerLoss = sum.lost_percent;
  } finally {
    server.kill("SIGKILL");
  }
  // As fast as possible, like iperf3 -b 0: offer more than can be sent, and see what left.
  const ours = await runLoad({ ...base, driver: "udp-oneway", model: "open", ratePerSec: 500_000, window: 10_000, pin: "none" });
  const loss = ours.oneWay && ours.oneWay.sent ? (100 * ours.oneWay.lost) / ours.oneWay.sent : 0;
  rows.push({
    what: "UDP 64 B one way, as fast as possible: datagrams sent/s",
    layout: "not pinned",
    harness: `${count(ours.opsPerSec)}/s, loss ${loss.toFixed(2)}%`,
    peer: `${count(pps)}/s, loss ${peerLoss.toFixed(2)}% (iperf3 -u -b 0)`,
    ratio: times(ours.opsPerSec / pps),
    target: "≥ 1.0×",
  });
  const echo = await runLoad({ ...base, driver: "udp", window: 64, pin: "none" });
  notes.push(`UDP echo (both directions, one process each end, 64 in flight): ${count(echo.opsPerSec)} round trips/s, loss ${echo.sequence.sent ? ((100 * echo.sequence.lost) / echo.sequence.sent).toFixed(3) : "0"}%.`);
}

await runMain("bench:peers", "usage: bun run bench:peers", async () => {
  onShutdown(() => {
    killAllChildren();
    process.exit(130);
  });
  await compareRtt();
  await compareHttp();
  await compareUdp();
  const md = [
    `# socketlab against its peers`,
    "",
    `${new Date().toISOString()} · Bun ${Bun.version} · ${navigator.hardwareConcurrency} CPUs · ${SECONDS} s per measurement`,
    "",
    table(["measurement", "CPU layout", "socketlab", "peer", "ratio", "target"], rows.map((r) => [r.what, r.layout, r.harness, r.peer, r.ratio, r.target])),
    "",
    ...notes.map((n) => `- ${n}`),
    "",
  ].join("\n");
  console.log(md);
  await mkdir("reports", { recursive: true });
  const path = `reports/${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}-peers.md`;
  await Bun.write(path, md);
  console.log(`Written: ${path}`);
  return 0;
});
