#!/usr/bin/env bun
import { durationOpt, flagOpt, intOpt, parseArgs, positionalChoice, stringOpt, type ParsedArgs } from "../lib/args.ts";
import { RunError, UsageError, codeOf } from "../lib/errors.ts";
import { onShutdown, runMain } from "../lib/main.ts";
import { hostPort, netRunError } from "../lib/net.ts";
import { sharedPacer } from "./pacer.ts";
import { describeProfile, parseProfile, PROFILE_NAMES, type Profile } from "./profile.ts";
import { describeTare, measureTare, type Tare } from "./tare.ts";
import { startTcpRelay } from "./tcp-relay.ts";
import type { RunningRelay, TcpRelayStats, UdpRelayStats } from "./types.ts";
import { startUdpRelay } from "./udp-relay.ts";

const USAGE = `usage: bun run netem <tcp|udp> --target HOST:PORT --net PROFILE [options]

Relays connections (tcp) or datagrams (udp) to a server, applying network conditions in user
space: delay, jitter, loss (udp only: TCP would retransmit, so loss shows as delay) and a rate cap.

  --target HOST:PORT   the server to relay to (required)
  --net PROFILE        the conditions (required), each way: "delay=20ms,jitter=2ms,loss=1%,rate=10mbit",
                       or a profile: ${PROFILE_NAMES.join(", ")} (then overrides: "wifi,loss=2%")
  --listen HOST:PORT   where to listen (default 127.0.0.1:0; port 0 picks a free one)
  --seed N             seed loss and jitter, so a run can be repeated draw for draw
  --idle S             udp: forget a client silent this long (default 60 s)
  --tare auto|off|T    what the relay itself adds to a round trip on this machine, taken off the
                       delay (half each way) so a round trip gains what the profile says: "auto"
                       (the default) measures it at start, 120 round trips at up to 5 ms each way,
                       with no delay there is nothing to take it from; or give it, e.g. 150us
  --json               machine-readable: a JSON "ready" line with the port, a JSON "stopped"
                       line with the counters on exit
  -h, --help           this help

Ctrl-C (SIGINT) or SIGTERM stops the relay and prints what it relayed.`;

const OPTIONS = {
  target: { type: "string" },
  net: { type: "string" },
  listen: { type: "string" },
  seed: { type: "string" },
  idle: { type: "string" },
  tare: { type: "string" },
  json: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

const TRANSPORTS = ["tcp", "udp"] as const;
type RelayTransport = (typeof TRANSPORTS)[number];

interface RelayCommand {
  transport: RelayTransport;
  listen: { host: string; port: number };
  target: { host: string; port: number };
  profile: Profile;
  seed?: number;
  idleMs: number;
  /** "auto": measured at start; otherwise the tare given, ns (0 for "off"). */
  tare: "auto" | number;
  json: boolean;
}

/** "127.0.0.1:8080", "localhost:0", "[::1]:8080"; records a problem and returns undefined otherwise. */
function addressOpt(args: ParsedArgs, name: string, allowZero: boolean, fallback?: string): { host: string; port: number } | undefined {
  const raw = stringOpt(args, name) ?? fallback;
  if (raw === undefined) {
    args.problems.push(`--${name} HOST:PORT is required`);
    return undefined;
  }
  const m = /^(?:\[([0-9A-Fa-f:.%a-z]+)\]|([A-Za-z0-9._-]+)):(\d{1,5})$/.exec(raw);
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535 || (!allowZero && port === 0)) {
    args.problems.push(`--${name} must be HOST:PORT such as 127.0.0.1:${allowZero ? 0 : 8080} (IPv6 as [::1]:8080), got "${raw}"`);
    return undefined;
  }
  return { host: m[1] ?? m[2]!, port };
}

function parseCommand(args: ParsedArgs): RelayCommand {
  const transport = positionalChoice(args, "transport", TRANSPORTS, "tcp");
  const listen = addressOpt(args, "listen", true, "127.0.0.1:0");
  const target = addressOpt(args, "target", false);
  let profile: Profile | undefined;
  const net = stringOpt(args, "net");
  if (net === undefined) args.problems.push(`--net PROFILE is required (e.g. "delay=20ms,jitter=2ms" or one of ${PROFILE_NAMES.join(", ")})`);
  else {
    try {
      profile = parseProfile(net);
    } catch (err) {
      args.problems.push(`--net: ${(err as Error).message}`);
    }
  }
  const seed = args.values.has("seed") ? intOpt(args, "seed", 0, 0, 2 ** 32 - 1) : undefined;
  const idleMs = durationOpt(args, "idle", 60_000);
  if (args.values.has("idle") && transport !== "udp") args.problems.push("--idle is for the udp relay");
  const tare = tareOpt(args);
  if (args.problems.length > 0 || !listen || !target || !profile) throw new UsageError(args.problems);
  return { transport, listen, target, profile, seed, idleMs, tare, json: flagOpt(args, "json") };
}

/** --tare auto (default), off, or a duration such as 150us or 0.2ms. */
function tareOpt(args: ParsedArgs): "auto" | number {
  const raw = stringOpt(args, "tare") ?? "auto";
  if (raw === "auto") return "auto";
  if (raw === "off") return 0;
  const m = /^(\d+(?:\.\d+)?)(us|µs|ms)$/.exec(raw);
  const ns = m ? Number(m[1]) * (m[2] === "ms" ? 1e6 : 1e3) : NaN;
  if (!(ns <= 10e6)) {
    args.problems.push(`--tare must be auto, off or a duration up to 10ms such as 150us, got "${raw}"`);
    return 0;
  }
  return ns;
}

function describeStats(transport: RelayTransport, stats: TcpRelayStats | UdpRelayStats): string {
  const p = stats.pacer;
  // The relay's own timing error, so a user can see that it released bytes when the profile said.
  const timing = `released ${p.ran} times, late by p50 ${p.p50LateUs} µs, p99 ${p.p99LateUs} µs, worst ${p.maxLateUs.toFixed(0)} µs (${p.lateOver1ms} over 1 ms)`;
  if (transport === "tcp") {
    const s = stats as TcpRelayStats;
    return `${s.connections} connections; bytes up ${s.bytes.up}, down ${s.bytes.down}; chunks up ${s.chunks.up}, down ${s.chunks.down}; ${timing}`;
  }
  const s = stats as UdpRelayStats;
  const way = (d: UdpRelayStats["up"]) => `${d.datagrams} datagrams (${d.bytes} bytes), ${d.dropped} dropped, ${d.overflowed} overflowed, ${d.failed} failed`;
  return `${s.flows} clients; up: ${way(s.up)}; down: ${way(s.down)}; ${timing}`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), OPTIONS);
  if (flagOpt(args, "help")) {
    console.log(USAGE);
    return 0;
  }
  const cmd = parseCommand(args);
  // Measured before the relay listens, on the same delivery queue, whose counters then start
  // over (the timer's overshoots, learnt meanwhile, are kept).
  let tare: Tare | undefined;
  if (cmd.tare === "auto") {
    try {
      tare = await measureTare(cmd.transport, cmd.profile);
    } catch (err) {
      throw new RunError(`could not measure the relay's tare (${(err as Error).message}); give one with --tare, or --tare off`);
    }
    sharedPacer.resetStats();
  }
  const tareNs = tare?.tareNs ?? (cmd.tare === "auto" ? 0 : cmd.tare);
  const options = {
    listenHost: cmd.listen.host,
    listenPort: cmd.listen.port,
    targetHost: cmd.target.host,
    targetPort: cmd.target.port,
    profile: cmd.profile,
    seed: cmd.seed,
    tareNs,
  };
  if (cmd.transport === "tcp" && cmd.profile.loss > 0) {
    console.error("netem: note: loss applies to udp only; TCP would retransmit, so on a real path loss shows as delay");
  }

  let relay: RunningRelay<TcpRelayStats | UdpRelayStats>;
  try {
    relay = cmd.transport === "tcp" ? await startTcpRelay(options) : await startUdpRelay({ ...options, idleMs: cmd.idleMs });
  } catch (err) {
    // A RunError already explains itself (an unknown target host); socket errors name the listen address.
    if (err instanceof RunError) throw err;
    if (codeOf(err) === "EADDRINUSE") {
      throw new RunError(
        `port ${cmd.listen.port} on ${cmd.listen.host} is already in use (stop the other program or pick another --listen port; port 0 picks a free one)`,
      );
    }
    throw netRunError(err, cmd.listen.host, cmd.listen.port);
  }

  // The handler goes in before the ready line: a supervisor may signal as soon as it reads it.
  const stopped = new Promise<number>((resolve) => {
    onShutdown(async () => {
      const stats = relay.stats();
      await relay.stop();
      if (cmd.json) console.log(JSON.stringify({ event: "stopped", stats }));
      else console.log(`\nRelay stopped: ${describeStats(cmd.transport, stats)}`);
      resolve(0);
    });
  });

  const net = describeProfile(cmd.profile);
  if (cmd.json) {
    console.log(
      JSON.stringify({
        event: "ready",
        transport: cmd.transport,
        host: relay.host,
        port: relay.port,
        pid: process.pid,
        target: hostPort(cmd.target.host, cmd.target.port),
        net,
        profile: cmd.profile,
        tareUs: tareNs / 1000,
        ...(tare ? { tareMeasured: tare } : {}),
      }),
    );
  } else {
    const taken = tare ? describeTare(tare, cmd.profile) : `tare ${tareNs / 1000} µs per round trip, as given`;
    console.log(`netem ${cmd.transport} relay on ${hostPort(relay.host, relay.port)} -> ${hostPort(cmd.target.host, cmd.target.port)}, ${net}; ${taken}`);
  }
  return stopped;
}

await runMain("netem", USAGE, main);
