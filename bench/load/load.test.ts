import { describe, expect, test } from "bun:test";
import { summarize } from "../stats/histogram.ts";
import { closedLoop } from "./closed.ts";
import { FakeScheduler, fakeServerPipe } from "../../test/support/fake-scheduler.ts";
import { constantArrivals } from "./arrivals.ts";
import { openLoop } from "./open.ts";
import { realScheduler } from "./scheduler.ts";
import { Session } from "./session.ts";

const MS = 1_000_000;
const US = 1_000;
const S = 1_000_000_000;

function setup(opts: Parameters<typeof fakeServerPipe>[2], pipes = 1, timeoutNs = 10 * S) {
  const clock = new FakeScheduler();
  const session = new Session(clock, timeoutNs);
  for (let i = 0; i < pipes; i++) {
    session.add(fakeServerPipe(clock, session.eventsFor(session.pipes), opts));
  }
  return { clock, session };
}

const within = (got: number, want: number, tolerance = 0.002) => expect(Math.abs(got - want)).toBeLessThanOrEqual(want * tolerance);

describe("a server that stalls for 1 s during a 5 s run (service time 100 µs)", () => {
  const stall = { serviceNs: 100 * US, stallFrom: 2 * S, stallUntil: 3 * S };

  test("closed loop: the stall shows as one slow reply, and throughput simply drops (coordinated omission)", async () => {
    const { clock, session } = setup(stall);
    const done = closedLoop(session, { window: 1, warmupNs: 0, durationNs: 5 * S });
    clock.run(20 * S);
    await done;
    const r = session.result();
    const lat = summarize(r.latency);
    // 4 s of service at 100 µs each: 40,000 replies, plus the one caught by the stall.
    expect(r.counts.completed).toBeGreaterThanOrEqual(39_999);
    expect(r.counts.completed).toBeLessThanOrEqual(40_001);
    within(lat.p99, 100 * US);
    within(lat.max, 1 * S, 0.001);
    expect(r.counts.behind).toBe(0);
  });

  test("open loop at 1000/s: every request due during the stall is timed from when it was due", async () => {
    const { clock, session } = setup(stall);
    const done = openLoop(session, { arrivals: constantArrivals(1000), maxInflightPerPipe: 1, warmupNs: 0, durationNs: 5 * S });
    clock.run(20 * S);
    await done;
    const r = session.result();
    const corrected = summarize(r.latency);
    const uncorrected = summarize(r.uncorrected);
    expect(r.counts.sent).toBe(5000);
    expect(r.counts.completed).toBe(5000);
    expect(r.counts.unsent).toBe(0);
    // The request due at 2 s + j ms leaves at about 3 s + j * 0.1 ms: its corrected latency is
    // about 1 s - 0.9 j ms, so about 1111 requests are hit and the slowest 10% of all 5000 lie
    // above 1 s - 500 * 0.9 ms = 550 ms.
    within(corrected.p90, 550 * MS, 0.01);
    within(corrected.max, 1 * S, 0.001);
    within(corrected.p50, 100 * US);
    // Timed from the actual send, the stall almost vanishes: that is the omission corrected.
    within(uncorrected.p90, 100 * US);
    within(uncorrected.max, 1 * S, 0.001);
    expect(r.counts.behind).toBeGreaterThan(1100);
    expect(r.counts.behind).toBeLessThan(1120);
    within(summarize(r.lag).max, 1 * S, 0.001);
  });
});

describe("open loop", () => {
  test("sends exactly on schedule when the server keeps up", async () => {
    const { clock, session } = setup({ serviceNs: 50 * US }, 4);
    const done = openLoop(session, { arrivals: constantArrivals(2000), maxInflightPerPipe: 100, warmupNs: 1 * S, durationNs: 2 * S });
    clock.run(10 * S);
    await done;
    const r = session.result();
    expect(r.counts.sent).toBe(4000);
    expect(r.counts.completed).toBe(4000);
    expect(r.counts.behind).toBe(0);
    expect(summarize(r.lag).max).toBe(0);
    within(summarize(r.latency).max, 50 * US);
    expect(r.measuredNs).toBe(2 * S);
  });

  test("overload: the backlog grows, latency climbs, and what never left is counted", async () => {
    // Each request needs 2 ms; the schedule asks for one every 1 ms on a single connection.
    const { clock, session } = setup({ serviceNs: 2 * MS });
    const done = openLoop(session, { arrivals: constantArrivals(1000), maxInflightPerPipe: 1, warmupNs: 0, durationNs: 2 * S });
    clock.run(10 * S);
    await done;
    const r = session.result();
    expect(r.counts.completed).toBeGreaterThanOrEqual(999);
    expect(r.counts.completed).toBeLessThanOrEqual(1001);
    expect(r.counts.unsent).toBeGreaterThanOrEqual(999);
    expect(r.counts.unsent).toBeLessThanOrEqual(1001);
    // The last one sent was due at about 1 s and left at about 2 s.
    within(summarize(r.latency).max, 1 * S, 0.01);
    within(summarize(r.uncorrected).max, 2 * MS);
  });
});

describe("closed loop", () => {
  test("a window of W keeps W in flight: throughput scales with W against a pipelining server", async () => {
    const completed: number[] = [];
    for (const window of [1, 8]) {
      const { clock, session } = setup({ serviceNs: 1 * MS, parallel: true });
      const done = closedLoop(session, { window, warmupNs: 0, durationNs: 1 * S });
      clock.run(10 * S);
      await done;
      completed.push(session.result().counts.completed);
    }
    expect(completed).toEqual([1000, 8000]);
  });

  test("count mode: exactly `count` operations are measured after the warmup", async () => {
    const { clock, session } = setup({ serviceNs: 10 * US }, 3);
    const done = closedLoop(session, { window: 4, warmupNs: 1 * MS, count: 5000 });
    clock.run(10 * S);
    await done;
    const r = session.result();
    expect(r.counts.sent).toBe(5000);
    expect(r.counts.completed).toBe(5000);
    expect(r.latency.totalCount).toBe(5000);
  });

  test("lost operations time out, free their slot, and are reported as lost", async () => {
    const { clock, session } = setup({ serviceNs: 10 * US, lose: (seq) => seq % 10 === 9 }, 1, 50 * MS);
    const done = closedLoop(session, { window: 1, warmupNs: 0, count: 1000 });
    clock.run(100 * S);
    await done;
    const r = session.result();
    expect(r.counts.timeouts).toBe(100);
    expect(r.counts.completed).toBe(900);
    expect(r.sequence).toMatchObject({ sent: 1000, received: 900, lost: 100, reordered: 0, duplicated: 0 });
  });
});

test("a pipe that completes inside issue() neither recurses nor starves the loop", async () => {
  const clock = new FakeScheduler();
  const session = new Session(clock, 10 * S);
  const events = session.eventsFor(0);
  session.add({
    issue: (seq) => {
      events.done(seq);
      return true;
    },
    close: async () => {},
  });
  const closed = closedLoop(session, { window: 4, warmupNs: 0, count: 100_000 });
  clock.run(10 * S);
  await closed;
  expect(session.result().counts.completed).toBe(100_000);

  const clock2 = new FakeScheduler();
  const session2 = new Session(clock2, 10 * S);
  const events2 = session2.eventsFor(0);
  session2.add({
    issue: (seq) => {
      events2.done(seq);
      return true;
    },
    close: async () => {},
  });
  const open = openLoop(session2, { arrivals: constantArrivals(100_000), maxInflightPerPipe: 10, warmupNs: 0, durationNs: 1 * S });
  clock2.run(10 * S);
  await open;
  expect(session2.result().counts.completed).toBe(100_000);
});

describe("HdrHistogram's own coordinated-omission example, through our correction", () => {
  // 10,000 requests 10 ms apart answered in 1 ms, then a 100 s stall of the server. HdrHistogram's
  // recordValueWithExpectedInterval(100 s, 10 ms) fills in what the stall hid; our open loop
  // times every request from when it was due, so the stall's requests carry it themselves.
  test("corrected p50 1 ms, p75 50 s, p90 80 s, p99 98 s, within 0.1%", async () => {
    const { clock, session } = setup({ serviceNs: 1 * MS, parallel: true, stallFrom: 100 * S, stallUntil: 200 * S }, 1, 300 * S);
    const done = openLoop(session, { arrivals: constantArrivals(100), maxInflightPerPipe: 20_000, warmupNs: 0, durationNs: 200 * S });
    clock.run(400 * S);
    await done;
    const r = session.result();
    expect(r.counts.completed).toBe(20_000);
    const lat = summarize(r.latency);
    within(lat.p50, 1 * MS, 0.001);
    within(r.latency.getValueAtPercentile(75), 50 * S, 0.001);
    within(r.latency.getValueAtPercentile(90), 80 * S, 0.001);
    within(lat.p99, 98 * S, 0.001);
  });
});

test("an open loop offered more than its generator can send ends on time and counts the backlog as never sent (real clock)", async () => {
  const session = new Session(realScheduler, 10 * S);
  const events = session.eventsFor(0);
  session.add({
    // Each send costs the generator 4 µs: at most 250,000/s, a quarter of what is offered.
    issue: (seq) => {
      for (const until = Bun.nanoseconds() + 4 * US; Bun.nanoseconds() < until; );
      events.done(seq);
      return true;
    },
    close: async () => {},
  });
  const durationNs = 300 * MS;
  await openLoop(session, { arrivals: constantArrivals(1_000_000), maxInflightPerPipe: 1000, warmupNs: 0, durationNs });
  const r = session.result();
  const offered = 300_000;
  // A loop whose every turn sent all that was due by its start fell further behind each turn,
  // and its window stretched to seconds; bounded turns let the window end on time (a slack for
  // a pause of this machine).
  expect(r.measuredNs).toBeLessThan(durationNs + 250 * MS);
  expect(r.counts.sent).toBeLessThan(offered / 2);
  expect(r.counts.unsent).toBeGreaterThan(offered / 2);
  within(r.counts.sent + r.counts.unsent, offered, 0.02);
});

test("overload with a connection closed: its share of the backlog counts as not sent for that reason, the rest as never sent", async () => {
  // Two connections; the second is closed from the start. The first serves one request every
  // 1 ms, one at a time; the schedule asks for 10 a millisecond, alternating between the two.
  const { clock, session } = setup({ serviceNs: 1 * MS }, 2);
  session.closed(1, "gone");
  const done = openLoop(session, { arrivals: constantArrivals(10_000), maxInflightPerPipe: 1, warmupNs: 0, durationNs: 1 * S });
  clock.run(10 * S);
  await done;
  const r = session.result();
  const closed = r.counts.errors["not sent: connection closed"] ?? 0;
  // Every send of the 10,000 scheduled is counted once: sent, not sent for the closed
  // connection (its half), or never sent (the open one's share beyond what it served).
  expect(r.counts.sent + closed + r.counts.unsent).toBe(10_000);
  within(closed, 5000, 0.002);
  within(r.counts.sent, 1000, 0.002);
  within(r.counts.unsent, 4000, 0.003);
});
