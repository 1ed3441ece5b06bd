// Table cells more than one section shows: bytes on the wire, CPU per message, server-side figures.
import { count, cpuPerOp, latency, percent, rate } from "../../model/format.ts";
import { busyShares } from "../../model/pace.ts";
import { lateSends } from "../../model/late-sends.ts";
import type { LoadResult } from "../../model/results.ts";

/** What an open loop offered: its rate, or its stages and their peak. */
export function offered(r: LoadResult): string {
  return r.spec.stages ? `${r.spec.stages.length} stages, up to ${rate(r.spec.ratePerSec)}` : rate(r.spec.ratePerSec);
}

export function wire(r: LoadResult): string {
  return r.wirePerOp ? `${Math.round(r.wirePerOp.in)} / ${Math.round(r.wirePerOp.out)} B` : "—";
}

/** A server-side figure, or "—" when the server is remote and nothing of it was measured here. */
export function serverSide(r: LoadResult, shown: string): string {
  return r.remote ? "—" : shown;
}

/** Each side's busy share of one CPU in the measured phase (the swarm's per process). */
export function busy(r: LoadResult): string {
  const b = busyShares(r);
  return `${percent(b.client)} / ${b.server === undefined ? "—" : percent(b.server)}`;
}

/** Open loop: sends later than the swarm's own pause level, and that level. */
export function lateSendsCell(r: LoadResult): string {
  const late = lateSends(r);
  return late ? `${count(late.count)} (> ${latency(late.thresholdNs)})` : count(r.counts.behind);
}

export function cost(r: LoadResult): string {
  return `${cpuPerOp(r.cost.clientCpuPerOpUs)} / ${serverSide(r, cpuPerOp(r.cost.serverCpuPerOpUs))}`;
}
