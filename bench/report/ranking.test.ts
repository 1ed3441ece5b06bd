import { describe, expect, test } from "bun:test";
import { distinct, rankText, type Ranged } from "./ranking.ts";

const show = (v: number) => String(v);

describe("findings never rank figures whose ranges overlap", () => {
  test("disjoint ranges are ordered; overlapping neighbours are grouped as indistinguishable", () => {
    const items: Ranged[] = [
      { label: "TCP", value: 58, min: 55, max: 60 },
      { label: "WebSocket", value: 75, min: 70, max: 77 },
      { label: "UDP", value: 72, min: 69, max: 74 },
      { label: "HTTP", value: 44, min: 40, max: 46 },
    ];
    expect(rankText(items, show)).toBe(
      "WebSocket 75, UDP 72, which cannot be told apart on this machine (they varied over 69–77); then TCP 58 (55–60); then HTTP 44 (40–46)",
    );
  });

  test("for any ranges, two items in different groups never overlap", () => {
    let seed = 7;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let trial = 0; trial < 500; trial++) {
      const items: Ranged[] = Array.from({ length: 5 }, (_, i) => {
        const lo = random() * 100;
        const hi = lo + random() * 30;
        return { label: `r${i}`, value: (lo + hi) / 2, min: lo, max: hi };
      });
      const text = rankText(items, (v) => v.toFixed(3));
      const groups = text.split("; then ").map((g) => items.filter((i) => new RegExp(`\\b${i.label}\\b`).test(g)));
      for (let a = 0; a < groups.length; a++)
        for (let b = a + 1; b < groups.length; b++) for (const x of groups[a]!) for (const y of groups[b]!) expect(distinct(x, y)).toBe(true);
    }
  });

  test("figures measured once are listed with a warning, never ranked as proven", () => {
    expect(
      rankText(
        [
          { label: "A", value: 2 },
          { label: "B", value: 1 },
        ],
        show,
      ),
    ).toBe("A 2, B 1 (each measured once, so this order may not hold: --rounds 3 shows the spread)");
  });
});
