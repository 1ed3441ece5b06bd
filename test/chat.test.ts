import { afterAll, expect, test } from "bun:test";
import { killAll, spawnCli } from "./support/processes.ts";

afterAll(killAll);

test("WebSocket chat: two clients with piped input talk to each other and to the operator, full duplex", async () => {
  const server = spawnCli(["servers/cli.ts", "ws", "--port", "0"]);
  const port = Number(/:(\d+)/.exec(await server.stdout.waitFor("Server started at ws://"))![1]);

  const alice = spawnCli(["clients/cli.ts", "ws", "--port", String(port), "--linger", "0.2"]);
  await alice.stdout.waitFor("Connected to ws://");
  const bob = spawnCli(["clients/cli.ts", "ws", "--port", String(port), "--linger", "0.2"]);
  await bob.stdout.waitFor("Connected to ws://");
  await alice.stdout.waitFor("* client 2 joined");

  alice.write("hi from alice\n");
  // Bob has typed nothing: the message must still appear (the lab's client only read after sending).
  await bob.stdout.waitFor("[client 1] hi from alice");
  await server.stdout.waitFor("Received message from client 1: hi from alice");

  bob.write("hello from bob\n");
  await alice.stdout.waitFor("[client 2] hello from bob");

  server.write("welcome, both\n");
  await alice.stdout.waitFor("[server] welcome, both");
  await bob.stdout.waitFor("[server] welcome, both");

  alice.endInput();
  expect(await alice.exited()).toBe(0);
  await bob.stdout.waitFor("* client 1 left");
  bob.endInput();
  expect(await bob.exited()).toBe(0);

  // Nobody hears their own message back.
  expect(alice.stdout.text).not.toContain("hi from alice");
  expect(bob.stdout.text).not.toContain("hello from bob");

  server.proc.kill("SIGINT");
  expect(await server.exited()).toBe(0);
  expect(server.stdout.text).toMatch(/served 2 connections, 2 messages/);
});
