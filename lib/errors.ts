// Errors a user can act on. The CLI runner prints them as one line (never a stack trace)
// and maps them to exit codes: usage problems exit 2, failed runs exit 1.

/** Bad command-line input. Carries every problem found, so they can all be reported at once. */
export class UsageError extends Error {
  readonly problems: string[];
  constructor(problems: string[] | string) {
    const list = typeof problems === "string" ? [problems] : problems;
    super(list.join("; "));
    this.name = "UsageError";
    this.problems = list;
  }
}

/** A run that could not do its job (server unreachable, port taken, no answer). Exit 1. */
export class RunError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "RunError";
  }
}

/** The message of anything thrown, without assuming it is an Error. */
export function messageOf(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** The errno-style code ("ECONNREFUSED", ...) of a thrown value, if it has one. */
export function codeOf(err: unknown): string | undefined {
  if (typeof err === "object" && err !== null && "code" in err) {
    const code = (err as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
