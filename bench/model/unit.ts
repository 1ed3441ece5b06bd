// The units figures are measured in (bench/model/figures.ts registers which figure has which).
export type Unit = "ns" | "per_s" | "bytes_per_s" | "bytes" | "share" | "count" | "ratio";
