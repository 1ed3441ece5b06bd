// TLS for the servers and clients: a certificate made at start (selfsigned, on WebCrypto) or
// read from files, its SHA-256 fingerprint for people to compare, and what a client trusts.
import { X509Certificate } from "node:crypto";
import { readFile } from "node:fs/promises";
import { UsageError, codeOf } from "./errors.ts";

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
  let fingerprint: string;
  try {
    fingerprint = fingerprintOf(cert);
  } catch {
    throw new UsageError(`--cert ${certPath}: not a PEM certificate`);
  }
  return { cert, key, fingerprint, selfSigned: false };
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
export function clientTls(trust: TlsTrust): { ca?: string; rejectUnauthorized: boolean } {
  return trust.insecure ? { rejectUnauthorized: false } : { ...(trust.ca ? { ca: trust.ca } : {}), rejectUnauthorized: true };
}
