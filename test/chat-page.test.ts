// The chat page in real browsers: two headless Chromiums and a terminal client share one room on
// a real server; messages arrive everywhere, markup arrives as text, and the page survives a
// server restart. Over HTTP too, one page by Server-Sent Events and one by long polling.
import { afterAll, beforeAll, expect, test } from "bun:test";
import puppeteer, { type Browser, type Page } from "puppeteer-core";
import { chromiumArgs, findChromium } from "../lib/chromium.ts";
import { decodePng } from "./support/png.ts";
import { killAll, spawnCli, type Child } from "./support/processes.ts";

// What the functions run inside the pages use (this project compiles without the DOM's types).
interface PageElement {
  textContent: string | null;
  dataset: Record<string, string | undefined>;
}
declare const document: { getElementById(id: string): PageElement | null; querySelectorAll(selector: string): ArrayLike<PageElement> };
declare const window: Record<string, unknown>;

const chromium = findChromium();
if (!chromium) console.warn("chat page tests skipped: no Chromium (Debian: apt-get install chromium; .ci/run installs it)");
let browser: Browser | undefined;

beforeAll(async () => {
  if (chromium) browser = await puppeteer.launch({ executablePath: chromium, headless: true, args: chromiumArgs() });
});
afterAll(async () => {
  await browser?.close();
  killAll();
});

async function server(args: string[]): Promise<{ child: Child; port: number }> {
  const child = spawnCli(["servers/cli.ts", ...args]);
  const line = await child.stdout.waitFor(/Server (?:started|listening) at \w+:\/\/[^:]+:\d+/, 10_000);
  return { child, port: Number(/:(\d+)/.exec(line.replace(/^.*?:\/\//, ""))![1]) };
}

async function open(url: string): Promise<Page> {
  const page = await browser!.newPage();
  await page.goto(url);
  await connected(page);
  return page;
}

/** The page's messages, as the person reading it sees them (text). */
/**
 * How the tests wait on a page: by checking every 50 ms (puppeteer's default waits for animation
 * frames, which a tab in the background never gets).
 */
const POLL = { timeout: 10_000, polling: 50 };

/** Until the page says it is connected. */
const connected = (page: Page) => page.waitForFunction(() => document.getElementById("state")?.dataset.state === "open", { ...POLL, timeout: 15_000 });

const lines = (page: Page) => page.$$eval("#log li", (items) => items.map((li) => li.textContent ?? ""));

async function until(page: Page, text: string): Promise<void> {
  try {
    await page.waitForFunction((t: string) => Array.from(document.querySelectorAll("#log li")).some((li) => li.textContent === t), POLL, text);
  } catch (err) {
    throw new Error(
      `"${text}" never appeared; the page shows ${JSON.stringify(await lines(page))}, ${await page.$eval("#state", (s) => s.textContent)}: ${err}`,
    );
  }
}

test.skipIf(!chromium)(
  "WebSocket chat page: two browsers and a terminal client talk; markup is shown as text; the page reconnects after a restart",
  async () => {
    const { child, port } = await server(["ws", "--port", "0"]);
    const url = `http://127.0.0.1:${port}/`;
    const [a, b] = [await open(url), await open(url)];
    const terminal = spawnCli(["clients/cli.ts", "ws", "--port", String(port), "--linger", "0.2"]);
    await terminal.stdout.waitFor("Connected to ws://");

    await a.type("#text", "hello from browser A");
    await a.keyboard.press("Enter");
    await until(b, "[client 1] hello from browser A");
    await terminal.stdout.waitFor("[client 1] hello from browser A");
    expect(await lines(a)).toContain("me: hello from browser A");

    terminal.write("hi from the terminal\n");
    await until(a, "[client 3] hi from the terminal");
    await until(b, "[client 3] hi from the terminal");

    child.write("the operator speaks\n");
    await until(a, "[server] the operator speaks");

    // Someone sends markup: everyone else sees the characters, nothing runs or renders.
    const evil = '<script>window.pwned = 1</script><img src=x onerror="window.pwned = 2"><b>bold</b>';
    await b.type("#text", evil);
    await b.keyboard.press("Enter");
    await until(a, `[client 2] ${evil}`);
    expect(await a.evaluate(() => window.pwned)).toBeUndefined();
    expect(await a.$$eval("#log script, #log img, #log b", (found) => found.length)).toBe(0);

    // What a person sees: a page that is not blank, its messages in it.
    const shot = decodePng(new Uint8Array(await a.screenshot({ type: "png" })));
    const colours = new Set<string>();
    for (let y = 0; y < shot.height; y += 4) for (let x = 0; x < shot.width; x += 4) colours.add(shot.rgb(x, y).join(","));
    expect(colours.size).toBeGreaterThan(10);
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point: what a reader of the page sees.
    expect(await a.$eval("#log", (log) => (log as unknown as { innerText: string }).innerText)).toContain("hi from the terminal");

    // The server goes away: the page says so; it comes back on the same port: the page is back.
    child.proc.kill("SIGINT");
    await child.exited(10_000);
    await a.waitForFunction(() => document.getElementById("state")!.dataset.state === "closed", POLL);
    expect(await a.$eval("#state", (s) => s.textContent)).toMatch(/^disconnected: trying again in [\d.]+ s$/);
    const again = await server(["ws", "--port", String(port)]);
    await connected(a);
    await connected(b);
    await a.type("#text", "back again");
    await a.keyboard.press("Enter");
    // Numbered afresh by the new server, in whichever order the pages came back.
    await b.waitForFunction(
      () => Array.from(document.querySelectorAll("#log li")).some((li) => /^\[client \d+\] back again$/.test(li.textContent ?? "")),
      POLL,
    );
    terminal.endInput();
    again.child.proc.kill("SIGINT");
    await Promise.all([a.close(), b.close()]);
  },
  90_000,
);

test.skipIf(!chromium)(
  "HTTP chat page: one browser by Server-Sent Events, one by long polling, and the operator, in one room",
  async () => {
    const { child, port } = await server(["http", "--mode", "chat", "--port", "0"]);
    const sse = await open(`http://127.0.0.1:${port}/`);
    const long = await open(`http://127.0.0.1:${port}/?via=long`);
    expect(await sse.$eval("#state", (s) => s.textContent)).toBe("connected by Server-Sent Events");
    expect(await long.$eval("#state", (s) => s.textContent)).toBe("connected by long polling");
    await sse.type("#text", "from the SSE page");
    await sse.keyboard.press("Enter");
    await until(long, "from the SSE page");
    await until(sse, "from the SSE page");
    await long.type("#text", "<i>from the polling page</i>");
    await long.keyboard.press("Enter");
    await until(sse, "<i>from the polling page</i>");
    child.write("operator here\n");
    await until(long, "[server] operator here");
    await until(sse, "[server] operator here");
    // Switching the way of receiving on the page keeps the room.
    await sse.select("#via", "long");
    await sse.waitForFunction(() => document.getElementById("state")!.textContent === "connected by long polling", POLL);
    await long.type("#text", "after the switch");
    await long.keyboard.press("Enter");
    await until(sse, "after the switch");
    child.proc.kill("SIGINT");
    await Promise.all([sse.close(), long.close()]);
  },
  60_000,
);

test("a browser asking a chat server for a page gets it, with a policy that runs only its own script; other clients and modes are unchanged", async () => {
  const { child, port } = await server(["ws", "--port", "0"]);
  const page = await fetch(`http://127.0.0.1:${port}/`, { headers: { accept: "text/html" } });
  expect(page.status).toBe(200);
  expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
  expect(page.headers.get("content-security-policy")).toMatch(/^default-src 'none'; style-src 'sha256-[^']+'; script-src 'sha256-[^']+'; connect-src 'self'/);
  expect(await page.text()).toContain("<title>socketlab chat</title>");
  // A plain HTTP request that is not a browser's still hears that this is a WebSocket server.
  expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(426);
  child.proc.kill("SIGINT");
  const echo = await server(["ws", "--mode", "echo", "--port", "0"]);
  expect((await fetch(`http://127.0.0.1:${echo.port}/`, { headers: { accept: "text/html" } })).status).toBe(426);
  echo.child.proc.kill("SIGINT");
});
