import { createInterface, type Interface } from "node:readline";

/**
 * Lines from standard input as they are typed (or piped), independent of anything else the
 * program is doing, so output can arrive while the user types. On a terminal the prompt is
 * redrawn after each line printed with `print`.
 */
export interface LineInput {
  /** Print a line without garbling what the user is typing. */
  print(line: string): void;
  close(): void;
}

export function readLines(onLine: (line: string) => void, onEnd: () => void, prompt = "> "): LineInput {
  const tty = Boolean(process.stdin.isTTY);
  const rl: Interface = createInterface({ input: process.stdin, output: tty ? process.stdout : undefined, terminal: tty });
  let ended = false;
  rl.on("line", (line) => {
    onLine(line);
    if (tty) rl.prompt();
  });
  rl.on("close", () => {
    ended = true;
    onEnd();
  });
  if (tty) {
    rl.setPrompt(prompt);
    rl.prompt();
  }
  return {
    print(line: string) {
      if (!tty || ended) {
        process.stdout.write(`${line}\n`);
        return;
      }
      // Clear the half-typed line, print, then redraw the prompt with what was typed so far.
      process.stdout.write(`\r\x1b[K${line}\n`);
      rl.prompt(true);
    },
    close() {
      rl.close();
    },
  };
}

/** The first line of standard input, or undefined at end of input; gives up after timeoutMs. */
export async function readOneLine(timeoutMs: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    const timer = setTimeout(() => done(undefined), timeoutMs);
    function done(line: string | undefined): void {
      clearTimeout(timer);
      rl.removeAllListeners();
      rl.close();
      resolve(line);
    }
    rl.once("line", (line) => done(line));
    rl.once("close", () => done(undefined));
  });
}
