// Generated from bench/result.schema.json by bench/tools/schema-types.ts: do not edit.
// Change the schema, then run `bun run schema:types`.

export type Scenario = "suite" | "rtt" | "push" | "throughput" | "load" | "capacity" | "connect" | "udp" | "fanout" | "distance" | "browser";
export type Transport = "tcp" | "udp" | "ws" | "http" | "https" | "wss";
/**
 * CPU pinning: none, server and swarm together on CPU 0 (same), or on CPUs 0 and 1 (split).
 */
export type Pin = "none" | "same" | "split";
/**
 * A time of day, ISO 8601 in UTC.
 */
export type Time = string;
/**
 * The outcome of one scenario, by kind: its runs, and what the scenario concluded from them.
 */
export type Section =
  | HelloSection
  | RttSection
  | ThroughputSection
  | LoadSection
  | CapacitySection
  | ConnectSection
  | UdpSection
  | PushSection
  | FanoutSection
  | DistanceSection
  | BrowserSection;
/**
 * How a run loaded the server: DRIVER_NAMES in bench/catalog.ts (a test keeps the two equal).
 */
export type Driver =
  | "tcp"
  | "udp"
  | "udp-oneway"
  | "ws"
  | "http"
  | "http-close"
  | "tcp-connect"
  | "ws-connect"
  | "tcp-new"
  | "ws-new"
  | "https"
  | "https-close"
  | "wss"
  | "wss-connect"
  | "wss-new";
export type Count = number;
/**
 * An HdrHistogram of nanoseconds (1 ns to 600 s, 3 significant digits) in the V2 compressed encoding, base64, as hdr-histogram-js encodeIntoCompressedBase64 writes it.
 */
export type Histogram = string;
/**
 * What was not run, and why (e.g. UDP above its datagram limit).
 */
export type Skipped = string[];
/**
 * How subscribers learned of events: PUSH_KINDS in bench/catalog.ts (a test keeps the two equal).
 */
export type PushPattern = "ws" | "sse" | "long" | "short";

/**
 * What `bun run bench` writes as <time>-<scenario>.json and what compare and merge read: format version 3. This schema is the field-by-field reference (docs/result-format.md explains the concepts); readResult in bench/model/result-file.ts validates every file against it, and bench/model/result-format.generated.ts is generated from it. Times are nanoseconds unless a field name says otherwise (Ms, Sec, Us, Ns); sizes are bytes; rates are per second.
 */
export interface SocketlabResult {
  /**
   * What this is and which version of the format (RESULT_FORMAT in bench/model/results.ts; a test keeps the two equal).
   */
  format: {
    name: "socketlab-result";
    version: 5;
  };
  /**
   * The program that wrote the file.
   */
  tool: {
    name: "socketlab";
    version: string;
  };
  /**
   * Set by `bench merge`: how many results were combined into this one.
   */
  parts?: number;
  scenario: Scenario;
  config: Config;
  /**
   * The command line that made the result (in a merged one, followed by a # comment naming the merged files).
   */
  command: string;
  environment: Environment;
  startedAt: Time;
  finishedAt: Time;
  elapsedSec: number;
  /**
   * One per scenario run (the suite runs several).
   */
  sections: Section[];
  /**
   * With a relay (--net, the distance section): what the relay itself added per round trip, measured before the run, per relay kind.
   */
  relayOverhead?: RelayOverhead[];
  /**
   * The --assert thresholds, evaluated once the run was done.
   */
  assertions?: AssertionOutcome[];
}
/**
 * The validated options (BenchConfig less argv); an option left out is absent and took each scenario's default.
 */
export interface Config {
  scenario: Scenario;
  transports: Transport[];
  target?: Target;
  exchange?: UrlExchange;
  net?: Profile;
  clients?: number;
  procs: number;
  sizes?: number[];
  rates?: number[];
  window?: number;
  durationMs?: number;
  count?: number;
  warmupMs?: number;
  rampMs: number;
  timeoutMs: number;
  pin: Pin;
  quick: boolean;
  /**
   * Short-polling intervals, ms.
   */
  intervals?: number[];
  subscribers?: number[];
  eventRate?: number;
  eventSize: number;
  /**
   * Distance: the round-trip times to emulate, ms.
   */
  rtts?: number[];
  outDir: string;
  /**
   * Which report files were written: a list of md, json, csv (one row per interval per run), html (one self-contained page), pdf, or both (md and json) and all (md, json and csv).
   */
  format: string;
  /**
   * Latency over time: each interval's length, when not the default 1000 ms (--interval).
   */
  intervalMs?: number;
  /**
   * Where an HdrHistogram interval log of every run was written (--hlog).
   */
  hlog?: string;
  repeat: number;
  assertions: Assertion[];
  /**
   * The JSON result went to stdout instead of the summary table.
   */
  json: boolean;
  /**
   * Open loop: stages the rate ramps through (--stages).
   */
  stages?: RampStage[];
  /**
   * Capacity: the objectives (--slo).
   */
  slo?: Objective[];
  /**
   * Capacity: the top of the search (--max-rate).
   */
  maxRate?: number;
  /**
   * Capacity: the bracket's width at which the search ends, a share (--precision).
   */
  precision?: number;
  /**
   * --start-at: the first run started measuring at this instant (epoch ms).
   */
  startAtMs?: number;
  /**
   * --metrics-port: where live metrics were served.
   */
  metrics?: {
    host: string;
    port: number;
  };
  /**
   * PDF reports: the paper size.
   */
  paper?: "a4" | "letter";
}
/**
 * A server started elsewhere that the run measured (--target).
 */
export interface Target {
  host: string;
  port: number;
}
/**
 * A URL target (a server socketlab did not write): what each operation sent and what answered it. Credentials among the headers are redacted; the message's bytes are not recorded (size counts them).
 */
export interface UrlExchange {
  /**
   * The target as given, without user:password.
   */
  url: string;
  scheme: "http" | "https" | "ws" | "wss" | "tcp" | "udp";
  /**
   * HTTP and WebSocket: the path and query asked for.
   */
  path: string;
  /**
   * HTTP: the request method; empty for the others.
   */
  method: string;
  /**
   * Header fields sent (HTTP, and the WebSocket upgrade), values of credentials replaced by "(redacted)".
   */
  headers: [string, string][];
  /**
   * Never written to a result: the message's bytes (--message, --body).
   */
  payloadBase64?: string;
  /**
   * HTTP statuses counted as success; empty: any 2xx.
   */
  expectStatus: number[];
  /**
   * TCP: how messages were delimited.
   */
  frame: "length" | "none" | "line";
  /**
   * How a reply was matched to its message: our header or the message echoed, or the next answer in order.
   */
  match: "echo" | "any";
  subprotocol?: string;
  /**
   * HTTP: a new connection per request.
   */
  newConnection: boolean;
  /**
   * HTTP: requests in flight per keep-alive connection.
   */
  pipeline: number;
}
/**
 * Network conditions a relay applied between the swarm and the server, each direction on its own (netem/profile.ts Profile, parsed from --net).
 */
export interface Profile {
  /**
   * The named profile this is exactly ("wifi"); absent when it was given by its figures or overridden.
   */
  name?: string;
  /**
   * One-way delay, milliseconds: a round trip pays it twice.
   */
  delayMs: number;
  /**
   * Largest deviation from the delay, milliseconds (uniform distribution).
   */
  jitterMs: number;
  /**
   * Probability (0 to 1) that a UDP datagram is dropped. Not applied to TCP.
   */
  loss: number;
  /**
   * Capacity of each direction, bits per second; absent: no cap.
   */
  rateBitsPerSec?: number;
}
/**
 * A --assert threshold as given.
 */
export interface Assertion {
  text: string;
  /**
   * A metric name as bench/model/figures.ts makes them, e.g. ws.rtt.p99.
   */
  metric: string;
  op: "<" | "<=" | ">" | ">=";
  /**
   * In the metric's own unit (ns, per second, bytes, share...).
   */
  bound: number;
}
/**
 * One stage of a ramp (--stages): over its length the total rate goes linearly from one figure to the other.
 */
export interface RampStage {
  lengthMs: number;
  fromPerSec: number;
  toPerSec: number;
}
/**
 * A latency objective (--slo): the percentile must stay below the bound.
 */
export interface Objective {
  /**
   * 0-100; max is 100.
   */
  percentile: number;
  boundNs: number;
  /**
   * As written: "p99<5ms".
   */
  text: string;
}
/**
 * The machine the run was made on, and how its processes were placed on CPUs.
 */
export interface Environment {
  bun: string;
  os: string;
  kernel: string;
  arch: string;
  cpuModel: string;
  cpus: number;
  memoryGiB: number;
  pinning: Pin;
  /**
   * Where the server and the swarm were allowed to run, and where they were seen running.
   */
  placement: string;
  gitCommit?: string;
}
/**
 * The lab's hello exercises, as a student runs them (not measured).
 */
export interface HelloSection {
  kind: "hello";
  runs: LoadRun[];
  exchanges: Exchange[];
}
/**
 * One measured echo load (LoadResult in bench/model/results.ts). latency is corrected for coordinated omission in an open loop (timed from when each message was due), uncorrected is timed from when each message actually left, lag is how late each send left its schedule (open loop). serverRejected and serverErrors are the server's own counts, by name.
 */
export interface LoadRun {
  spec: LoadSpec;
  latency: LatencySummary;
  uncorrected: LatencySummary;
  lag: LatencySummary;
  histograms?: EchoHistograms;
  counts: SessionCounts;
  sequence: Sequence;
  measuredSec: number;
  opsPerSec: number;
  /**
   * Payload bytes per second in each direction.
   */
  payloadBytesPerSec: number;
  cost: {
    client: SwarmCost;
    server: ProcessCost;
    clientCpuPerOpUs: number;
    serverCpuPerOpUs: number;
  };
  /**
   * Kernel-counted TCP payload bytes and segments per completed operation, each direction (absent where not measurable).
   */
  wirePerOp?: {
    in: number;
    out: number;
    segmentsIn: number;
    segmentsOut: number;
  };
  /**
   * Latency over time: the measured phase in intervals (--interval, default 1 s). A completion counts in the interval it completes in; the drain's in the last. Absent in files written before it.
   */
  timeline?: Interval[];
  pauses?: Pauses;
  placement: Placement;
  /**
   * host:port of a remote server; its CPU, memory and socket bytes were not measured.
   */
  remote?: string;
  relay?: RelayOutcome;
  /**
   * Over TLS: what a handshake with the server negotiated.
   */
  tls?: {
    version: string;
    cipher: string;
  };
  /**
   * One-way runs: datagrams sent in the whole run (warm-up included) and those the server counted.
   */
  oneWay?: {
    sent: Count;
    received: Count;
    lost: Count;
  };
  serverRejected: CountsByName;
  serverErrors: CountsByName;
  repeat?: Repetitions;
  /**
   * With --stages: each stage's figures.
   */
  stages?: StageResult[];
  capacity?: CapacityResult;
  window?: MeasuredWindow;
}
/**
 * What an echo run measured: the driver, the message size, the load model and the swarm's shape.
 */
export interface LoadSpec {
  driver: Driver;
  /**
   * Connections in all, spread over procs swarm processes.
   */
  clients: number;
  procs: number;
  /**
   * Message size, bytes.
   */
  size: number;
  model: "closed" | "open";
  /**
   * Closed loop: messages in flight per connection; open loop: the per-connection in-flight cap.
   */
  window: number;
  /**
   * Open loop: operations per second in all (with stages: the peak; in a capacity search: the first step's); 0 in a closed loop.
   */
  ratePerSec: number;
  warmupMs: number;
  /**
   * The measured phase, when it was timed (else count).
   */
  durationMs?: number;
  /**
   * Operations in the measured phase, when they were counted (else durationMs).
   */
  count?: number;
  /**
   * An operation with no reply after this long is given up (a timeout, or lost).
   */
  timeoutMs: number;
  /**
   * Connections were opened evenly over this long before the load started.
   */
  rampMs: number;
  /**
   * Latency over time: each interval's length, when not the default 1000 ms.
   */
  timelineMs?: number;
  pin: Pin;
  /**
   * Extra server options (fault injection in tests).
   */
  serverArgs?: string[];
  target?: Target;
  exchange?: UrlExchange;
  net?: Profile;
  /**
   * Open loop: the rate ramped through these, one after another (--stages).
   */
  stages?: RampStage[];
  capacity?: CapacitySpec;
}
/**
 * The capacity search a run made instead of a fixed rate.
 */
export interface CapacitySpec {
  objectives: Objective[];
  /**
   * The first step's rate, total per second.
   */
  startPerSec: number;
  /**
   * The top of the search.
   */
  maxPerSec: number;
  /**
   * Each step's length at one rate.
   */
  stepMs: number;
  /**
   * The search ended when the bracket was at most this share of its lower end wide.
   */
  precision: number;
}
/**
 * Figures read from a histogram, in nanoseconds (count is a count). max is the 100th percentile at histogram precision.
 */
export interface LatencySummary {
  count: Count;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  stdev: number;
}
/**
 * The histograms the three summaries were read from. Always written, and merge needs them; a file trimmed by hand (a test fixture) may lack them.
 */
export interface EchoHistograms {
  latency: Histogram;
  uncorrected: Histogram;
  lag: Histogram;
}
/**
 * What happened to the operations of the measured phase.
 */
export interface SessionCounts {
  sent: Count;
  completed: Count;
  /**
   * Given up after timeoutMs (UDP: lost).
   */
  timeouts: number;
  /**
   * Sends issued more than 1 ms after their intended time (open loop).
   */
  behind: number;
  /**
   * Sends the schedule called for that never left (open loop overload).
   */
  unsent: number;
  errors: CountsByName;
}
export interface CountsByName {
  [k: string]: number;
}
/**
 * Sequence-number accounting, as iperf3 does it: loss, reordering, duplicates, late arrivals, and RFC 3550 jitter in ns.
 */
export interface Sequence {
  sent: Count;
  received: Count;
  lost: Count;
  reordered: Count;
  duplicated: Count;
  late: Count;
  jitterNs: number;
}
/**
 * Every swarm process together: CPU summed, the largest process's peak memory, and how many processes.
 */
export interface SwarmCost {
  userMs: number;
  sysMs: number;
  peakRssBytes: number;
  processes: number;
}
/**
 * One process over the measured phase, from /proc: CPU time (user and system, every thread), ms, and peak resident memory, bytes.
 */
export interface ProcessCost {
  userMs: number;
  sysMs: number;
  peakRssBytes: number;
}
/**
 * One interval of a run, every swarm process's share added.
 */
export interface Interval {
  /**
   * From the start of the measured phase.
   */
  startMs: number;
  lengthMs: number;
  count: Count;
  /**
   * Completions per second in the interval.
   */
  rate: number;
  /**
   * ns
   */
  p50: number;
  /**
   * ns
   */
  p99: number;
  /**
   * ns
   */
  max: number;
  errors: Count;
  /**
   * The interval's HdrHistogram, compressed base64, ns: what --hlog writes.
   */
  histogram: string;
}
/**
 * The machine's own pauses while the run measured: a sleeper in each process, waking every 5 ms, recorded how late it woke (jHiccup's method). The swarm processes' together; the server's over its life (absent for a remote server). Absent in files written before they were measured, and in merged results.
 */
export interface Pauses {
  swarm: LatencySummary;
  server?: LatencySummary;
}
/**
 * Which CPUs the server and each swarm process were allowed and last seen on (null: not readable).
 */
export interface Placement {
  server?: CpuPlacement;
  swarm: (CpuPlacement | null)[];
}
export interface CpuPlacement {
  /**
   * CPUs the process may run on, as the kernel lists them ("0-1").
   */
  allowed: string;
  /**
   * The CPU it last ran on.
   */
  lastCpu: number;
}
/**
 * With a relay: the conditions applied and the bytes it carried each way (a second count of bytes on the wire).
 */
export interface RelayOutcome {
  /**
   * The conditions, described: "wifi: delay 3 ms ± 2 ms, loss 0.5%".
   */
  profile: string;
  bytesUp: number;
  bytesDown: number;
  /**
   * UDP: datagrams the profile dropped on purpose, swarm to server.
   */
  droppedUp?: number;
  /**
   * UDP: datagrams the profile dropped on purpose, server to swarm.
   */
  droppedDown?: number;
  /**
   * What the relay itself adds to a round trip on this machine, measured when it started and taken off the delay (half each way), µs.
   */
  tareUs?: number;
  /**
   * The relay's own timing error: how late it released bytes after their due instant, µs, and how many releases were over 1 ms late.
   */
  released?: {
    count: Count;
    p50LateUs: number;
    p99LateUs: number;
    maxLateUs: number;
    lateOver1ms: Count;
  };
}
/**
 * With --rounds (or --repeat): how many interleaved rounds made the run, each figure's median and range over them, and each round's figures (the run shown is the median one). Figures are named as bench/model/figures.ts names them.
 */
export interface Repetitions {
  count: number;
  figures: {
    [k: string]: {
      median: number;
      min: number;
      max: number;
    };
  };
  /**
   * Each round's figures, in the order the rounds ran (absent in files written before rounds).
   */
  rounds?: {
    [k: string]: number;
  }[];
}
/**
 * One stage of a ramp: operations counted by when they were due in it.
 */
export interface StageResult {
  /**
   * From the start of the measured phase.
   */
  startMs: number;
  lengthMs: number;
  fromPerSec: number;
  toPerSec: number;
  /**
   * Operations due in it that were sent (late ones included).
   */
  sent: number;
  completed: Count;
  timeouts: Count;
  errors: Count;
  /**
   * Sent per second of its length.
   */
  offeredPerSec: number;
  /**
   * Answered per second of its length.
   */
  achievedPerSec: number;
  latency: LatencySummary1;
  histogram: Histogram;
  /**
   * How late its sends left, p99, ns.
   */
  lagP99: number;
}
/**
 * Figures read from a histogram, in nanoseconds (count is a count). max is the 100th percentile at histogram precision.
 */
export interface LatencySummary1 {
  count: Count;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  stdev: number;
}
/**
 * What a capacity search found.
 */
export interface CapacityResult {
  objectives: string[];
  /**
   * The highest rate that held the objectives; absent when none did.
   */
  ratePerSec?: number;
  /**
   * The lowest rate that did not; absent when every rate up to the top held.
   */
  failedAtPerSec?: number;
  /**
   * Whether the best rate held again when run once more.
   */
  confirmed?: boolean;
  /**
   * The top of the search.
   */
  maxPerSec: number;
  steps: CapacityStep[];
}
/**
 * One step of a capacity search: one rate for a step's length, then judged.
 */
export interface CapacityStep {
  ratePerSec: number;
  pass: boolean;
  /**
   * Failed: the first objective broken and the value that broke it.
   */
  broke?: {
    objective: string;
    valueNs: number;
  };
  /**
   * Failed: operations due in the step not answered (timed out, failed or never sent).
   */
  unanswered?: number;
  /**
   * The best rate run once more at the end.
   */
  confirmation?: boolean;
  /**
   * Operations due in it that were sent (late ones included).
   */
  sent: number;
  completed: Count;
  timeouts: Count;
  errors: Count;
  /**
   * Sent per second of its length.
   */
  offeredPerSec: number;
  /**
   * Answered per second of its length.
   */
  achievedPerSec: number;
  latency: LatencySummary2;
  histogram: Histogram;
  /**
   * How late its sends left, p99, ns.
   */
  lagP99: number;
}
/**
 * Figures read from a histogram, in nanoseconds (count is a count). max is the 100th percentile at histogram precision.
 */
export interface LatencySummary2 {
  count: Count;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
  stdev: number;
}
/**
 * When a run measured, in wall-clock time (epoch ms): from the first swarm process starting its measured phase to the last ending it. bench merge refuses shares whose windows overlap by less than 90% (unless --allow-apart).
 */
export interface MeasuredWindow {
  startMs: number;
  endMs: number;
}
/**
 * One hello exercise: the two commands and what each printed.
 */
export interface Exchange {
  title: string;
  serverCommand: string;
  clientCommand: string;
  server: string[];
  client: string[];
}
/**
 * Round trips, one run per driver (and size).
 */
export interface RttSection {
  kind: "rtt";
  runs: LoadRun[];
  skipped: Skipped;
}
/**
 * Echo runs over a size sweep.
 */
export interface ThroughputSection {
  kind: "throughput";
  runs: LoadRun[];
  skipped: Skipped;
}
/**
 * Open-loop echo runs over a rate sweep, per driver.
 */
export interface LoadSection {
  kind: "load";
  runs: LoadRun[];
  knees: Knee[];
}
/**
 * Per driver: the lowest offered rate at which latency climbed or the server fell behind (rate and reason absent if none did).
 */
export interface Knee {
  driver: Driver;
  rate?: number;
  reason?: string;
}
/**
 * A capacity search per driver: the highest rate holding the objectives.
 */
export interface CapacitySection {
  kind: "capacity";
  runs: LoadRun[];
  objectives: string[];
}
/**
 * Connection set-up runs.
 */
export interface ConnectSection {
  kind: "connect";
  runs: LoadRun[];
  skipped: Skipped;
  /**
   * TCP sockets in TIME_WAIT before each run (null: unknown).
   */
  timeWait: (number | null)[];
}
/**
 * Echoed and one-way UDP over a rate sweep.
 */
export interface UdpSection {
  kind: "udp";
  runs: LoadRun[];
  /**
   * The lowest offered rate with loss in the echo runs; absent if none lost.
   */
  lossBeginsAt?: number;
  oneWay: LoadRun[];
  /**
   * The same for the one-way runs.
   */
  oneWayLossBeginsAt?: number;
}
/**
 * Push runs, one per pattern.
 */
export interface PushSection {
  kind: "push";
  runs: PushRun[];
  eventsPerSec: number;
  subscribers: number;
}
/**
 * One push measurement (PushRunResult in bench/model/results.ts). latency is the publish-to-receipt latency of every delivery; slowestDelivery, per event, the time until its last subscriber had it.
 */
export interface PushRun {
  spec: PushSpec;
  /**
   * e.g. "HTTP short polling, every 250 ms".
   */
  label: string;
  latency: LatencySummary;
  slowestDelivery: LatencySummary;
  /**
   * An HdrHistogram of nanoseconds (1 ns to 600 s, 3 significant digits) in the V2 compressed encoding, base64, as hdr-histogram-js encodeIntoCompressedBase64 writes it.
   */
  histogram?: string;
  /**
   * Events published in the measured window.
   */
  events: number;
  /**
   * Deliveries expected: events × subscribers.
   */
  expected: number;
  delivered: Count;
  /**
   * HTTP requests made (a WebSocket or an SSE stream: the one that opened it).
   */
  requests: number;
  /**
   * Polls answered with no event.
   */
  emptyPolls: number;
  /**
   * Events a poller was told it missed (already evicted).
   */
  missed: number;
  /**
   * Deliveries that seemed to arrive before their publication.
   */
  clockAnomalies: number;
  requestsPerEvent: number;
  /**
   * Kernel-counted TCP payload bytes per delivered event, each direction (absent where not measured).
   */
  bytesPerEvent?: {
    up: number;
    down: number;
  };
  cost: {
    client: SwarmCost;
    server: ProcessCost;
  };
  /**
   * host:port of a remote server; its CPU, memory and socket bytes were not measured.
   */
  remote?: string;
  clock?: ClockOffset;
  relay?: RelayOutcome;
  /**
   * Latency over time: deliveries by the interval their event was published in. Absent in files written before it.
   */
  timeline?: Interval[];
  pauses?: Pauses;
  placement: Placement;
  repeat?: Repetitions;
  window?: MeasuredWindow;
}
/**
 * What a push run measured: the pattern, the subscribers and the events.
 */
export interface PushSpec {
  pattern: PushPattern;
  /**
   * Short polling: the pause between polls; 0 otherwise.
   */
  intervalMs: number;
  subscribers: number;
  procs: number;
  eventsPerSec: number;
  eventSize: number;
  warmupMs: number;
  durationMs: number;
  timeoutMs: number;
  rampMs: number;
  /**
   * Latency over time: each interval's length, when not the default 1000 ms.
   */
  timelineMs?: number;
  pin: Pin;
  target?: Target;
  net?: Profile;
}
/**
 * Across hosts: the server clock's offset from the swarm's, estimated NTP-style from the fastest of several round trips.
 */
export interface ClockOffset {
  /**
   * Add to a local reading to get the server's.
   */
  offsetMs: number;
  /**
   * The estimate is within ± this (half the fastest round trip).
   */
  uncertaintyMs: number;
  samples: number;
}
/**
 * Push runs over a subscriber sweep.
 */
export interface FanoutSection {
  kind: "fanout";
  runs: PushRun[];
  eventsPerSec: number;
}
/**
 * The same requests (runs) and pushes (push) at every round-trip time; each run's spec.net is its relay profile, whose one-way delay is half the round trip.
 */
export interface DistanceSection {
  kind: "distance";
  /**
   * The round-trip times, in order.
   */
  rttsMs: number[];
  runs: LoadRun[];
  push: PushRun[];
}
/**
 * The lab's comparison measured in headless Chromium, its page cross-origin isolated; rows empty and skipped saying why (and how to enable it) where there is no Chromium.
 */
export interface BrowserSection {
  kind: "browser";
  rows: BrowserRow[];
  skipped: string[];
  userAgent?: string;
  /**
   * Whether the page was cross-origin isolated (COOP and COEP), which sets the timer's resolution.
   */
  isolated?: boolean;
  /**
   * The smallest step performance.now() took in the page, microseconds.
   */
  timerResolutionUs?: number;
  /**
   * The push server's clock minus the page's, from the /time exchange with the shortest round trip, microseconds.
   */
  clockOffsetUs?: number;
  clockRttUs?: number;
  eventsPerSec: number;
}
/**
 * One figure the browser measured: a way of learning of events (kind push) or a kind of request.
 */
export interface BrowserRow {
  /**
   * Push: ws, sse, long or short; requests: ws, fetch (keep-alive) or fetch-new.
   */
  subject: string;
  kind: "push" | "request";
  intervalMs: number;
  label: string;
  latency: LatencySummary;
  /**
   * The latencies as an HDR histogram, compressed and base64-encoded.
   */
  histogram: string;
  expected?: number;
  delivered?: number;
  duplicates?: number;
  requests?: number;
  newConnections?: number;
  failures: number;
}
/**
 * What the relay itself adds per round trip: alternating round trips of 64 B to an echo server, direct and through a relay with no conditions.
 */
export interface RelayOverhead {
  transport: "tcp" | "udp";
  roundTrips: number;
  directP50Ns: number;
  relayedP50Ns: number;
  /**
   * relayedP50Ns − directP50Ns; may come out slightly negative in noise.
   */
  addedP50Ns: number;
}
/**
 * A --assert threshold as evaluated at the end of the run (measured and unit absent when the result had no such figure).
 */
export interface AssertionOutcome {
  text: string;
  metric: string;
  op: "<" | "<=" | ">" | ">=";
  bound: number;
  measured?: number;
  unit?: "ns" | "per_s" | "bytes_per_s" | "bytes" | "share" | "count" | "ratio";
  pass: boolean;
}
