import { afterAll, describe, expect, test } from "bun:test";
import { POLL_PATTERNS, publish, subscribe, type PollPattern } from "../clients/http.ts";
import type { ServerEvent } from "../protocol/events.ts";
import { killAll, startServer, runCli, spawnCli } from "./support/processes.ts";

afterAll(killAll);

const OPTIONS = { intervalMs: 10, waitMs: 5000, since: 0, timeoutMs: 5000 };

function waitForCount(events: ServerEvent[], count: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return (async () => {
    while (events.length < count) {
      if (Date.now() > deadline) throw new Error(`${events.length} of ${count} events within ${timeoutMs} ms`);
      await Bun.sleep(5);
    }
  })();
}

describe("every polling pattern delivers every event exactly once and in order", () => {
  test.each(POLL_PATTERNS.map((p) => [p]))("%s", async (pattern: PollPattern) => {
    const server = await startServer("http");
    const target = { host: "127.0.0.1", port: server.port };
    // A backlog published before subscribing, then live events, some in quick bursts.
    for (let i = 1; i <= 20; i++) await publish(target, `early ${i}`, 5000);
    const received: ServerEvent[] = [];
    const sub = subscribe(target, { ...OPTIONS, pattern }, (e) => received.push(e));
    await waitForCount(received, 20);
    for (let i = 21; i <= 120; i++) {
      await publish(target, `live ${i}`, 5000);
      if (i % 10 === 0) await Bun.sleep(15); // let pollers catch up between bursts
    }
    await waitForCount(received, 120);
    await Bun.sleep(50); // a duplicate, if any were coming, would have arrived by now
    sub.close();
    await sub.done;

    expect(received.map((e) => e.id)).toEqual(Array.from({ length: 120 }, (_, i) => i + 1));
    expect(received.map((e) => e.data)).toEqual(Array.from({ length: 120 }, (_, i) => `${i < 20 ? "early" : "live"} ${i + 1}`));
    expect(sub.stats.events).toBe(120);
    expect(sub.stats.missed).toBe(0);
    if (pattern === "sse") expect(sub.stats.requests).toBe(1);
    else expect(sub.stats.requests).toBeGreaterThan(1);
    await server.stop();
  });
});

test("a long poll is held until an event arrives, and one with nothing new returns empty at its deadline", async () => {
  const server = await startServer("http");
  const base = `http://127.0.0.1:${server.port}`;
  const t0 = performance.now();
  const empty = await (await fetch(`${base}/events?since=0&wait=150`)).json();
  expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
  expect(empty).toEqual({ events: [], next: 0, missed: 0 });

  const held = fetch(`${base}/events?since=0&wait=10000`).then((r) => r.json());
  await Bun.sleep(50);
  await publish({ host: "127.0.0.1", port: server.port }, "news", 5000);
  const reply = (await held) as { events: ServerEvent[]; next: number };
  expect(reply.events.map((e) => e.data)).toEqual(["news"]);
  expect(reply.next).toBe(1);
  await server.stop();
});

test("the http client CLI prints events by SSE and stops after --count", async () => {
  const server = await startServer("http");
  const target = { host: "127.0.0.1", port: server.port };
  const watcher = spawnCli(["clients/cli.ts", "http", "--port", String(server.port), "--poll", "sse", "--count", "3"]);
  await watcher.stdout.waitFor("Subscribed to");
  const published = await runCli(["clients/cli.ts", "http", "--port", String(server.port), "--publish", "first"]);
  expect(published.stdout.trim()).toBe("Published event 1");
  await publish(target, "second", 5000);
  await publish(target, "third", 5000);
  expect(await watcher.exited()).toBe(0);
  expect(watcher.stdout.lines.filter((l) => l.startsWith("Event"))).toEqual(["Event 1: first", "Event 2: second", "Event 3: third"]);
  expect(watcher.stdout.text).toContain("Received 3 events in 1 requests");
  await server.stop();
});

test("http chat mode: lines typed by the operator become events", async () => {
  const server = await startServer("http", ["--mode", "chat"]);
  server.write("hello pollers\n");
  const poll = await runCli(["clients/cli.ts", "http", "--port", String(server.port), "--poll", "long", "--count", "1"]);
  expect(poll.stdout).toContain("Event 1: [server] hello pollers");
  await server.stop();
});
