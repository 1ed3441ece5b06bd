#!/usr/bin/env bun
// `bun run bench:peers [--rounds N] [--seconds S]`: the harness beside the tools it wants to
// replace, and beside the smallest Bun programs doing the same exchange (what Bun itself costs,
// so runtime cost and harness cost show apart), on this machine, in the same CPU layouts. Each pair is measured in alternating rounds
// (peer, harness, peer, harness, ...) and reported as medians with their range, because a single
// run on a small VM can be off by 20%. Needs sockperf, wrk, nginx and iperf3 (Debian: apt-get
// install sockperf wrk nginx iperf3); a missing tool's rows are skipped, saying so. Loopback only.
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { selfSignedIdentity } from "../../lib/tls.ts";
import { intOpt, parseArgs, stringOpt } from "../../lib/args.ts";
import { freePort } from "../../lib/net.ts";
import { PROJECT_ROOT, killAllChildren, spawnChild } from "../../lib/children.ts";
import { UsageError } from "../../lib/errors.ts";
import { onShutdown, runMain } from "../../lib/main.ts";
import { runLoad } from "../run/load-run.ts";
import { pinPrefixes } from "../run/orchestrate.ts";
import { count, latency, table } from "../model/format.ts";
import { startServer } from "../run/server-process.ts";
import type { LoadSpec, PinMode } from "../model/spec.ts";
import { median } from "../stats/median.ts";
import { bareHttpRate, bareRoundTrip } from "./bare.ts";

const GROUPS = ["rtt", "http", "nginx", "udp"] as const;
const USAGE = `usage: bun run bench:peers [--rounds N (default 3)] [--seconds S per measurement (default 3)] [--only ${GROUPS.join(",")}]`;

interface Row {
  what: string;
  layout: string;
  harness: string;
  peer: string;
  ratio: string;
  target: string;
}

/** Median and range of a list of measurements. */
function spread(values: number[], show: (v: number) => string): { median: number; text: string } {
  const sorted = [...values].sort((a, b) => a - b);
  const m = median(sorted);
  return { median: m, text: sorted.length > 1 ? `${show(m)} (${show(sorted[0]!)}–${show(sorted.at(-1)!)})` : show(m) };
}

async function output(cmd: string[], timeoutMs: number): Promise<string> {
  const child = spawnChild(cmd, PROJECT_ROOT);
  await child.exited(timeoutMs);
  return `${child.stdout.text}\n${child.stderr.text}`;
}

class Peers {
  readonly rows: Row[] = [];
  readonly notes: string[] = [];
  constructor(
    readonly rounds: number,
    readonly seconds: number,
  ) {}

  private base(driver: LoadSpec["driver"], pin: PinMode): LoadSpec {
    return {
      driver,
      clients: 1,
      procs: 1,
      size: 64,
      model: "closed",
      window: 1,
      ratePerSec: 0,
      warmupMs: 500,
      durationMs: this.seconds * 1000,
      timeoutMs: 2000,
      rampMs: 0,
      pin,
    };
  }

  /** Alternates peer and harness measurements; returns both lists. */
  private async alternate(peer: () => Promise<number | undefined>, ours: () => Promise<number>): Promise<{ peer: number[]; ours: number[] }> {
    const [p, o] = await this.rotate([peer, ours]);
    return { peer: p!, ours: o! };
  }

  /** Takes each measurement in turn, round after round (A B C, A B C, ...); one list each, without failures. */
  private async rotate(measures: (() => Promise<number | undefined>)[]): Promise<number[][]> {
    const out = measures.map(() => [] as number[]);
    for (let i = 0; i < this.rounds; i++) {
      for (const [j, measure] of measures.entries()) {
        const v = await measure();
        if (v !== undefined) out[j]!.push(v);
      }
    }
    return out;
  }

  private row(what: string, layout: string, values: { peer: number[]; ours: number[] }, show: (v: number) => string, peerName: string, target: string): void {
    if (values.peer.length === 0) return void this.notes.push(`${what} (${layout}): ${peerName} gave no result`);
    if (values.ours.length === 0) return void this.notes.push(`${what} (${layout}): socketlab gave no result`);
    const ours = spread(values.ours, show);
    const peer = spread(values.peer, show);
    // A peer's median of 0 (no loss) leaves no ratio to give; the two figures stand side by side.
    const ratio = peer.median === 0 ? "—" : `${(ours.median / peer.median).toFixed(2)}×`;
    this.rows.push({ what, layout, harness: ours.text, peer: `${peer.text} ${peerName}`, ratio, target });
  }

  /** sockperf prints half the round trip ("latency"); doubled here to compare round trips. */
  private async sockperfRtt(udp: boolean, pin: PinMode): Promise<number | undefined> {
    const port = freePort();
    const prefix = pinPrefixes(pin);
    const proto = udp ? [] : ["--tcp"];
    const server = spawnChild([...prefix.server, "sockperf", "server", ...proto, "-i", "127.0.0.1", "-p", String(port)], PROJECT_ROOT);
    try {
      await Bun.sleep(300);
      const text = await output(
        [...prefix.swarm, "sockperf", "ping-pong", ...proto, "-i", "127.0.0.1", "-p", String(port), "-m", "64", "-t", String(this.seconds)],
        (this.seconds + 10) * 1000,
      );
      const half = /percentile 50\.000 =\s+([\d.]+)/.exec(text)?.[1];
      return half ? Number(half) * 2 * 1000 : undefined;
    } finally {
      server.kill("SIGKILL");
    }
  }

  /**
   * Round trips, one message in flight, in both CPU layouts: the harness against the smallest
   * Bun programs doing the same (bench/tools/bare.ts: what Bun itself costs) and against
   * sockperf (what C costs), all three in turn.
   */
  async rtt(): Promise<void> {
    const sockperf = Bun.which("sockperf") !== null;
    if (!sockperf) this.notes.push("sockperf not installed: its round-trip rows are skipped (apt-get install sockperf); the bare-Bun rows remain");
    for (const pin of ["same", "split"] as const) {
      const layout = pin === "same" ? "both on CPU 0" : "CPU 0 / CPU 1";
      for (const [driver, udp, target, name] of [
        ["tcp", false, "≤ 1.2×", "TCP"],
        ["udp", true, "≤ 1.2×", "UDP"],
        ["ws", false, "≤ 1.5×", "WebSocket (vs C TCP)"],
      ] as const) {
        const [bare, ours, peer] = await this.rotate([
          () => bareRoundTrip(driver, this.seconds, pinPrefixes(pin)),
          async () => (await runLoad(this.base(driver, pin))).latency.p50,
          ...(sockperf ? [() => this.sockperfRtt(udp, pin)] : []),
        ]);
        this.row(`round trip p50, ${name.replace(" (vs C TCP)", "")}, 64 B`, layout, { peer: bare!, ours: ours! }, latency, "(bare Bun)", "≤ 1.05×");
        if (peer) this.row(`round trip p50, ${name}, 64 B`, layout, { peer, ours: ours! }, latency, "(sockperf ping-pong)", target);
      }
    }
  }

  async http(): Promise<void> {
    if (!Bun.which("wrk")) return void this.notes.push("wrk not installed: HTTP row skipped (apt-get install wrk)");
    const script = "/tmp/socketlab-wrk-post.lua";
    await Bun.write(script, 'wrk.method = "POST"\nwrk.body = string.rep("x", 64)\nwrk.headers["Content-Type"] = "application/octet-stream"\n');
    /** Our HTTP echo server, started afresh for `measure`, as the harness's run starts its own. */
    const withServer = async (measure: (port: number) => Promise<number | undefined>): Promise<number | undefined> => {
      const server = await startServer("http", ["--mode", "echo", "--quiet"]);
      try {
        return await measure(server.port);
      } finally {
        server.kill("SIGKILL");
      }
    };
    const [wrk, ours, bare] = await this.rotate([
      () =>
        withServer(async (port) => {
          const text = await output(["wrk", "-t1", "-c50", `-d${this.seconds}s`, "-s", script, `http://127.0.0.1:${port}/echo`], (this.seconds + 15) * 1000);
          const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
          return Number.isFinite(rps) ? rps : undefined;
        }),
      async () => (await runLoad({ ...this.base("http", "none"), clients: 50 })).opsPerSec,
      () => withServer((port) => bareHttpRate(port, this.seconds, 50)),
    ]);
    const what = "HTTP POST /echo, 64 B, 50 connections, 1 in flight each: requests/s";
    this.row(what, "not pinned", { peer: bare!, ours: ours! }, (v) => count(v), "(bare Bun)", "≥ 0.95×");
    this.row(what, "not pinned", { peer: wrk!, ours: ours! }, (v) => count(v), "(wrk -t1 -c50)", "≥ 1.0×");
  }

  /**
   * A server neither project wrote: nginx (one worker) serving a 64-byte file, over http and
   * https, to 50 keep-alive connections with one request in flight each; wrk against socketlab
   * with the same URL (bench --target URL).
   */
  async nginx(): Promise<void> {
    if (!Bun.which("nginx")) return void this.notes.push("nginx not installed: the foreign-server rows are skipped (apt-get install nginx)");
    if (!Bun.which("wrk")) return void this.notes.push("wrk not installed: the foreign-server rows are skipped (apt-get install wrk)");
    const dir = await mkdtemp(join(tmpdir(), "socketlab-nginx-"));
    const [plain, tls] = [freePort(), freePort()];
    const identity = await selfSignedIdentity();
    await Bun.write(join(dir, "cert.pem"), identity.cert);
    await Bun.write(join(dir, "key.pem"), identity.key);
    await Bun.write(join(dir, "html", "64.bin"), "x".repeat(64));
    await Bun.write(
      join(dir, "nginx.conf"),
      `worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  keepalive_requests 1000000;
  server {
    listen 127.0.0.1:${plain};
    listen 127.0.0.1:${tls} ssl;
    ssl_certificate ${dir}/cert.pem;
    ssl_certificate_key ${dir}/key.pem;
    root ${dir}/html;
  }
}
`,
    );
    const nginx = spawnChild(["nginx", "-p", dir, "-c", join(dir, "nginx.conf"), "-g", "daemon off; master_process off;"], PROJECT_ROOT);
    try {
      await Bun.sleep(500);
      if (nginx.proc.exitCode !== null) return void this.notes.push(`nginx did not start: ${nginx.stderr.text.trim().split("\n").at(-1)}`);
      for (const [scheme, port] of [
        ["http", plain],
        ["https", tls],
      ] as const) {
        const url = `${scheme}://127.0.0.1:${port}/64.bin`;
        const values = await this.alternate(
          async () => {
            const text = await output(["wrk", "-t1", "-c50", `-d${this.seconds}s`, url], (this.seconds + 15) * 1000);
            const rps = Number(/Requests\/sec:\s+([\d.]+)/.exec(text)?.[1]);
            return Number.isFinite(rps) && !/Non-2xx/.test(text) ? rps : undefined;
          },
          async () => {
            const r = await runLoad({
              ...this.base(scheme, "none"),
              clients: 50,
              size: 0,
              target: { host: "127.0.0.1", port, ...(scheme === "https" ? { tls: { insecure: true } } : {}) },
              exchange: {
                url,
                scheme,
                path: "/64.bin",
                method: "GET",
                headers: [],
                expectStatus: [],
                frame: "none",
                match: "echo",
                newConnection: false,
                pipeline: 1,
              },
            });
            return r.counts.errors && Object.keys(r.counts.errors).length ? 0 : r.opsPerSec;
          },
        );
        this.row(
          `${scheme.toUpperCase()} GET of a 64 B file from nginx (1 worker), 50 keep-alive connections, 1 in flight each: requests/s`,
          "not pinned",
          values,
          (v) => count(v),
          "(wrk -t1 -c50)",
          "≥ 1.0×",
        );
      }
    } finally {
      nginx.kill("SIGKILL");
      await nginx.exited(5000).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    }
  }

  async udp(): Promise<void> {
    if (!Bun.which("iperf3")) return void this.notes.push("iperf3 not installed: UDP row skipped (apt-get install iperf3)");
    const losses = { ours: [] as number[], peer: [] as number[], matched: [] as number[] };
    let peerRate = 0;
    /** Ours one way at `ratePerSec`; its loss goes to `into`. */
    const ours = async (ratePerSec: number, into: number[]): Promise<number> => {
      const r = await runLoad({ ...this.base("udp-oneway", "none"), model: "open", ratePerSec, window: 10_000 });
      into.push(r.oneWay?.sent ? (100 * r.oneWay.lost) / r.oneWay.sent : 0);
      return r.opsPerSec;
    };
    const [peer, fastest, matched] = await this.rotate([
      async () => {
        const port = freePort();
        const server = spawnChild(["iperf3", "-s", "-1", "-p", String(port)], PROJECT_ROOT);
        try {
          await Bun.sleep(300);
          const text = await output(
            ["iperf3", "-c", "127.0.0.1", "-p", String(port), "-u", "-l", "64", "-b", "0", "-t", String(this.seconds), "--json"],
            (this.seconds + 15) * 1000,
          );
          const sum = (
            JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as { end: { sum: { packets: number; seconds: number; lost_percent: number } } }
          ).end.sum;
          losses.peer.push(sum.lost_percent);
          peerRate = sum.packets / sum.seconds;
          return peerRate;
        } finally {
          server.kill("SIGKILL");
        }
      },
      // As fast as possible, like iperf3 -b 0: offer more than can be sent and see what left.
      () => ours(2_000_000, losses.ours),
      // At the rate iperf3 just reached: loss at the same rate is the comparison that is fair to both.
      async () => (peerRate > 0 ? ours(Math.round(peerRate), losses.matched) : undefined),
    ]);
    this.row(
      "UDP 64 B one way, as fast as possible: datagrams sent/s",
      "not pinned",
      { peer: peer!, ours: fastest! },
      (v) => count(v),
      "(iperf3 -u -b 0)",
      "≥ 1.0×",
    );
    const pct = (v: number) => `${v.toFixed(2)}%`;
    this.row("UDP 64 B one way, as fast as possible: loss", "not pinned", { peer: losses.peer, ours: losses.ours }, pct, "(iperf3 -u -b 0)", "≤ 1.0×");
    this.row(
      "UDP 64 B one way at the rate iperf3 reached in the same round: loss",
      "not pinned",
      { peer: losses.peer, ours: losses.matched },
      pct,
      "(iperf3 -u -b 0)",
      "≤ 1.0×",
    );
    this.notes.push(
      `${matched!.length ? `At iperf3's rate socketlab sent ${spread(matched!, count).text} datagrams/s. ` : ""}Loss is what the receiver never got; the receivers differ (our UDP server in sink mode, on Bun, against iperf3's own, in C), so a loss beside iperf3's says as much about the two receivers as about the two senders.`,
    );
  }

  markdown(): string {
    return [
      "# socketlab against its peers",
      "",
      `${new Date().toISOString()} · Bun ${Bun.version} · ${navigator.hardwareConcurrency} CPUs · ${this.rounds} alternating rounds of ${this.seconds} s each; medians, with the range in parentheses`,
      "",
      table(
        ["measurement", "CPU layout", "socketlab", "peer", "ratio of medians", "target"],
        this.rows.map((r) => [r.what, r.layout, r.harness, r.peer, r.ratio, r.target]),
      ),
      "",
      ...this.notes.map((n) => `- ${n}`),
      "",
    ].join("\n");
  }
}

await runMain("bench:peers", USAGE, async () => {
  const args = parseArgs(process.argv.slice(2), {
    rounds: { type: "string" },
    seconds: { type: "string" },
    only: { type: "string" },
    help: { type: "boolean", short: "h" },
  });
  if (args.values.has("help")) {
    console.log(USAGE);
    return 0;
  }
  const rounds = intOpt(args, "rounds", 3, 1, 50);
  const seconds = intOpt(args, "seconds", 3, 1, 60);
  const only = (stringOpt(args, "only") ?? GROUPS.join(",")).split(",").map((g) => g.trim());
  for (const g of only) if (!(GROUPS as readonly string[]).includes(g)) args.problems.push(`--only: unknown group "${g}" (use ${GROUPS.join(", ")})`);
  if (args.positionals.length) args.problems.push(`unexpected argument "${args.positionals[0]}"`);
  if (args.problems.length) throw new UsageError(args.problems);
  onShutdown(() => {
    killAllChildren();
    process.exit(130);
  });
  const peers = new Peers(rounds, seconds);
  for (const group of GROUPS) if (only.includes(group)) await peers[group]();
  const md = peers.markdown();
  console.log(md);
  await mkdir("reports", { recursive: true });
  const path = `reports/${new Date().toISOString().slice(0, 19).replace(/:/g, "-")}-peers.md`;
  await Bun.write(path, md);
  console.log(`Written: ${path}`);
  return 0;
});
