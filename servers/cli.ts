#!/usr/bin/env bun
import { PauseMeter } from "../lib/pauses.ts";
import { UsageError } from "../lib/errors.ts";
import { choiceOpt, flagOpt, hostOpt, intOpt, parseArgs, portOpt, positionalChoice, stringOpt, type ParsedArgs } from "../lib/args.ts";
import type { TlsIdentity } from "../lib/tls.ts";
import { runMain, onShutdown } from "../lib/main.ts";
import { netRunError } from "../lib/net.ts";
import { readLines } from "../lib/stdin.ts";
import { DEFAULT_HOST, DEFAULT_PORTS, MAX_MESSAGE_BYTES, MAX_UDP_PAYLOAD, TLS_ALIASES, TRANSPORTS, type Transport } from "../protocol/limits.ts";
import { SERVERS } from "./index.ts";
import { SERVER_MODES, type RunningServer, type ServerMode, type ServerStats } from "./types.ts";

const USAGE = `usage: bun run server <tcp|udp|ws|http|https|wss> [options]

  --host H          address to listen on (default ${DEFAULT_HOST}; 0.0.0.0 to accept other computers)
  --port P          port (default tcp ${DEFAULT_PORTS.tcp}, udp ${DEFAULT_PORTS.udp}, ws ${DEFAULT_PORTS.ws}, http ${DEFAULT_PORTS.http}; 0 picks a free one)
  --mode M          hello | echo | chat | push | sink (default hello; chat for ws)
                      tcp: hello, echo    udp: hello, echo, sink (count only)
                      ws, http: hello, echo, chat, push
                    chat (ws, http) also answers a browser with a chat page at http(s)://HOST:PORT/
  --drop-every N    udp: ignore every Nth datagram (fault injection, to see loss counted)
  --rate R          push: events published per second (default 10)
  --event-size B    push: bytes of data in each event (default 64)
  --max-message N   largest message accepted, bytes (default ${MAX_MESSAGE_BYTES}; udp is capped at ${MAX_UDP_PAYLOAD} by IP)
  --tls             serve over TLS (tcp, ws, http) with a self-signed certificate made at start,
                    whose SHA-256 fingerprint is printed; https and wss are http and ws with --tls
  --cert F --key F  serve over TLS with this certificate and key (PEM files) instead
  --cors            http: let pages from any origin call it (Access-Control-Allow-Origin: *,
                    Timing-Allow-Origin: *), for a browser page served elsewhere
  --json            machine-readable: a JSON "ready" line with the port, a JSON "stopped" line
                    with the counters on exit; activity lines go to stderr
  --quiet           no per-message activity lines
  -h, --help        this help

Ctrl-C (SIGINT) or SIGTERM stops the server and prints what it served and rejected.
In chat mode, lines typed on standard input go to every connected client.`;

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  mode: { type: "string" },
  "max-message": { type: "string" },
  rate: { type: "string" },
  "drop-every": { type: "string" },
  "event-size": { type: "string" },
  tls: { type: "boolean" },
  cert: { type: "string" },
  key: { type: "string" },
  cors: { type: "boolean" },
  json: { type: "boolean" },
  quiet: { type: "boolean" },
  help: { type: "boolean", short: "h" },
} as const;

interface ServerCommand {
  transport: Transport;
  host: string;
  port: number;
  mode: ServerMode;
  maxMessage: number;
  push?: { ratePerSec: number; eventSize: number };
  dropEvery?: number;
  /** TLS: a certificate made at start, or one from files. */
  tls?: { files?: { cert: string; key: string } };
  cors: boolean;
  json: boolean;
  quiet: boolean;
}

function parseCommand(args: ParsedArgs): ServerCommand {
  const alias = TLS_ALIASES[args.positionals[0] ?? ""];
  const transport = alias ?? positionalChoice(args, "transport", TRANSPORTS, "tcp");
  if (alias && args.positionals.length > 1) args.problems.push(`unexpected argument "${args.positionals[1]}"`);

  const entry = SERVERS[transport];
  const mode = choiceOpt(args, "mode", SERVER_MODES, entry.defaultMode);
  if (!entry.modes.includes(mode)) args.problems.push(`the ${transport} server has no ${mode} mode (it has: ${entry.modes.join(", ")})`);
  for (const option of ["rate", "event-size"]) {
    if (mode !== "push" && args.values.has(option)) args.problems.push(`--${option} goes with --mode push`);
  }
  const cap = transport === "udp" ? MAX_UDP_PAYLOAD : 64 << 20;
  const command: ServerCommand = {
    transport,
    host: hostOpt(args, DEFAULT_HOST),
    port: portOpt(args, DEFAULT_PORTS[transport], true),
    mode,
    maxMessage: intOpt(args, "max-message", Math.min(MAX_MESSAGE_BYTES, cap), 1, cap),
    push: mode === "push" ? { ratePerSec: intOpt(args, "rate", 10, 1, 100_000), eventSize: intOpt(args, "event-size", 64, 0, MAX_MESSAGE_BYTES) } : undefined,
    dropEvery: args.values.has("drop-every") ? intOpt(args, "drop-every", 0, 2, 1_000_000) : undefined,
    cors: flagOpt(args, "cors"),
    json: flagOpt(args, "json"),
    quiet: flagOpt(args, "quiet"),
  };
  if (command.cors && transport !== "http") args.problems.push("--cors is for the http server (a WebSocket needs no CORS)");
  if (command.dropEvery !== undefined && transport !== "udp") args.problems.push("--drop-every is for the udp server");
  const certFile = stringOpt(args, "cert");
  const keyFile = stringOpt(args, "key");
  if ((certFile === undefined) !== (keyFile === undefined)) args.problems.push("--cert and --key go together: give both");
  if (alias || flagOpt(args, "tls") || certFile !== undefined) {
    if (!entry.tls) args.problems.push(`the ${transport} server has no TLS (TLS runs over TCP: use tcp, ws or http)`);
    command.tls = { files: certFile !== undefined && keyFile !== undefined ? { cert: certFile, key: keyFile } : undefined };
  }
  if (args.problems.length > 0) throw new UsageError(args.problems);
  return command;
}

function describeStats(stats: ServerStats): string {
  const list = (counts: Record<string, number>) =>
    Object.entries(counts)
      .map(([k, v]) => `${k} ${v}`)
      .join(", ") || "none";
  return `served ${stats.connections} connections, ${stats.messages} messages, ${stats.bytesIn} bytes in, ${stats.bytesOut} bytes out; rejected: ${list(stats.rejected)}; errors: ${list(stats.errors)}`;
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), OPTIONS);
  if (flagOpt(args, "help")) {
    console.log(USAGE);
    return 0;
  }
  const cmd = parseCommand(args);
  const entry = SERVERS[cmd.transport];
  // In --json mode stdout carries only JSON lines, so activity goes to stderr.
  const activity = cmd.json ? (line: string) => console.error(line) : (line: string) => console.log(line);

  // Made (or read) before listening, so a bad file is a usage error and nothing is bound.
  // Loaded only when needed: a plain server starts sooner (a supervisor starts one per run).
  const tlsLib = cmd.tls && (await import("../lib/tls.ts"));
  const identity: TlsIdentity | undefined =
    cmd.tls && tlsLib && (cmd.tls.files ? await tlsLib.identityFromFiles(cmd.tls.files.cert, cmd.tls.files.key) : await tlsLib.selfSignedIdentity(cmd.host));
  let server: RunningServer;
  try {
    server = await entry.start({
      host: cmd.host,
      port: cmd.port,
      mode: cmd.mode,
      maxMessage: cmd.maxMessage,
      push: cmd.push,
      dropEvery: cmd.dropEvery,
      log: cmd.quiet ? undefined : activity,
      tls: identity && { cert: identity.cert, key: identity.key },
      cors: cmd.cors,
    });
  } catch (err) {
    throw netRunError(err, cmd.host, cmd.port);
  }

  let input: { close(): void } | undefined;
  // Under a supervisor (--json, as the bench runs it), the process's own pauses are measured too.
  const pauses = cmd.json ? new PauseMeter().start() : undefined;
  // The handler goes in before the ready line: a supervisor may signal as soon as it reads it.
  const stopped = new Promise<number>((resolve) => {
    onShutdown(async () => {
      input?.close();
      await server.stop();
      const stats = { ...server.stats(), ...(pauses ? { pauses: pauses.encoded() } : {}) };
      if (cmd.json) console.log(JSON.stringify({ event: "stopped", stats }));
      else console.log(`\nServer stopped: ${describeStats(stats)}`);
      resolve(0);
    });
  });

  if (cmd.json) {
    const tls = identity && { fingerprint: identity.fingerprint, selfSigned: identity.selfSigned };
    console.log(
      JSON.stringify({
        event: "ready",
        transport: server.transport,
        mode: server.mode,
        host: server.hostname,
        port: server.port,
        pid: process.pid,
        ...(tls ? { tls } : {}),
      }),
    );
  } else {
    console.log(entry.readyLine(server.hostname, server.port, server.mode, identity !== undefined));
    if (identity)
      console.log(
        `TLS certificate${identity.selfSigned ? " (self-signed: clients need --insecure, or --ca with this certificate)" : ""}, SHA-256 ${identity.fingerprint}`,
      );
  }

  if (server.say) {
    const say = server.say;
    if (!cmd.json) console.log("Type a line and press Enter to send it to every client.");
    input = readLines(
      (line) => line.trim() && say(line),
      () => {},
      "",
    );
  }
  return stopped;
}

await runMain("server", USAGE, main);
