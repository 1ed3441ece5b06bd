// The Chromium on this machine, for whatever drives a browser (the chat page's tests, the
// browser scenario, PDF reports): found, never downloaded. CHROMIUM_PATH names one elsewhere.
import { existsSync } from "node:fs";
import { RunError } from "./errors.ts";

const NAMES = ["chromium", "chromium-browser", "google-chrome", "google-chrome-stable"];

/** The path of an installed Chromium, or undefined where there is none. */
export function findChromium(): string | undefined {
  const given = process.env.CHROMIUM_PATH;
  if (given) return existsSync(given) ? given : undefined;
  for (const name of NAMES) {
    const path = Bun.which(name);
    if (path) return path;
  }
  return undefined;
}

/** How to get one, for messages: "apt-get install chromium" on Debian. */
export const CHROMIUM_HINT = "install Chromium (Debian: apt-get install chromium) or set CHROMIUM_PATH";

/** The Chromium to drive, or a RunError: "<what needs it>, and none was found: <how to get one>". */
export function requireChromium(use: string): string {
  const path = findChromium();
  if (!path) throw new RunError(`${use}, and none was found: ${CHROMIUM_HINT}`);
  return path;
}

/**
 * Launch arguments for a headless Chromium driven by puppeteer-core: no sandbox when running as
 * root (containers, CI), where Chromium refuses to start with one.
 */
export function chromiumArgs(): string[] {
  return process.getuid?.() === 0 ? ["--no-sandbox", "--disable-dev-shm-usage"] : ["--disable-dev-shm-usage"];
}
