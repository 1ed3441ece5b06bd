import type { DriverName } from "./run/bind.ts";

/**
 * How each driver is named in metrics (`<subject>.<scenario>.<figure>`): its transport, or what
 * sets it apart ("http-close", "ws-new"). The connect-only drivers share their transport's name,
 * as the connect section has one row per transport; tcp-new keeps its own, as it times a
 * message on the new connection, not connect() (the connect section uses it under --net).
 */
export const DRIVER_SUBJECT: Record<DriverName, string> = {
  tcp: "tcp",
  udp: "udp",
  "udp-oneway": "udp-oneway",
  ws: "ws",
  http: "http",
  "http-close": "http-close",
  "tcp-connect": "tcp",
  "ws-connect": "ws",
  "tcp-new": "tcp-new",
  "ws-new": "ws-new",
};
