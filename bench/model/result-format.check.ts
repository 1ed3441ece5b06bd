// Compile-time checks (no runtime code): the hand-written result types (bench/model/results.ts)
// against the types generated from bench/result.schema.json (result-format.generated.ts), so the
// schema, which validates every file read, describes exactly what the code writes and reads.
// `bunx tsc --noEmit -p .` (in `bun run test`) fails here when they drift apart; the error names
// the field. Fix the schema (then `bun run schema:types`) or the type, whichever is wrong.
import type * as Schema from "./result-format.generated.ts";
import type { BenchResult, LoadResult, PushRunResult, Section } from "./results.ts";

/** Compiles only when A is assignable to B. */
type Assignable<A extends B, B> = [A, B];

export type ResultFormatChecks = [
  // Everything socketlab writes is a valid file...
  Assignable<BenchResult, Schema.SocketlabResult>,
  // ...and everything the schema lets through is what the code expects to read.
  Assignable<Schema.SocketlabResult, BenchResult>,
  Assignable<Section, Schema.Section>,
  Assignable<Schema.Section, Section>,
  Assignable<LoadResult, Schema.LoadRun>,
  Assignable<Schema.LoadRun, LoadResult>,
  Assignable<PushRunResult, Schema.PushRun>,
  Assignable<Schema.PushRun, PushRunResult>,
];
