// The report as a PDF: the HTML page (html.ts), printed by the Chromium installed on this
// machine (puppeteer-core drives it; nothing is downloaded), on A4 or Letter.
import puppeteer from "puppeteer-core";
import { chromiumArgs, requireChromium } from "../../lib/chromium.ts";
import type { Paper } from "../model/config.ts";

/** The Chromium that prints; called before any load, so that a missing one fails at once. */
export function checkPdfPrinter(): string {
  return requireChromium("--format pdf prints the report with Chromium");
}

export async function renderPdf(html: string, paper: Paper): Promise<Uint8Array> {
  const executablePath = checkPdfPrinter();
  const browser = await puppeteer.launch({ executablePath, headless: true, args: chromiumArgs() });
  try {
    const page = await browser.newPage();
    await page.setContent(html, { waitUntil: "load", timeout: 30_000 });
    await page.emulateMediaType("print");
    return await page.pdf({
      format: paper === "letter" ? "Letter" : "A4",
      printBackground: true,
      margin: { top: "14mm", bottom: "14mm", left: "12mm", right: "12mm" },
      timeout: 60_000,
    });
  } finally {
    await browser.close();
  }
}
