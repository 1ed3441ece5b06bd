// What a scenario will run, decided before anything runs: each section's kind and the specs of
// its runs in order. The runner carries it out; --assert and --list-metrics read the metric
// names it will produce from it (bench/model/figures.ts metricNames).
import type { SectionKind } from "../model/results.ts";
import type { LoadSpec, PushSpec, RunSpec } from "../model/spec.ts";

export interface SectionPlan<K extends SectionKind = SectionKind, S extends RunSpec = RunSpec> {
  kind: K;
  /** Every run the section may make, in order (a sweep may stop early, never run more). */
  specs: S[];
  /** What the section leaves out, and why ("UDP at 1 MiB: a datagram carries at most 65,507 B"). */
  skipped: string[];
  /** Rows measured outside the harness's runs (the browser's), for the metric names they give. */
  rows?: { kind: "push" | "request"; subject: string; intervalMs: number }[];
}

export type LoadPlan<K extends SectionKind> = SectionPlan<K, LoadSpec>;
export type PushPlan<K extends SectionKind> = SectionPlan<K, PushSpec>;
