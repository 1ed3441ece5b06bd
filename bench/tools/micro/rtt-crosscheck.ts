import { Bench } from "tinybench";
import { ECHO_CLIENTS } from "../../run/bind.ts";
import { runLoad } from "../../run/load-run.ts";
import { startServer } from "../../run/server-process.ts";
import { latency, times } from "../../model/format.ts";

/**
 * An independent check of the rtt scenario: tinybench times the same TCP round trip (64 B
 * through the echo server) with its own loop and statistics — margin of error, percentiles —
 * and the two p50s are compared. tinybench reports milliseconds. A large disagreement means one
 * of the two measures something else than a round trip.
 */
export async function rttCrosscheck(durationMs = 2000): Promise<{ tinybenchP50Ns: number; harnessP50Ns: number }> {
  const server = await startServer("tcp", ["--mode", "echo", "--quiet"]);
  try {
    let resolveReply: () => void = () => {};
    const channel = await ECHO_CLIENTS.tcp({ host: "127.0.0.1", port: server.port }, { onReply: () => resolveReply() });
    const message = new Uint8Array(64);
    const bench = new Bench({ time: durationMs, warmupTime: 300 });
    bench.add("TCP round trip, 64 B (tinybench)", async () => {
      const reply = new Promise<void>((resolve) => (resolveReply = resolve));
      channel.send(message);
      await reply;
    });
    await bench.run();
    await channel.close();
    const result = bench.tasks[0]!.result;
    if (result.state !== "completed") throw new Error(`tinybench did not complete: ${result.state}`);
    const tb = result.latency;

    const harness = await runLoad({
      driver: "tcp",
      clients: 1,
      procs: 1,
      size: 64,
      model: "closed",
      window: 1,
      ratePerSec: 0,
      warmupMs: 300,
      durationMs,
      timeoutMs: 2000,
      rampMs: 0,
      pin: "none",
    });
    console.log("\nrtt cross-check (TCP, 64 B, one in flight)");
    console.log(
      `  tinybench: p50 ${latency(tb.p50 * 1e6)}  p99 ${latency(tb.p99 * 1e6)}  mean ${latency(tb.mean * 1e6)} ± ${tb.rme.toFixed(2)}% (margin of error, 95%)  ${tb.samplesCount ?? ""} samples`,
    );
    console.log(
      `  harness:   p50 ${latency(harness.latency.p50)}  p99 ${latency(harness.latency.p99)}  mean ${latency(harness.latency.mean)}  ${harness.latency.count} samples`,
    );
    console.log(`  harness p50 / tinybench p50 = ${times(harness.latency.p50 / (tb.p50 * 1e6))}`);
    return { tinybenchP50Ns: tb.p50 * 1e6, harnessP50Ns: harness.latency.p50 };
  } finally {
    server.kill("SIGKILL");
  }
}
