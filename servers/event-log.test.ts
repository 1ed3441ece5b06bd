import { describe, expect, test } from "bun:test";
import { EventLog } from "./event-log.ts";

const ids = (log: EventLog, since: number, limit?: number) => log.since(since, limit).events.map((e) => e.id);

describe("EventLog", () => {
  test("numbers events from 1 and returns those after `since`, oldest first", () => {
    const log = new EventLog(100);
    for (let i = 0; i < 5; i++) log.publish(`e${i}`);
    expect(ids(log, 0)).toEqual([1, 2, 3, 4, 5]);
    expect(ids(log, 3)).toEqual([4, 5]);
    expect(log.since(3).next).toBe(5);
    expect(log.since(5)).toEqual({ events: [], next: 5, missed: 0 });
  });

  test("limits a reply and continues from where it stopped", () => {
    const log = new EventLog(100);
    for (let i = 0; i < 10; i++) log.publish("x");
    const first = log.since(0, 4);
    expect(first.events.map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect(ids(log, first.next, 4)).toEqual([5, 6, 7, 8]);
  });

  test("keeps only `capacity` events and reports how many a late poller missed", () => {
    const log = new EventLog(3);
    for (let i = 0; i < 10; i++) log.publish("x");
    const reply = log.since(2);
    expect(reply.events.map((e) => e.id)).toEqual([8, 9, 10]);
    expect(reply.missed).toBe(5);
    expect(log.since(7).missed).toBe(0);
  });

  test("sends a poller from before a restart back to the present", () => {
    const log = new EventLog(10);
    log.publish("x");
    expect(log.since(500)).toEqual({ events: [], next: 1, missed: 0 });
  });

  test("notifies subscribers until they unsubscribe", () => {
    const log = new EventLog(10);
    const seen: number[] = [];
    const off = log.subscribe((e) => seen.push(e.id));
    log.publish("a");
    expect(log.subscribers).toBe(1);
    off();
    log.publish("b");
    expect(seen).toEqual([1]);
    expect(log.subscribers).toBe(0);
  });
});
