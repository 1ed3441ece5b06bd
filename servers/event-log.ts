import { sharedClockMs, type PollReply, type ServerEvent } from "../protocol/events.ts";

/**
 * The events a server has published, kept in a bounded window (older ones are evicted and
 * reported as `missed` to a poller that fell that far behind), plus live subscribers for long
 * polls and Server-Sent Events.
 */
export class EventLog {
  private events: ServerEvent[] = [];
  private head = 0; // index of the oldest retained event in `events`
  private newestId = 0;
  private listeners = new Set<(event: ServerEvent) => void>();

  constructor(readonly capacity = 10_000) {}

  get newest(): number {
    return this.newestId;
  }

  publish(data: string): ServerEvent {
    const event: ServerEvent = { id: ++this.newestId, t: sharedClockMs(), data };
    this.events.push(event);
    if (this.events.length - this.head > this.capacity) this.head++;
    // Compact occasionally instead of shifting on every publish.
    if (this.head >= this.capacity) {
      this.events = this.events.slice(this.head);
      this.head = 0;
    }
    for (const listener of [...this.listeners]) listener(event);
    return event;
  }

  /** Events with id > since, oldest first, at most `limit` of them. */
  since(since: number, limit = 1000): PollReply {
    const retained = this.events.length - this.head;
    const oldestId = this.newestId - retained + 1;
    const from = Math.max(since + 1, oldestId);
    const missed = Math.max(0, oldestId - (since + 1));
    // A `since` beyond the newest id comes from before a server restart: send the poller back to now.
    if (from > this.newestId) return { events: [], next: Math.min(since, this.newestId), missed: 0 };
    const start = this.head + (from - oldestId);
    const events = this.events.slice(start, start + limit);
    return { events, next: events[events.length - 1]!.id, missed };
  }

  subscribe(listener: (event: ServerEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  get subscribers(): number {
    return this.listeners.size;
  }
}
