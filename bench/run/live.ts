// The one-line live status of the run in progress. The CLI installs a sink only on a terminal
// (and not with CI=true); elsewhere statuses go nowhere and only finished runs are printed.
let sink: ((status: string | undefined) => void) | undefined;

export function setLiveSink(fn: ((status: string | undefined) => void) | undefined): void {
  sink = fn;
}

/** Shows `status`, or clears the line with undefined. */
export function liveStatus(status: string | undefined): void {
  sink?.(status);
}

/** How often swarm processes report progress. */
export const PROGRESS_EVERY_MS = 500;
