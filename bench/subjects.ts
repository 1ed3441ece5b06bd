import type { DriverName } from "./drivers.ts";

/**
 * How each driver is named in metrics (`<subject>.<scenario>.<figure>`): its transport, or what
 * sets it apart ("http-close", "ws-new"). Connection set-up drivers share their transport's name,
 * as the connect section has one row per transport.
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
