// TLS for the servers and clients: a certificate made at start (selfsigned, on WebCrypto) or
// read from files, its SHA-256 fingerprint for people to compare, and what a client trusts.
import type { Socket, SocketHandler, TCPSocketConnectOptions } from "bun";
import { X509Certificate, createPrivateKey } from "node:crypto";
import { readFile } from "node:fs/promises";
import { UsageError, codeOf } from "./errors.ts";
import { formatMs, withTimeout } from "./timeout.ts";

export interface TlsIdentity {
  /** PEM certificate (chain) and private key. */
  cert: string;
  key: string;
  /** SHA-256 fingerprint, colon-separated hex, as browsers show it. */
  fingerprint: string;
  selfSigned: boolean;
}

/** What a TLS client trusts: a CA's certificate (PEM), or nothing at all (--insecure). */
export interface TlsTrust {
  ca?: string;
  insecure?: boolean;
  /**
   * The name to ask for (SNI) and to verify the certificate against, when the connection goes
   * elsewhere first (through the network relay, to 127.0.0.1): the real server's host name.
   */
  serverName?: string;
}

export function fingerprintOf(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/** A certificate for localhost and 127.0.0.1 (and `host`, when it names another), valid a week. */
export async function selfSignedIdentity(host = "localhost"): Promise<TlsIdentity> {
  const names = [...new Set(["localhost", "127.0.0.1", "::1", host])];
  const altNames = names.map((n) => (/^[\d.]+$|:/.test(n) ? { type: 7 as const, ip: n } : { type: 2 as const, value: n }));
  // Loaded only here: the certificate library is large, and every server and client process
  // that never makes a certificate would pay for loading it at start.
  const { generate } = await import("selfsigned");
  const pems = await generate([{ name: "commonName", value: "socketlab" }], {
    keySize: 2048,
    algorithm: "sha256",
    days: 7,
    extensions: [{ name: "subjectAltName", altNames }],
  } as Parameters<typeof import("selfsigned").generate>[1]);
  return { cert: pems.cert, key: pems.private, fingerprint: fingerprintOf(pems.cert), selfSigned: true };
}

async function readPem(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (err) {
    throw new UsageError(`--${what} ${path}: cannot read it (${codeOf(err) ?? "unreadable"})`);
  }
}

/** A certificate and key from PEM files (--cert, --key). */
export async function identityFromFiles(certPath: string, keyPath: string): Promise<TlsIdentity> {
  const [cert, key] = await Promise.all([readPem(certPath, "cert"), readPem(keyPath, "key")]);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new UsageError(`--cert ${certPath}: not a PEM certificate`);
  }
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key);
  } catch {
    throw new UsageError(`--key ${keyPath}: not a PEM private key`);
  }
  if (!x509.checkPrivateKey(privateKey)) throw new UsageError(`--key ${keyPath} does not belong to the certificate in --cert ${certPath}`);
  // Self-signed when it names itself as issuer and its own key verifies it.
  return { cert, key, fingerprint: x509.fingerprint256, selfSigned: x509.checkIssued(x509) && x509.verify(x509.publicKey) };
}

/** A CA certificate to trust (--ca FILE). */
export async function caFromFile(path: string): Promise<string> {
  const ca = await readPem(path, "ca");
  try {
    fingerprintOf(ca);
  } catch {
    throw new UsageError(`--ca ${path}: not a PEM certificate`);
  }
  return ca;
}

/** Bun's TLS options for a client that trusts `trust`. */
export function clientTls(trust: TlsTrust): { ca?: string; rejectUnauthorized: boolean; serverName?: string } {
  const name = trust.serverName ? { serverName: trust.serverName } : {};
  return trust.insecure ? { rejectUnauthorized: false, ...name } : { ...(trust.ca ? { ca: trust.ca } : {}), rejectUnauthorized: true, ...name };
}

/** Bun's `tls` connect option for what a client trusts: none for plain TCP. */
export function tlsOption(trust: TlsTrust | undefined): { tls?: { ca?: string; rejectUnauthorized: boolean; serverName?: string } } {
  return trust ? { tls: clientTls(trust) } : {};
}

/**
 * Bun.connect that, over TLS, resolves only once the handshake is done: Bun's TLS socket takes
 * no bytes before it (write returns 0), and a refused certificate must fail the connect, not
 * look like a silent server. One deadline covers both; a socket that opened is terminated when
 * anything fails.
 */
export async function connectReady<D = undefined>(
  options: { hostname: string; port: number; data?: D; socket: SocketHandler<D>; tls?: TlsTrust },
  timeoutMs: number,
  where: string,
): Promise<Socket<D>> {
  const started = performance.now();
  let settle: (err?: Error) => void = () => {};
  const shaken = new Promise<void>((resolve, reject) => {
    settle = (err) => (err ? reject(err) : resolve());
  });
  shaken.catch(() => {}); // awaited below only over TLS
  const own = options.socket.handshake;
  const connecting = Bun.connect<D>({
    hostname: options.hostname,
    port: options.port,
    ...(options.data === undefined ? {} : { data: options.data }),
    ...tlsOption(options.tls),
    socket: {
      ...options.socket,
      handshake(socket, ok, err) {
        own?.(socket, ok, err);
        settle(ok ? undefined : (err ?? new Error("TLS handshake failed")));
      },
    },
  } as TCPSocketConnectOptions<D>);
  let socket: Socket<D> | undefined;
  try {
    socket = await withTimeout(connecting, timeoutMs, `timed out after ${formatMs(timeoutMs)} connecting to ${where}`);
    const left = Math.max(1, timeoutMs - (performance.now() - started));
    if (options.tls) await withTimeout(shaken, left, `timed out after ${formatMs(timeoutMs)} in the TLS handshake with ${where} (is it a TLS server?)`);
    return socket;
  } catch (err) {
    socket?.terminate();
    // A connect that completes after the deadline must not leave its socket behind.
    connecting.then(
      (late) => late.terminate(),
      () => {},
    );
    throw err;
  }
}
