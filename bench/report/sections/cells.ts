// Table cells more than one section shows: bytes on the wire, CPU per message, server-side figures.
import { cpuPerOp } from "../../model/format.ts";
import type { LoadResult } from "../../model/results.ts";

export function wire(r: LoadResult): string {
  return r.wirePerOp ? `${Math.round(r.wirePerOp.in)} / ${Math.round(r.wirePerOp.out)} B` : "—";
}

/** A server-side figure, or "—" when the server is remote and nothing of it was measured here. */
export function serverSide(r: LoadResult, shown: string): string {
  return r.remote ? "—" : shown;
}

export function cost(r: LoadResult): string {
  return `${cpuPerOp(r.cost.clientCpuPerOpUs)} / ${serverSide(r, cpuPerOp(r.cost.serverCpuPerOpUs))}`;
}
