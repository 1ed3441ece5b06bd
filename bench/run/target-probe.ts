// One operation against a server started elsewhere, before any swarm process starts: a target
// that refuses, resets, speaks another protocol, answers with an unexpected status or does not
// answer at all ends the run here, in one line, within PROBE_MS — not after a silent run.
import { RunError, messageOf } from "../../lib/errors.ts";
import { formatMs, withTimeout } from "../../lib/timeout.ts";
import { DRIVERS, TRANSPORT_DRIVERS, type DriverName } from "../catalog.ts";
import type { Pipe, PipeEvents } from "../load/types.ts";
import type { UrlExchange } from "../model/exchange.ts";
import { foreignPipes, PIPES } from "./bind.ts";
import type { Target } from "../../lib/net.ts";

export const PROBE_MS = 2000;

/** What a failure kind means to a person who pointed the bench at this target, and what to try. */
function explain(kind: string, driver: DriverName, exchange: UrlExchange | undefined): string {
  const http = /^http-(\d{3})$/.exec(kind);
  if (http) {
    const asked = exchange ? `${exchange.method} ${exchange.path}` : "POST /echo";
    const expected = exchange?.expectStatus.length ? exchange.expectStatus.join(", ") : "2xx";
    const hint = exchange
      ? `--expect-status ${http[1]} counts it as success`
      : "is it socketlab's http server in echo mode? For another server give a URL: --target http://HOST:PORT/path";
    return `answered HTTP ${http[1]} to ${asked} (expected ${expected}; ${hint})`;
  }
  // Our own HTTP server's channel fails on any status but 2xx, saying which.
  if (!exchange && /^HTTP \d{3}/.test(kind))
    return `${kind.replace(/ from \S+$/, "")} to POST /echo (is it socketlab's http server in echo mode? For another server give a URL: --target http://HOST:PORT/path)`;
  // Only echo matching checks what comes back (--match any takes any answer).
  if (kind === "corrupt reply" || kind === "unexpected reply") {
    const tcp = TRANSPORT_DRIVERS[DRIVERS[driver].transport].server === "tcp";
    return `answered with something other than the message sent back: for a server that answers each message with its own, use --match any${tcp ? " (and --frame none or line for a server without our length prefix)" : ""}`;
  }
  return kind;
}

function hintForSilence(driver: DriverName, exchange: UrlExchange | undefined): string {
  const server = TRANSPORT_DRIVERS[DRIVERS[driver].transport].server;
  if (server === "tcp" && (exchange?.frame ?? "length") === "length")
    return "the message went with our 4-byte length prefix: a plain echo server wants --frame none, a line protocol --frame line";
  if (server === "tcp" && exchange?.frame === "none" && exchange.match === "echo")
    return "--frame none with echo matching waits for the message's own bytes: a server that answers otherwise wants --match any";
  if (server === "udp") return "is a UDP server listening there, and does it answer every datagram?";
  if (!exchange) return `is it socketlab's ${server} server in echo mode?`;
  return "does it answer every message?";
}

/**
 * Makes one operation of `driver` against `target` (the same pipes the swarm uses) and waits
 * for its answer; throws a RunError naming what happened, within PROBE_MS.
 */
export async function probeTarget(driver: DriverName, target: Target, exchange: UrlExchange | undefined, size: number, where: string): Promise<void> {
  const started = performance.now();
  const open = exchange ? foreignPipes(driver, target, exchange, size, PROBE_MS) : PIPES[driver](target, size, PROBE_MS);
  let settle: (failure: string | undefined) => void = () => {};
  const answered = new Promise<string | undefined>((resolve) => {
    settle = resolve;
  });
  const events: PipeEvents = {
    done: () => settle(undefined),
    failed: (_seq, kind) => settle(kind),
    closed: (reason) => settle(reason),
  };
  let pipe: Pipe | undefined;
  try {
    pipe = await withTimeout(open(0, events), PROBE_MS, `${where}: no connection within ${formatMs(PROBE_MS)}`);
    if (!pipe.issue(0)) throw new RunError(`${where}: the first message could not be sent`);
    const left = Math.max(1, PROBE_MS - (performance.now() - started));
    const failure = await withTimeout(answered, left, `${where}: no answer within ${formatMs(PROBE_MS)} (${hintForSilence(driver, exchange)})`);
    if (failure !== undefined) throw new RunError(`${where}: ${explain(failure, driver, exchange)}`);
  } catch (err) {
    if (err instanceof RunError) throw err;
    throw new RunError(`${where}: ${messageOf(err)}`);
  } finally {
    await Promise.race([pipe?.close().catch(() => {}), Bun.sleep(500)]);
  }
}
