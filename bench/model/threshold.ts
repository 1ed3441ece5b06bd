// A threshold (--assert) as parsed, and as judged once the run is done.
import type { Unit } from "./unit.ts";

export interface Assertion {
  text: string;
  metric: string;
  op: "<" | "<=" | ">" | ">=";
  /** The bound in the metric's own unit (ns, per second, bytes, share...). */
  bound: number;
}

export interface AssertionOutcome extends Assertion {
  measured?: number;
  unit?: Unit;
  pass: boolean;
}
