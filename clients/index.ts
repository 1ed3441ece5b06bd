import type { Transport } from "../protocol/limits.ts";
import * as http from "./http-wire.ts";
import * as tcp from "./tcp.ts";
import type { OpenEcho } from "./types.ts";
import * as udp from "./udp.ts";
import * as ws from "./ws-wire.ts";

/** Same keys as the server registry: a new transport adds one client file and one line here. */
export const ECHO_CLIENTS: Record<Transport, OpenEcho> = {
  tcp: tcp.openEcho,
  udp: udp.openEcho,
  ws: ws.openWireEcho,
  http: http.openEcho,
};
