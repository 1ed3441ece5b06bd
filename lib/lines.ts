/**
 * Collects a child's output line by line and lets a test wait, with a deadline, for a line
 * matching a pattern. Waiting on output instead of sleeping keeps tests fast and not flaky.
 */
export class LineCollector {
  readonly lines: string[] = [];
  private partial = "";
  private waiters = new Set<() => void>();
  private ended = false;
  readonly finished: Promise<void>;
  /** Called with each complete line as it arrives. */
  onLine: (line: string) => void = () => {};

  constructor(stream: ReadableStream<Uint8Array>) {
    this.finished = this.pump(stream);
  }

  get text(): string {
    return this.lines.join("\n") + (this.partial ? `\n${this.partial}` : "");
  }

  private async pump(stream: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    for await (const chunk of stream) {
      this.partial += decoder.decode(chunk, { stream: true });
      const parts = this.partial.split("\n");
      this.partial = parts.pop()!;
      this.lines.push(...parts);
      for (const line of parts) this.onLine(line);
      this.notify();
    }
    if (this.partial) this.lines.push(this.partial);
    this.partial = "";
    this.ended = true;
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** The first line (from index `from`) matching `pattern`; rejects after timeoutMs or at end of output. */
  async waitFor(pattern: RegExp | string, timeoutMs = 10_000, from = 0): Promise<string> {
    return (await this.waitForLine(pattern, timeoutMs, from)).text;
  }

  /** Like waitFor, with the line's index, so a caller can wait for what comes after it. */
  waitForLine(pattern: RegExp | string, timeoutMs = 10_000, from = 0): Promise<{ text: string; index: number }> {
    const matches = (line: string) => (typeof pattern === "string" ? line.includes(pattern) : pattern.test(line));
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        for (let i = from; i < this.lines.length; i++) {
          if (!matches(this.lines[i]!)) continue;
          cleanup();
          resolve({ text: this.lines[i]!, index: i });
          return true;
        }
        if (this.ended) {
          cleanup();
          reject(new Error(`output ended without a line matching ${pattern}; got:\n${this.text}`));
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; got:\n${this.text}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      if (!check()) this.waiters.add(check);
    });
  }
}
