#!/usr/bin/env bun
// `bun run bench:repro`: how far consecutive default `bun run bench rtt` runs agree, and what
// limits it. Each run is bracketed by two references: a fixed piece of CPU work timed in this
// process, and a bare loopback round trip (two few-line Bun programs, no harness at all:
// bench/tools/bare.ts). Where the bare round trip varies from run to run as much as socketlab's
// figures do, the limit is the machine (its scheduler and wake-ups), not the harness, its
// placement or its run's shape.
import { parseArgs, intOpt, stringsOpt, type OptionSpecs } from "../../lib/args.ts";
import { PROJECT_ROOT, killAllChildren, spawnChild } from "../../lib/children.ts";
import { RunError, UsageError } from "../../lib/errors.ts";
import { onShutdown, runMain } from "../../lib/main.ts";
import { latency, table } from "../model/format.ts";
import type { BenchResult, LoadResult } from "../model/results.ts";
import { bareRoundTrip } from "./bare.ts";

const NOT_PINNED = { server: [], swarm: [] };

const USAGE = `usage: bun run bench:repro [--runs N] [--arg OPTION]...
  --runs N       consecutive runs (default 5)
  --arg OPTION   passed to each bench rtt run, e.g. --arg=--pin=split (repeatable)`;

const OPTIONS = { runs: { type: "string" }, arg: { type: "string", multiple: true }, help: { type: "boolean", short: "h" } } as const satisfies OptionSpecs;

/** Keeps the calibration's result alive, so that its loop cannot be optimised away. */
let sink = 0;

/** A fixed piece of integer work (about 30 ms here, a xorshift stepped 20 million times); the fastest of five tries, ms. */
function calibrate(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let t = 0; t < 5; t++) {
    const start = Bun.nanoseconds();
    let v = 2463534242 + t;
    for (let i = 0; i < 20_000_000; i++) {
      v ^= v << 13;
      v ^= v >>> 17;
      v ^= v << 5;
    }
    sink ^= v;
    best = Math.min(best, (Bun.nanoseconds() - start) / 1e6);
  }
  return best;
}

async function benchRtt(extra: string[]): Promise<LoadResult[]> {
  const child = spawnChild(["bun", "bench/cli/main.ts", "rtt", "--json", "--out", "/tmp", ...extra], PROJECT_ROOT);
  const code = await child.exited(180_000);
  if (code !== 0) throw new RunError(`bench rtt failed: ${child.stderr.text.trim().split("\n").slice(-2).join(" | ")}`);
  const result = JSON.parse(child.stdout.text) as BenchResult;
  return result.sections.flatMap((s) => (s.kind === "rtt" ? s.runs : []));
}

/** Pearson's correlation of two equally long lists. */
function correlation(a: number[], b: number[]): number {
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  const ma = mean(a);
  const mb = mean(b);
  let num = 0;
  let da = 0;
  let db = 0;
  a.forEach((x, i) => {
    num += (x - ma) * (b[i]! - mb);
    da += (x - ma) ** 2;
    db += (b[i]! - mb) ** 2;
  });
  return da > 0 && db > 0 ? num / Math.sqrt(da * db) : 0;
}

await runMain("bench:repro", USAGE, async () => {
  onShutdown(() => {
    killAllChildren();
    process.exit(130);
  });
  const args = parseArgs(process.argv.slice(2), OPTIONS);
  if (args.values.has("help")) {
    console.log(USAGE);
    return 0;
  }
  const runs = intOpt(args, "runs", 5, 2, 50);
  const extra = stringsOpt(args, "arg");
  if (args.problems.length) throw new UsageError(args.problems);

  const speeds: number[] = [];
  const bare: number[] = [];
  const p50s = new Map<string, number[]>();
  for (let i = 1; i <= runs; i++) {
    const before = calibrate();
    const bareBefore = await bareRoundTrip("tcp", 1, NOT_PINNED);
    const measured = await benchRtt(extra);
    const bareAfter = await bareRoundTrip("tcp", 1, NOT_PINNED);
    const after = calibrate();
    speeds.push((before + after) / 2);
    bare.push((bareBefore + bareAfter) / 2);
    for (const r of measured) {
      const name = r.spec.driver;
      p50s.set(name, [...(p50s.get(name) ?? []), r.latency.p50]);
    }
    console.error(
      `run ${i} of ${runs}: ${measured.map((r) => `${r.spec.driver} ${latency(r.latency.p50)}`).join(", ")}; bare round trip ${latency(bare.at(-1)!)}; the CPU work took ${speeds.at(-1)!.toFixed(1)} ms`,
    );
  }
  const spread = (xs: number[]) => Math.max(...xs) / Math.min(...xs);
  const rows = [...p50s].map(([driver, values]) => [
    driver,
    values.map(latency).join(", "),
    spread(values).toFixed(2),
    values.length === bare.length ? correlation(values, bare).toFixed(2) : "–",
    values.length === speeds.length ? correlation(values, speeds).toFixed(2) : "–",
  ]);
  rows.push(["(bare Bun round trip)", bare.map(latency).join(", "), spread(bare).toFixed(2), "1.00", correlation(bare, speeds).toFixed(2)]);
  rows.push(["(CPU work, ms)", speeds.map((s) => s.toFixed(1)).join(", "), spread(speeds).toFixed(2), correlation(speeds, bare).toFixed(2), "1.00"]);
  console.log(
    `${runs} consecutive runs of bun run bench rtt ${extra.join(" ")}\n\n${table(["driver", "p50 of each run", "max/min", "correlation with the bare round trip", "with the CPU work"], rows)}`,
  );
  console.log(
    "\nThe references are the same every time: where they vary, the machine itself did. A bare round trip (two Bun processes, no harness) that spreads as widely as socketlab's figures, and moves with them, says the limit is the machine.",
  );
  return sink === 0.5 ? 1 : 0; // never: sink is an integer
});
