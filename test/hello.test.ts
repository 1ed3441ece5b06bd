import { afterAll, describe, expect, test } from "bun:test";
import { killAll, spawnCli, runCli, type Child } from "./support/processes.ts";

afterAll(killAll);

/** Starts a server the way a student would (a package script, no --json) and reads the port from its first line. */
async function humanServer(args: string[]): Promise<{ child: Child; port: number }> {
  const [transport, ...rest] = args;
  const child = spawnCli(["run", `server:${transport}`, ...rest, "--port", "0"]);
  const line = await child.stdout.waitFor(/port \d+|:\d+/);
  const port = Number(/(?:port |:)(\d+)/.exec(line)![1]);
  return { child, port };
}

async function stopCleanly(child: Child): Promise<void> {
  child.proc.kill("SIGINT");
  expect(await child.exited()).toBe(0);
  expect(child.stdout.text).toContain("Server stopped: served");
}

describe("the lab's TCP hello exercise", () => {
  test("client and server print the lab's lines, and the server keeps serving", async () => {
    const { child: server, port } = await humanServer(["tcp"]);
    expect(server.stdout.lines[0]).toBe(`Server listening on port ${port} (tcp hello on 127.0.0.1)`);
    for (let round = 1; round <= 2; round++) {
      const client = await runCli(["run", "client:tcp", "--port", String(port)]);
      expect(client.stdout.trim().split("\n")).toEqual(["Message sent to server", "Message from server: Hello from server"]);
      expect(client.code).toBe(0);
    }
    const log = server.stdout.lines.slice(1, 5);
    expect(log).toEqual([
      "Message from client: Hello from client",
      "Message sent to client",
      "Message from client: Hello from client",
      "Message sent to client",
    ]);
    await stopCleanly(server);
  });
});

describe("the lab's UDP exercise", () => {
  test("the client asks for a message, the server acknowledges it, on one port", async () => {
    const { child: server, port } = await humanServer(["udp"]);
    const client = await runCli(["run", "client", "udp", "--port", String(port)], "Hello from CLIENT\n");
    expect(client.code).toBe(0);
    expect(client.stdout).toStartWith("Enter a message: ");
    expect(client.stdout).toContain("Message sent to server.\nServer: Message received");
    await server.stdout.waitFor("Acknowledgment sent to client.");
    expect(server.stdout.lines).toContain("Client: Hello from CLIENT");
    await stopCleanly(server);
  });

  test("--message skips the prompt", async () => {
    const { child: server, port } = await humanServer(["udp"]);
    const client = await runCli(["clients/cli.ts", "udp", "--port", String(port), "--message", "hi there"]);
    expect(client.stdout.trim().split("\n")).toEqual(["Message sent to server.", "Server: Message received"]);
    await server.stdout.waitFor("Client: hi there");
    await stopCleanly(server);
  });
});

describe("WebSocket and HTTP hello", () => {
  test("a WebSocket client sends one message and prints the answer", async () => {
    const { child: server, port } = await humanServer(["ws", "--mode", "hello"]);
    expect(server.stdout.lines[0]).toBe(`Server started at ws://127.0.0.1:${port} (hello mode)`);
    const client = await runCli(["clients/cli.ts", "ws", "--port", String(port), "--message", "Hello from client"]);
    expect(client.code).toBe(0);
    expect(client.stdout.trim().split("\n")).toEqual(["Message sent to server", "Received response from server: Hello from server"]);
    await server.stdout.waitFor("Message from client: Hello from client");
    await stopCleanly(server);
  });

  test("an HTTP client posts its hello and prints the answer", async () => {
    const { child: server, port } = await humanServer(["http"]);
    const client = await runCli(["clients/cli.ts", "http", "--port", String(port)]);
    expect(client.code).toBe(0);
    expect(client.stdout.trim().split("\n")).toEqual(["Message sent to server", "Message from server: Hello from server"]);
    await server.stdout.waitFor("Message from client: Hello from client");
    await stopCleanly(server);
  });
});
