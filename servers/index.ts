import type { Transport } from "../protocol/limits.ts";
import type { ServerMode, StartServer } from "./types.ts";
import * as http from "./http.ts";
import * as tcp from "./tcp.ts";
import * as udp from "./udp.ts";
import * as ws from "./ws.ts";

export interface ServerEntry {
  start: StartServer;
  modes: readonly ServerMode[];
  defaultMode: ServerMode;
  /** The line a person sees when the server is ready (the lab's wording where it has one). */
  readyLine(host: string, port: number, mode: ServerMode, tls: boolean): string;
  /** Whether it can serve over TLS (--tls). */
  tls: boolean;
}

/** One line per transport: adding one means a server file and an entry here. */
export const SERVERS: Record<Transport, ServerEntry> = {
  tcp: {
    start: tcp.start,
    modes: tcp.MODES,
    defaultMode: "hello",
    tls: true,
    readyLine: (h, p, m, tls) => `Server listening on port ${p} (tcp${tls ? " over TLS" : ""} ${m} on ${h})`,
  },
  udp: {
    start: udp.start,
    modes: udp.MODES,
    defaultMode: "hello",
    tls: false,
    readyLine: (h, p, m) => `UDP Server is up and waiting for messages on port ${p} (${m} on ${h})...`,
  },
  ws: {
    start: ws.start,
    modes: ws.MODES,
    defaultMode: "chat",
    tls: true,
    readyLine: (h, p, m, tls) =>
      `Server started at ${tls ? "wss" : "ws"}://${urlHost(h)}:${p} (${m} mode)${m === "chat" ? `; a browser opens the chat page at ${tls ? "https" : "http"}://${urlHost(h)}:${p}/` : ""}`,
  },
  http: {
    start: http.start,
    modes: http.MODES,
    defaultMode: "hello",
    tls: true,
    readyLine: (h, p, m, tls) =>
      `Server listening at ${tls ? "https" : "http"}://${urlHost(h)}:${p} (${m} mode)${m === "chat" ? "; a browser opens the chat page there" : ""}`,
  },
};

function urlHost(host: string): string {
  return host.includes(":") ? `[${host}]` : host;
}
