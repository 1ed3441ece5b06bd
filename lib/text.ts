/**
 * Client input is untrusted: before it reaches a terminal it is decoded leniently, stripped of
 * control characters (a random byte must not move the cursor or ring the bell) and shortened.
 */
const decoder = new TextDecoder("utf-8", { fatal: false });

export function printable(input: Uint8Array | string, maxChars = 200): string {
  const text = typeof input === "string" ? input : decoder.decode(input.subarray(0, maxChars * 4));
  const trimmed = text.replace(/[\r\n]+$/, "");
  const clean = trimmed
    .replace(/\r/g, "\\r")
    .replace(/\n/g, "\\n")
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, "\uFFFD");
  return clean.length > maxChars ? `${clean.slice(0, maxChars)}... (${input.length} bytes)` : clean;
}

/** "a", "a and b", "a, b and c": a list as a sentence says it. */
export function inWords(items: string[], last = "and"): string {
  return items.length <= 1 ? (items[0] ?? "") : `${items.slice(0, -1).join(", ")} ${last} ${items.at(-1)}`;
}
