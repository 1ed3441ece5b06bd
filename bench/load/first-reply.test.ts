import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { ECHO_CLIENTS } from "../../clients/index.ts";
import { startServer, type ServerProcess } from "../run/server-process.ts";
import { killAll } from "../../test/support/processes.ts";
import { until } from "../../test/support/until.ts";
import { firstReplyPipes } from "./echo-pipe.ts";
import type { Channel, OpenChannel, PipeEvents } from "./types.ts";

/** What a pipe reported, by kind. */
function recorder(): { events: PipeEvents; done: number[]; failed: string[] } {
  const done: number[] = [];
  const failed: string[] = [];
  const events: PipeEvents = { done: (seq) => void done.push(seq), failed: (_seq, kind) => void failed.push(kind), closed: () => {} };
  return { events, done, failed };
}

let echo: ServerProcess;
beforeAll(async () => {
  echo = await startServer("tcp", ["--mode", "echo", "--quiet"]);
});
afterAll(killAll);

describe("a message on a new connection", () => {
  test("each operation opens its own connection and completes on its reply", async () => {
    const events = recorder();
    const pipe = await firstReplyPipes((h, t) => ECHO_CLIENTS.tcp({ host: "127.0.0.1", port: echo.port }, h, t), 64, 2000)(0, events.events);
    for (let seq = 0; seq < 20; seq++) expect(pipe.issue(seq)).toBe(true);
    await until("20 replies", () => events.done.length === 20);
    expect([...events.done].sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
    expect(events.failed).toEqual([]);
    await pipe.close();
    expect(pipe.issue(20)).toBe(false);
  });

  test("a server that never answers: the sockets are freed after the timeout, without a second count, and by close()", async () => {
    let open = 0;
    const silent = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { open: () => void open++, close: () => void open--, data() {} } });
    try {
      const events = recorder();
      const pipe = await firstReplyPipes((h, t) => ECHO_CLIENTS.tcp({ host: "127.0.0.1", port: silent.port }, h, t), 64, 100)(0, events.events);
      for (let seq = 0; seq < 3; seq++) pipe.issue(seq);
      await until("3 connections open", () => open === 3);
      // The session counts the timeout at 100 ms; the pipe lets go of the socket a second later.
      await until("all closed after the timeout", () => open === 0, 3000);
      expect(events.failed).toEqual([]);
      expect(events.done).toEqual([]);
      for (let seq = 3; seq < 5; seq++) pipe.issue(seq);
      await until("2 more open", () => open === 2);
      await pipe.close();
      await until("closed with the pipe", () => open === 0, 1000);
    } finally {
      silent.stop(true);
    }
  }, 10_000);

  test("closing the pipe while a connection is still opening closes that one too, and sends nothing on it", async () => {
    let sent = 0;
    let closed = 0;
    let resolveOpen = (_c: Channel) => {};
    const slowOpen: OpenChannel = () => new Promise((resolve) => (resolveOpen = resolve));
    const events = recorder();
    const pipe = await firstReplyPipes(slowOpen, 64, 1000)(0, events.events);
    pipe.issue(0);
    await pipe.close();
    resolveOpen({ send: () => Boolean(++sent), close: async () => void closed++ });
    await until("the late connection closed", () => closed === 1);
    expect(sent).toBe(0);
    expect(events.done).toEqual([]);
    expect(events.failed).toEqual([]);
  });

  test("a refused connection is one failure of its kind", async () => {
    const gone = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = gone.port;
    gone.stop(true);
    const events = recorder();
    const pipe = await firstReplyPipes((h, t) => ECHO_CLIENTS.tcp({ host: "127.0.0.1", port }, h, t), 64, 1000)(0, events.events);
    pipe.issue(0);
    await until("the refusal", () => events.failed.length === 1);
    expect(events.failed[0]).toMatch(/ECONNREFUSED|refused/i);
    await pipe.close();
  });
});
