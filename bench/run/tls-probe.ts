// What a TLS server negotiates, learnt from one handshake before a run (the swarm's own
// connections hide their sockets behind the load models' pipes).
import { withTimeout } from "../../lib/timeout.ts";
import { clientTls, type TlsTrust } from "../../lib/tls.ts";
import type { Target } from "../../lib/net.ts";
import type { NegotiatedTls } from "../model/results.ts";

/** One handshake with `target`; undefined where it fails (the run itself then says why). */
export async function negotiatedTls(target: Target & { tls: TlsTrust }, timeoutMs = 5000): Promise<NegotiatedTls | undefined> {
  let done: (value: NegotiatedTls | undefined) => void = () => {};
  const handshake = new Promise<NegotiatedTls | undefined>((resolve) => {
    done = resolve;
  });
  try {
    const socket = await withTimeout(
      Bun.connect({
        hostname: target.host,
        port: target.port,
        tls: clientTls(target.tls),
        socket: {
          data() {},
          handshake(s, ok) {
            const cipher = ok ? s.getCipher() : undefined;
            const version = ok ? s.getTLSVersion() : undefined;
            done(cipher && version ? { version, cipher: cipher.standardName ?? cipher.name } : undefined);
          },
          close: () => done(undefined),
          error: () => done(undefined),
        },
      }),
      timeoutMs,
      "TLS probe timed out",
    );
    const negotiated = await withTimeout(handshake, timeoutMs, "TLS handshake timed out");
    socket.end();
    return negotiated;
  } catch {
    return undefined;
  }
}
