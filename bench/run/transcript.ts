// The lab's hello exercises run for real, as a student runs them, for the suite's report.
import type { Exchange } from "../model/results.ts";
import { PROJECT_ROOT, spawnChild, type Child } from "../../lib/children.ts";
import { RunError } from "../../lib/errors.ts";

/** Starts a server the way a student would (no --json) and reads its port from the first line. */
export async function startLabServer(args: string[], timeoutMs = 10_000): Promise<{ child: Child; port: number }> {
  const child = spawnChild([process.execPath, "servers/cli.ts", ...args, "--port", "0"], PROJECT_ROOT);
  try {
    const line = await child.stdout.waitFor(/port \d+|:\d+/, timeoutMs);
    return { child, port: Number(/(?:port |:)(\d+)/.exec(line)![1]) };
  } catch {
    child.kill("SIGKILL");
    throw new RunError(`the ${args[0]} server did not start: ${child.stderr.text.trim().split("\n").at(-1) ?? "no output"}`);
  }
}

async function exchange(title: string, server: string[], client: string[]): Promise<Exchange> {
  const { child, port } = await startLabServer(server);
  try {
    const c = spawnChild([process.execPath, "clients/cli.ts", ...client, "--port", String(port)], PROJECT_ROOT);
    c.endInput();
    await c.exited(10_000);
    child.kill("SIGINT");
    await child.exited(10_000);
    return {
      title,
      serverCommand: `bun run server ${server.join(" ")}`,
      clientCommand: `bun run client ${client.map((a) => (/\s/.test(a) ? `"${a}"` : a)).join(" ")}`,
      server: child.stdout.lines.filter((l) => l.trim() && !l.startsWith("Server stopped")),
      client: c.stdout.lines.filter((l) => l.trim()),
    };
  } finally {
    child.kill("SIGKILL");
  }
}

/** The lab's three hello exercises, run for real on this machine (ports chosen by the system). */
export async function helloExchanges(): Promise<Exchange[]> {
  return [
    await exchange("TCP hello", ["tcp"], ["tcp"]),
    await exchange("UDP message and acknowledgement", ["udp"], ["udp", "--message", "Hello from CLIENT"]),
    await exchange("WebSocket message and answer", ["ws", "--mode", "hello"], ["ws", "--message", "Hello from client"]),
  ];
}
