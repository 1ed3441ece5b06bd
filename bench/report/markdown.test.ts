import { expect, test } from "bun:test";
import { quickSuiteFixture } from "../../test/support/fixtures.ts";
import { latency, table, times } from "../model/format.ts";
import { renderMarkdown } from "./markdown.ts";
import { renderSummary } from "./terminal.ts";

const result = quickSuiteFixture();

test("the report of a recorded run renders exactly as before", () => {
  expect(renderMarkdown(result)).toMatchSnapshot();
});

test("the headline states the push comparison with its measured ratio", () => {
  const md = renderMarkdown(result);
  const push = result.sections.find((s) => s.kind === "push")!;
  const ws = push.runs.find((r) => "label" in r && r.label === "WebSocket push")!;
  const short = push.runs.find((r) => "label" in r && r.label === "HTTP short polling, every 250 ms")!;
  if (!("label" in ws) || !("label" in short)) throw new Error("fixture has no push runs");
  expect(md).toContain(
    `WebSocket push delivered events in ${latency(ws.latency.p50)} at p50; 250 ms polling took ${latency(short.latency.p50)}, ${times(short.latency.p50 / ws.latency.p50)} slower`,
  );
});

test("the terminal summary has a table per section and the findings", () => {
  const summary = renderSummary(result);
  for (const section of ["rtt", "push", "distance", "throughput", "load"]) expect(summary).toContain(`\n${section}\n`);
  expect(summary).toContain("* A 64-byte round trip (p50), fastest first: UDP");
});

test("formatting", () => {
  expect(latency(48_213)).toBe("48.2 µs");
  expect(latency(131_400_000)).toBe("131 ms");
  expect(latency(1_500_000_000)).toBe("1.50 s");
  expect(latency(999_817_215)).toBe("1.00 s"); // not "1.00e+3 ms"
  expect(latency(999_950)).toBe("1.00 ms");
  expect(latency(999_400)).toBe("999 µs");
  expect(times(497.3)).toBe("497×");
  expect(times(2.14)).toBe("2.1×");
  expect(table(["a", "b"], [["x|y", "1"]])).toBe("| a | b |\n| --- | ---: |\n| x\\|y | 1 |");
});
