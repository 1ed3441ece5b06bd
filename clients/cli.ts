#!/usr/bin/env bun
import { UsageError, RunError, messageOf } from "../lib/errors.ts";
import { choiceOpt, durationOpt, flagOpt, hostOpt, intOpt, parseArgs, portOpt, positionalChoice, stringOpt, type ParsedArgs } from "../lib/args.ts";
import { onShutdown, runMain } from "../lib/main.ts";
import { readLines, readOneLine } from "../lib/stdin.ts";
import { printable } from "../lib/text.ts";
import { DEFAULT_HOST, DEFAULT_PORTS, HELLO_FROM_CLIENT, TLS_ALIASES, TRANSPORTS, type Transport } from "../protocol/limits.ts";
import * as http from "./http.ts";
import * as tcp from "./tcp.ts";
import * as udp from "./udp.ts";
import * as ws from "./ws.ts";
import type { Target } from "../lib/net.ts";
import { caFromFile, type TlsTrust } from "../lib/tls.ts";

const USAGE = `usage: bun run client <tcp|udp|ws|http|https|wss> [options]
       bun run client <URL> [options]     e.g. wss://192.168.1.20:8765/ or http://127.0.0.1:8000/

  URL               the scheme, host, port and (ws, wss) path at once, instead of the transport,
                    --host and --port: tcp://, udp://, ws://, wss://, http://, https://

  --host H          server address (default ${DEFAULT_HOST}; the server computer's address across two)
  --port P          server port (default tcp ${DEFAULT_PORTS.tcp}, udp ${DEFAULT_PORTS.udp}, ws ${DEFAULT_PORTS.ws}, http ${DEFAULT_PORTS.http})
  --message TEXT    what to send (tcp, http: default "${HELLO_FROM_CLIENT}"; udp: asked for when absent;
                    ws: send one message, print the answer and exit; without it ws is a chat)
  --timeout S       how long to wait for the server (default 5 s; udp: per try, default 1 s)
  --tls             over TLS (tcp, ws, http); https and wss are http and ws with --tls
  --insecure        TLS: accept any certificate (a server's self-signed one, whose fingerprint it prints)
  --ca FILE         TLS: trust the certificate authority (or self-signed certificate) in FILE
  -h, --help        this help

  tcp   --mode hello|echo   echo sends the message as a length-prefixed frame (for --mode echo servers)
  udp   --retries N         tries before giving up when no answer comes (default 3)
  ws    --linger S          chat: after input ends, wait this long for late messages (default 1 s)
  http  --poll short|long|sse   print the server's events as they arrive, by short polling,
                              long polling or Server-Sent Events
        --interval MS       short polling: pause between polls (default 1000)
        --wait MS           long polling: how long the server may hold a poll (default 30000)
        --since N           start after event N (default 0: every event the server keeps)
        --count N           stop after N events      --duration S   stop after S seconds
        --publish TEXT      publish TEXT as an event for every subscriber, then exit`;

const OPTIONS = {
  host: { type: "string" },
  port: { type: "string" },
  message: { type: "string" },
  timeout: { type: "string" },
  mode: { type: "string" },
  retries: { type: "string" },
  linger: { type: "string" },
  poll: { type: "string" },
  interval: { type: "string" },
  wait: { type: "string" },
  since: { type: "string" },
  count: { type: "string" },
  duration: { type: "string" },
  publish: { type: "string" },
  tls: { type: "boolean" },
  insecure: { type: "boolean" },
  ca: { type: "string" },
  help: { type: "boolean", short: "h" },
} as const;

/** Options that belong to one transport only; using them with another is a usage error. */
const ONLY_FOR: Record<string, Transport> = {
  mode: "tcp",
  retries: "udp",
  linger: "ws",
  poll: "http",
  interval: "http",
  wait: "http",
  since: "http",
  count: "http",
  duration: "http",
  publish: "http",
};

const print = (line: string): void => console.log(line);

/** A URL given instead of the transport: its scheme, host, port and path. */
interface ClientUrl {
  scheme: string;
  transport: Transport;
  host: string;
  port: number;
  path: string;
}

function urlOf(args: ParsedArgs): ClientUrl | undefined {
  const raw = args.positionals[0];
  if (raw === undefined || !raw.includes("://")) return undefined;
  const scheme = raw.slice(0, raw.indexOf("://")).toLowerCase();
  const transport = TLS_ALIASES[scheme] ?? (TRANSPORTS as readonly string[]).find((t) => t === scheme);
  if (transport === undefined) {
    args.problems.push(`unknown scheme "${scheme}://": use ${[...TRANSPORTS, ...Object.keys(TLS_ALIASES)].map((t) => `${t}://`).join(", ")}`);
    return undefined;
  }
  let u: URL;
  try {
    u = new URL(`http${raw.slice(scheme.length)}`); // parsed as http: URL() knows no ports of tcp:// or udp://
  } catch {
    args.problems.push(`"${raw}" is not a URL such as ${scheme}://127.0.0.1:${DEFAULT_PORTS[transport as Transport]}/`);
    return undefined;
  }
  for (const option of ["host", "port"]) if (args.values.has(option)) args.problems.push(`--${option} and a URL exclude each other: the URL says where`);
  if (args.positionals.length > 1) args.problems.push(`unexpected argument "${args.positionals[1]}"`);
  const port = u.port === "" ? DEFAULT_PORTS[transport as Transport] : Number(u.port);
  return { scheme, transport: transport as Transport, host: u.hostname.replace(/^\[(.*)\]$/, "$1"), port, path: `${u.pathname}${u.search}` };
}

function transportOf(args: ParsedArgs, url: ClientUrl | undefined): Transport {
  const problemsBefore = args.problems.length;
  if (url) {
    for (const [option, owner] of Object.entries(ONLY_FOR)) {
      if (args.values.has(option) && owner !== url.transport) args.problems.push(`--${option} is only for ${owner}, not ${url.transport}`);
    }
    return url.transport;
  }
  if (args.positionals[0]?.includes("://")) return "tcp"; // a URL that did not parse: its problem is noted
  const alias = TLS_ALIASES[args.positionals[0] ?? ""];
  if (alias && args.positionals.length > 1) args.problems.push(`unexpected argument "${args.positionals[1]}"`);
  const transport = alias ?? positionalChoice(args, "transport", TRANSPORTS, "tcp");
  if (args.problems.length > problemsBefore) return transport;
  for (const [option, owner] of Object.entries(ONLY_FOR)) {
    if (args.values.has(option) && owner !== transport) args.problems.push(`--${option} is only for ${owner}, not ${transport}`);
  }
  return transport;
}

function done(args: ParsedArgs): void {
  if (args.problems.length > 0) throw new UsageError(args.problems);
}

async function runUdp(args: ParsedArgs, target: Target): Promise<number> {
  const timeoutMs = durationOpt(args, "timeout", 1000);
  const tries = intOpt(args, "retries", 3, 1, 100);
  done(args);
  let message = stringOpt(args, "message");
  if (message === undefined) {
    process.stdout.write("Enter a message: ");
    message = await readOneLine(process.stdin.isTTY ? 3600_000 : 10_000);
    if (!process.stdin.isTTY) process.stdout.write("\n");
    if (message === undefined || message === "") throw new RunError("no message to send: type one, or pass --message TEXT");
  }
  await udp.hello(target, message, timeoutMs, tries, print);
  return 0;
}

async function runWs(args: ParsedArgs, target: Target): Promise<number> {
  const timeoutMs = durationOpt(args, "timeout", 5000);
  const lingerMs = durationOpt(args, "linger", 1000);
  done(args);
  const message = stringOpt(args, "message");
  if (message !== undefined) {
    await ws.hello(target, message, timeoutMs, print);
    return 0;
  }
  let prompt: { print(line: string): void } | undefined;
  return ws.chat(target, timeoutMs, lingerMs, {
    print: (line) => (prompt ? prompt.print(line) : print(line)),
    start(onLine, onEnd) {
      const input = readLines(onLine, onEnd);
      prompt = input;
      onShutdown(() => input.close());
      return input;
    },
  });
}

async function runHttp(args: ParsedArgs, target: Target): Promise<number> {
  const timeoutMs = durationOpt(args, "timeout", 5000);
  const pattern = args.values.has("poll") ? choiceOpt(args, "poll", http.POLL_PATTERNS, "long") : undefined;
  const intervalMs = intOpt(args, "interval", 1000, 1, 3600_000);
  const waitMs = intOpt(args, "wait", 30_000, 1, 120_000);
  const since = intOpt(args, "since", 0, 0, Number.MAX_SAFE_INTEGER);
  const count = intOpt(args, "count", 0, 1, Number.MAX_SAFE_INTEGER);
  const durationMs = durationOpt(args, "duration", 0);
  const published = stringOpt(args, "publish");
  if (published !== undefined && (pattern || args.values.has("message"))) args.problems.push("--publish goes alone: not with --poll or --message");
  if (pattern && args.values.has("message")) args.problems.push("--message is for one request; --poll subscribes to events");
  if (!pattern) {
    for (const option of ["interval", "wait", "since", "count", "duration"]) {
      if (args.values.has(option)) args.problems.push(`--${option} goes with --poll`);
    }
  }
  done(args);

  if (published !== undefined) {
    const id = await http.publish(target, published, timeoutMs);
    print(`Published event ${id}`);
    return 0;
  }
  if (!pattern) {
    await http.hello(target, stringOpt(args, "message") ?? HELLO_FROM_CLIENT, timeoutMs, print);
    return 0;
  }

  print(`Subscribed to ${http.baseUrl(target)} by ${pattern === "sse" ? "Server-Sent Events" : `${pattern} polling`}; Ctrl-C stops.`);
  const sub = http.subscribe(target, { pattern, intervalMs, waitMs, since, timeoutMs }, (event) => {
    print(`Event ${event.id}: ${printable(event.data, 4000)}`);
    if (count > 0 && sub.stats.events >= count) sub.close();
  });
  const timer = durationMs > 0 ? setTimeout(() => sub.close(), durationMs) : undefined;
  onShutdown(() => sub.close());
  try {
    await sub.done;
  } finally {
    clearTimeout(timer);
  }
  const s = sub.stats;
  print(`Received ${s.events} events in ${s.requests} requests (${s.emptyPolls} empty polls${s.missed ? `, ${s.missed} missed` : ""}).`);
  return 0;
}

/** What a TLS client trusts, from --tls/--insecure/--ca (or the https and wss names); undefined for plain TCP. */
async function tlsOpt(args: ParsedArgs, transport: Transport, url: ClientUrl | undefined): Promise<TlsTrust | undefined> {
  const named = TLS_ALIASES[url?.scheme ?? args.positionals[0] ?? ""] !== undefined;
  const wanted = named || flagOpt(args, "tls") || flagOpt(args, "insecure") || args.values.has("ca");
  if (!wanted) return undefined;
  if (transport === "udp") {
    args.problems.push("udp has no TLS (TLS runs over TCP: use tcp, ws or http)");
    return undefined;
  }
  const caFile = stringOpt(args, "ca");
  if (caFile !== undefined && flagOpt(args, "insecure")) args.problems.push("--ca and --insecure exclude each other: --insecure trusts any certificate");
  let ca: string | undefined;
  if (caFile !== undefined) {
    // Collected with every other problem, so all of them show at once.
    ca = await caFromFile(caFile).catch((err: unknown) => {
      args.problems.push(messageOf(err));
      return undefined;
    });
  }
  return { insecure: flagOpt(args, "insecure"), ca };
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2), OPTIONS);
  if (flagOpt(args, "help")) {
    console.log(USAGE);
    return 0;
  }
  const url = urlOf(args);
  const transport = transportOf(args, url);
  const where = url
    ? { host: url.host, port: url.port, ...(transport === "ws" ? { path: url.path } : {}) }
    : { host: hostOpt(args, DEFAULT_HOST), port: portOpt(args, DEFAULT_PORTS[transport], false) };
  const target: Target = { ...where, tls: await tlsOpt(args, transport, url) };
  switch (transport) {
    case "tcp": {
      const timeoutMs = durationOpt(args, "timeout", 5000);
      const mode = choiceOpt(args, "mode", ["hello", "echo"] as const, "hello");
      done(args);
      await tcp.hello(target, stringOpt(args, "message") ?? HELLO_FROM_CLIENT, timeoutMs, print, mode === "echo");
      return 0;
    }
    case "udp":
      return runUdp(args, target);
    case "ws":
      return runWs(args, target);
    case "http":
      return runHttp(args, target);
  }
}

await runMain("client", USAGE, main);
