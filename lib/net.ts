import { lookup } from "node:dns/promises";
import { isIP } from "node:net";
import { RunError, codeOf, messageOf } from "./errors.ts";
import type { TlsTrust } from "./tls.ts";

/** Where a server listens: a host name or IP and a port. */
export interface Target {
  host: string;
  port: number;
  /** Over TLS, trusting this (absent: plain TCP). */
  tls?: TlsTrust;
  /** HTTP and WebSocket: the path and query to ask for ("/" when absent). */
  path?: string;
  /** WebSocket: header fields for the upgrade request, and the subprotocol to ask for. */
  headers?: [string, string][];
  subprotocol?: string;
}

/** Certificate failures, by the codes TLS stacks give them: each gets one line and a way out. */
const CERTIFICATE_ERRORS = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "UNABLE_TO_GET_ISSUER_CERT",
  "CERT_HAS_EXPIRED",
  "CERT_NOT_YET_VALID",
  "ERR_TLS_CERT_ALTNAME_INVALID",
  "CERT_SIGNATURE_FAILURE",
  "HOSTNAME_MISMATCH",
]);

/** "127.0.0.1:8080" or "[::1]:8080". */
/**
 * A TCP port on 127.0.0.1 free a moment ago, for a program that must be told its port before it
 * starts (a peer tool, a Prometheus to configure). Another program could take it meanwhile.
 */
export function freePort(): number {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

export function hostPort(host: string, port: number): string {
  return isIP(host) === 6 ? `[${host}]:${port}` : `${host}:${port}`;
}

/** A one-line, actionable explanation of a socket error against host:port. */
export function describeNetError(err: unknown, host: string, port: number): string {
  const where = hostPort(host, port);
  const code = codeOf(err);
  if (code !== undefined && CERTIFICATE_ERRORS.has(code)) {
    return `the certificate of ${where} failed verification (${code}): for a self-signed server use --insecure, or trust its CA with --ca FILE`;
  }
  // What OpenSSL says when the other side answers a TLS hello with something else.
  if (/WRONG_VERSION_NUMBER|packet length too long|http request/i.test(messageOf(err))) {
    return `${where} does not speak TLS (its answer to the TLS handshake was not TLS): drop --tls, or use http/ws for a plain server`;
  }
  switch (code) {
    case "ECONNREFUSED":
      return `could not connect to ${where}: connection refused (is the server running on that port?)`;
    case "ENOTFOUND":
    case "EAI_NONAME":
    case "EAI_AGAIN":
    case "DNS_ENOTFOUND":
      return `unknown host "${host}" (check the --host name or use an IP address)`;
    case "EADDRINUSE":
      return `port ${port} on ${host} is already in use (stop the other program or pick another --port; --port 0 picks a free one)`;
    case "EADDRNOTAVAIL":
      return `address ${host} is not available on this machine (use 127.0.0.1, 0.0.0.0 or one of this machine's addresses)`;
    case "EACCES":
    case "EPERM":
      return `not allowed to use ${where} (ports below 1024 need privileges)`;
    case "ETIMEDOUT":
      return `timed out connecting to ${where}`;
    case "ECONNRESET":
      return `connection to ${where} was reset by the server`;
    case "ENETUNREACH":
    case "EHOSTUNREACH":
      return `no route to ${where}`;
    default:
      return `${where}: ${messageOf(err).split("\n")[0]}`;
  }
}

/** A RunError explaining err, for throwing from a CLI. */
export function netRunError(err: unknown, host: string, port: number): RunError {
  return new RunError(describeNetError(err, host, port));
}

/** Bun.udpSocket needs IP addresses ("localhost" throws), so names are resolved first. */
export async function resolveIp(host: string): Promise<string> {
  if (isIP(host)) return host;
  try {
    const { address } = await lookup(host);
    return address;
  } catch (err) {
    throw netRunError(err, host, 0);
  }
}
