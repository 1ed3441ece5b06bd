//  What both ends agree on: default ports, the lab's hello texts and the size limits.

export const TRANSPORTS = ["tcp", "udp", "ws", "http"] as const;
export type Transport = (typeof TRANSPORTS)[number];

/** The lab's ports: 8080 for TCP and UDP (one port for both ends: no 9090 mismatch), 8765 for WebSocket. */
/** `https` and `wss`: the http and ws server or client over TLS (the CLIs take these names too). */
export const TLS_ALIASES: Partial<Record<string, Transport>> = { https: "http", wss: "ws" };

export const DEFAULT_PORTS: Record<Transport, number> = { tcp: 8080, udp: 8080, ws: 8765, http: 8000 };

/** Servers bind to loopback unless told otherwise; --host 0.0.0.0 is for the two-computer exercise. */
export const DEFAULT_HOST = "127.0.0.1";

export const HELLO_FROM_CLIENT = "Hello from client";
export const HELLO_FROM_SERVER = "Hello from server";
export const UDP_ACK = "Message received";

/** Largest echo message over TCP, WebSocket and HTTP: 1 MiB. */
export const MAX_MESSAGE_BYTES = 1 << 20;
/** Largest UDP payload over IPv4: 65,535 - 8 (UDP header) - 20 (IP header). */
export const MAX_UDP_PAYLOAD = 65_507;
