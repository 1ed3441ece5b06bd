import { bench, do_not_optimize, group, run, summary } from "mitata";
import { BENCH_HEADER_BYTES, readBenchSeq, writeBenchHeader } from "../../../protocol/bench-frame.ts";
import { SseDecoder, encodeSse } from "../../../protocol/events.ts";
import { FrameDecoder, encodeFrame } from "../../../protocol/frame.ts";
import { newHistogram, record } from "../../stats/histogram.ts";
import { SequenceTracker } from "../../stats/sequence.ts";
import { Session } from "../../load/session.ts";
import { realScheduler } from "../../load/scheduler.ts";
import type { Pipe } from "../../load/types.ts";

/**
 * The code every message passes through, timed with mitata. These run far below mitata's
 * ~65 µs batching threshold, which is right for them: they are throughput figures (cost per
 * call), not latency distributions.
 */
export async function hotPaths(): Promise<void> {
  const small = new Uint8Array(64);
  const large = new Uint8Array(64 * 1024);
  const smallFrames = new Uint8Array(Array.from({ length: 64 }, () => [...encodeFrame(small)]).flat());
  const largeFrame = encodeFrame(large);

  group("TCP framing", () => {
    summary(() => {
      bench("encode 64 B frame", () => do_not_optimize(encodeFrame(small)));
      bench("encode 64 KiB frame", () => do_not_optimize(encodeFrame(large)));
      const decoder = new FrameDecoder(1 << 20);
      let frames = 0;
      bench("decode 64 frames of 64 B in one chunk", () => {
        decoder.push(smallFrames, () => frames++);
        do_not_optimize(frames);
      });
      bench("decode a 64 KiB frame split in 16 chunks", () => {
        for (let i = 0; i < 16; i++) decoder.push(largeFrame.subarray(i * 4097, (i + 1) * 4097), () => frames++);
        decoder.push(largeFrame.subarray(16 * 4097), () => frames++);
      });
    });
  });

  group("bench message header", () => {
    const message = new Uint8Array(BENCH_HEADER_BYTES);
    let seq = 0;
    bench("write + read sequence number", () => {
      writeBenchHeader(message, 0xdeadbeef, seq++);
      do_not_optimize(readBenchSeq(message, 0xdeadbeef));
    });
  });

  group("statistics", () => {
    const histogram = newHistogram();
    let v = 1;
    bench("HDR histogram record", () => {
      v = (v * 1103515245 + 12345) & 0x7fffffff;
      record(histogram, 20_000 + (v % 100_000));
    });
    const tracker = new SequenceTracker();
    let s = 0;
    bench("UDP sequence tracking (arrive)", () => {
      tracker.arrive(s, s * 1000, s * 1000 + 50_000);
      s++;
    });
  });

  group("time", () => {
    bench("Bun.nanoseconds()", () => do_not_optimize(Bun.nanoseconds()));
    bench("performance.now()", () => do_not_optimize(performance.now()));
  });

  group("per message: what the session does between a send and its reply", () => {
    // A pipe that does nothing: what is left is the session's own cost per message (match the
    // reply to its send, take the time twice, record latency, uncorrected latency and timeline).
    const session = new Session(realScheduler, 2e9);
    const pipe: Pipe = { issue: () => true, close: async () => {} };
    session.add(pipe);
    session.startMeasuring();
    let seq = 0;
    bench("issue + done (closed loop)", () => {
      session.issue(0);
      session.done(0, seq++);
    });
    let due = Bun.nanoseconds();
    bench("issue at a due time + done (open loop)", () => {
      due += 1000;
      session.issue(0, due);
      session.done(0, seq++);
    });
  });

  group("Server-Sent Events", () => {
    const wire = Array.from({ length: 16 }, (_, i) => encodeSse({ id: i, t: 1.7e12 + i, data: "x".repeat(64) })).join("");
    bench("decode 16 events", () => do_not_optimize(new SseDecoder().push(wire)));
  });

  await run({ colors: false });
}
