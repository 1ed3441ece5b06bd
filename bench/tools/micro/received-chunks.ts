import { do_not_optimize } from "mitata";
import { readBenchSeq } from "../../../protocol/bench-frame.ts";
import { latency } from "../../model/format.ts";
import { median } from "../../stats/median.ts";

const ROUND_TRIPS = 20_000;

/**
 * What it costs to look at a chunk Bun received, which mitata cannot time: the cost is paid once
 * per fresh receive buffer, and only a real socket makes one. 64 B go back and forth through an
 * echo on loopback; for the first half of the replies the handler reads the bench header by
 * index, for the second it first makes a view of the payload (what a decoder handing out
 * `subarray`s would do), so the view is timed with the code warmed up. The difference is why the clients hand replies on as ranges (clients/types.ts EchoHandlers).
 */
export async function receivedChunks(): Promise<{ indexNs: number; viewNs: number }> {
  const listener = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data: (s, d) => void s.write(d) } });
  const index: number[] = [];
  const view: number[] = [];
  const message = new Uint8Array(64);
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("the received-chunk measurement did not finish within 30 s")), 30_000);
      let n = 0;
      Bun.connect({
        hostname: "127.0.0.1",
        port: listener.port,
        socket: {
          open: (s) => void s.write(message),
          data(s, chunk) {
            const t0 = Bun.nanoseconds();
            do_not_optimize(n >= ROUND_TRIPS / 2 ? readBenchSeq(chunk.subarray(4), 0) : readBenchSeq(chunk, 0, 4, chunk.length));
            (n >= ROUND_TRIPS / 2 ? view : index).push(Bun.nanoseconds() - t0);
            if (++n < ROUND_TRIPS) return void s.write(message);
            clearTimeout(timer);
            s.end();
            resolve();
          },
        },
      }).catch(reject);
    });
  } finally {
    listener.stop(true);
  }
  const result = { indexNs: median(index), viewNs: median(view) };
  console.log(`\na view of a received chunk (64 B through a loopback echo, ${ROUND_TRIPS} chunks, medians)`);
  console.log(`  header read by index:           ${latency(result.indexNs)}`);
  console.log(`  header read through subarray(): ${latency(result.viewNs)}`);
  return result;
}
