// Each section of a report: its title and its body (tables, then what they mean), by kind.
import { DRIVERS } from "../../catalog.ts";
import { count, rate } from "../../model/format.ts";
import type { Section } from "../../model/results.ts";
import { shortLabel } from "../headline.ts";
import { browserBody } from "./browser.ts";
import { distanceBody } from "./distance.ts";
import { connectTable, loadTable, oneWayTable, rttTable, throughputTable, udpTable } from "./echo.ts";
import { clockNote, pushTable } from "./push.ts";
import { capacityBody, stageTables } from "./ramp.ts";

export const TITLES: Record<Section["kind"], string> = {
  hello: "The lab's hello exercises, run for real",
  rtt: "Round trip: one client, one message in flight",
  push: "Server push: events to subscribers",
  throughput: "Throughput: a window of messages in flight",
  load: "Open-loop load: a constant rate, corrected for coordinated omission",
  capacity: "Capacity: the highest rate that holds the objective",
  connect: "Connection set-up",
  udp: "UDP: loss, reordering and jitter against send rate",
  fanout: "Fan-out: one event to many subscribers",
  distance: "As the round trip grows: handshakes, requests and push at a distance",
  browser: "In a real browser: push and requests measured by Chromium",
};

/** A section's body; `sections` is the whole report's, for a section that sets its rows beside others'. */
export function sectionBody(s: Section, sections: Section[] = []): string {
  switch (s.kind) {
    case "hello":
      return s.exchanges
        .map((e) =>
          [
            `**${e.title}.** Server and client in two terminals:`,
            "",
            "```console",
            `$ ${e.serverCommand} --port 0`,
            ...e.server,
            "```",
            "",
            "```console",
            `$ ${e.clientCommand} --port <port>`,
            ...e.client,
            "```",
          ].join("\n"),
        )
        .join("\n\n");
    case "rtt":
      return `${rttTable(s.runs)}${s.skipped.length ? `\n\nNot run: ${s.skipped.join("; ")}.` : ""}\n\nClosed loop, window 1: each client sends its next message when the previous reply arrives. "Wire" is the TCP payload the kernel counted on the server's sockets per message (UDP and per-request connections: not measured this way).`;
    case "throughput":
      return `${throughputTable(s.runs)}${s.skipped.length ? `\n\nNot run: ${s.skipped.join("; ")}.` : ""}\n\nClosed loop: each connection keeps a window of messages in flight (HTTP: pipelined on one keep-alive connection; UDP: at most 128 KiB in flight unless --window says, so that the kernel's receive buffer, not the window, sets what is lost). MB/s counts payload in one direction; the same bytes come back.`;
    case "load": {
      const knees = s.knees.map(
        (k) => `${shortLabel(k.driver)}: ${k.rate === undefined ? "kept up at every rate tried" : `knee at ${rate(k.rate)} (${k.reason})`}`,
      );
      const stages = stageTables(s.runs);
      return `${loadTable(s.runs)}\n\n${stages ? `${stages}\n\nThe rate ramps linearly within each stage, on the same connections throughout; a stage's figures are those of the messages due in it, wherever they ended.\n\n` : `${knees.join(". ")}.\n\n`}Latency is timed from when each message was due to be sent (corrected), so time spent waiting to send counts; the uncorrected figures time from the actual send, as a closed-loop tool would, and hide that wait.`;
    }
    case "capacity":
      return capacityBody(s);
    case "connect":
      return `${connectTable(s.runs, s.timeWait)}${s.skipped.length ? `\n\nNot run: ${s.skipped.join("; ")}.` : ""}\n\nEach operation opens a connection (TCP: ${s.runs.some((r) => DRIVERS[r.spec.driver].operation === "first-reply") ? "until the reply to one message, as through the relay connect() returns at loopback speed and the emulated handshake shows in the first bytes" : "until connected"}; WebSocket: through the upgrade handshake; HTTP: one request and its response on a fresh connection) and closes it. TCP and WebSocket close from the client, which then holds the port in TIME_WAIT for a minute; the HTTP server closes first (Connection: close). Thousands of TIME_WAIT sockets, from this run or earlier ones, slow every new connect: compare runs only at similar counts.`;
    case "udp":
      return [
        "Echoed:",
        "",
        udpTable(s.runs),
        "",
        `${s.lossBeginsAt === undefined ? "No loss at any rate tried." : `Loss began at ${rate(s.lossBeginsAt)}.`} Datagrams are echoed, so loss, reordering and jitter cover both directions; jitter is computed as RFC 3550 (and iperf3) do, from round-trip transit times.`,
        "",
        "One way, to a server that only counts (as iperf3 -u):",
        "",
        oneWayTable(s.oneWay),
        "",
        `${s.oneWayLossBeginsAt === undefined ? "No loss at any rate tried." : `Loss began at ${rate(s.oneWayLossBeginsAt)}.`} Loss here is datagrams sent (warm-up included) minus datagrams the server counted.`,
      ].join("\n");
    case "push":
      return `${pushTable(s.runs, false)}\n\n${clockNote(s.runs)}${count(s.eventsPerSec)} events/s of ${s.runs[0]?.spec.eventSize ?? 0} B data to ${count(s.subscribers)} subscribers. Latency runs from publication on the server to receipt by a subscriber, on the clock both processes share; only events published inside the measured window count. "Wire" is what the kernel counted on the server's sockets per delivered event.`;
    case "fanout":
      return `${pushTable(s.runs, true)}\n\n${count(s.eventsPerSec)} events/s. "Last subscriber" is, per event, the time until every subscriber had it.`;
    case "distance":
      return distanceBody(s);
    case "browser":
      return browserBody(s, sections);
  }
}
