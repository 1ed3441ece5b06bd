// The tables of the request/reply sections: rtt, throughput, open-loop load, connection set-up, UDP.
import { DRIVERS } from "../../catalog.ts";
import { lossShare } from "../../model/figures.ts";
import { bytes, count, latency, megabytes, percent, rate, table } from "../../model/format.ts";
import type { LoadResult } from "../../model/results.ts";
import { busy, cost, lateSendsCell, offered, serverSide, wire } from "./cells.ts";
import { paceOf } from "../../model/pace.ts";

export function rttTable(runs: LoadResult[]): string {
  return table(
    ["transport", "size", "p50", "p90", "p99", "p99.9", "max", "mean ± stdev", "round trips/s", "wire up / down per msg", "CPU per msg client / server"],
    runs.map((r) => [
      DRIVERS[r.spec.driver].label,
      bytes(r.spec.size),
      latency(r.latency.p50),
      latency(r.latency.p90),
      latency(r.latency.p99),
      latency(r.latency.p999),
      latency(r.latency.max),
      `${latency(r.latency.mean)} ± ${latency(r.latency.stdev)}`,
      rate(r.opsPerSec),
      wire(r),
      cost(r),
    ]),
  );
}

export function throughputTable(runs: LoadResult[]): string {
  return table(
    [
      "transport",
      "size",
      "window",
      "messages/s",
      "payload MB/s each way",
      "p50",
      "p99",
      "timeouts",
      "CPU per msg client / server",
      "busy client / server",
      "set the pace",
      "peak RSS client / server",
    ],
    runs.map((r) => [
      DRIVERS[r.spec.driver].label,
      bytes(r.spec.size),
      `${r.spec.clients} × ${r.spec.window}`,
      rate(r.opsPerSec),
      megabytes(r.payloadBytesPerSec),
      latency(r.latency.p50),
      latency(r.latency.p99),
      count(r.counts.timeouts),
      cost(r),
      busy(r),
      paceOf(r),
      `${bytes(r.cost.client.peakRssBytes)} / ${serverSide(r, bytes(r.cost.server.peakRssBytes))}`,
    ]),
  );
}

export function loadTable(runs: LoadResult[]): string {
  return table(
    ["transport", "offered", "achieved", "p50", "p99", "p99.9", "max", "uncorrected p50 / p99 / max", "sends late", "never sent", "send lag p99"],
    runs.map((r) => [
      DRIVERS[r.spec.driver].label,
      offered(r),
      rate(r.opsPerSec),
      latency(r.latency.p50),
      latency(r.latency.p99),
      latency(r.latency.p999),
      latency(r.latency.max),
      `${latency(r.uncorrected.p50)} / ${latency(r.uncorrected.p99)} / ${latency(r.uncorrected.max)}`,
      lateSendsCell(r),
      count(r.counts.unsent),
      latency(r.lag.p99),
    ]),
  );
}

export function connectTable(runs: LoadResult[], timeWait: (number | null)[]): string {
  return table(
    ["operation", "concurrency", "per second", "p50", "p99", "max", "failed", "CPU per op client / server", "TIME_WAIT sockets at start"],
    runs.map((r, i) => [
      DRIVERS[r.spec.driver].label,
      count(r.spec.clients * r.spec.window),
      rate(r.opsPerSec),
      latency(r.latency.p50),
      latency(r.latency.p99),
      latency(r.latency.max),
      count(Object.values(r.counts.errors).reduce((a, b) => a + b, 0) + r.counts.timeouts),
      cost(r),
      timeWait[i] == null ? "?" : count(timeWait[i]!),
    ]),
  );
}

export function udpTable(runs: LoadResult[]): string {
  return table(
    ["offered", "echoed", "sent", "lost", "loss", "reordered", "duplicated", "late", "jitter (RFC 3550)", "RTT p50", "RTT p99"],
    runs.map((r) => [
      rate(r.spec.ratePerSec),
      rate(r.opsPerSec),
      count(r.sequence.sent),
      count(r.sequence.lost),
      percent(lossShare(r)),
      count(r.sequence.reordered),
      count(r.sequence.duplicated),
      count(r.sequence.late),
      latency(r.sequence.jitterNs),
      latency(r.latency.p50),
      latency(r.latency.p99),
    ]),
  );
}

export function oneWayTable(runs: LoadResult[]): string {
  return table(
    ["offered", "sent", "sent in all", "counted by the server", "lost", "loss", "not sent (buffer full)", "send lag p99"],
    runs.map((r) => [
      rate(r.spec.ratePerSec),
      rate(r.opsPerSec),
      count(r.oneWay?.sent ?? 0),
      count(r.oneWay?.received ?? 0),
      count(r.oneWay?.lost ?? 0),
      percent(lossShare(r)),
      count(Object.values(r.counts.errors).reduce((a, b) => a + b, 0)),
      latency(r.lag.p99),
    ]),
  );
}
