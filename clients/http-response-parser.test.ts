import { describe, expect, test } from "bun:test";
import { MAX_MESSAGE_BYTES } from "../protocol/limits.ts";
import { pattern } from "../test/support/echo.ts";
import { HttpParseError, ResponseParser } from "./http-response-parser.ts";

const encoder = new TextEncoder();

describe("ResponseParser", () => {
  // Content-Length, 100 Continue, chunked with extensions and trailers, 204, bare LF line ends,
  // a non-2xx status, and a body delimited by the end of the connection.
  const RESPONSES = [
    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 5\r\n\r\nhello",
    "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length:0\r\n\r\n",
    "HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: chunked\r\n\r\n5;name=value\r\nworld\r\n1A\r\nabcdefghijklmnopqrstuvwxyz\r\n0\r\nX-Trailer: yes\r\n\r\n",
    "HTTP/1.1 204 No Content\r\nDate: Tue, 24 Nov 2026 06:59:16 GMT\r\n\r\n",
    "HTTP/1.1 201 Created\nContent-Length:   3  \n\nabc",
    "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\n\r\nnot found",
    "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil the end",
  ];
  const STREAM = encoder.encode(RESPONSES.join(""));
  const EXPECTED = [
    [200, "hello"],
    [200, ""],
    [200, "worldabcdefghijklmnopqrstuvwxyz"],
    [204, ""],
    [201, "abc"],
    [404, "not found"],
    [200, "until the end"],
  ];

  function recorder(maxBody?: number) {
    const got: [number, string][] = [];
    const reasons: string[] = [];
    const parser = new ResponseParser(
      {
        onHead(p) {
          if (p.reason) reasons.push(p.reason);
          return true;
        },
        onBody(bytes, start, end) {
          got.push([parser.status, Buffer.from(bytes.subarray(start, end)).toString("latin1")]);
        },
      },
      maxBody,
    );
    return { parser, got, reasons };
  }

  test("reads the same responses however the bytes are split", () => {
    for (let split = 0; split <= STREAM.length; split++) {
      const { parser, got, reasons } = recorder();
      parser.push(STREAM.subarray(0, split));
      parser.push(STREAM.subarray(split));
      parser.end();
      expect({ split, got }).toEqual({ split, got: EXPECTED as [number, string][] });
      expect(reasons).toEqual(["Not Found"]); // decoded for non-2xx statuses only
      expect(parser.framingBytes + parser.bodyBytes).toBe(STREAM.length);
      expect(parser.closeAfter).toBe(true);
    }
    const { parser, got } = recorder();
    for (let i = 0; i < STREAM.length; i++) parser.push(STREAM.subarray(i, i + 1));
    parser.end();
    expect(got).toEqual(EXPECTED as [number, string][]);
    expect(parser.responses).toBe(EXPECTED.length);
  });

  test("a 1 MiB body fed one byte at a time, by length or in chunks, is read in linear time", () => {
    const body = pattern(MAX_MESSAGE_BYTES, 77);
    const chunks: Uint8Array[] = [];
    for (let at = 0; at < body.length; at += 65_536) {
      chunks.push(encoder.encode(`${(65_536).toString(16)}\r\n`), body.subarray(at, at + 65_536), encoder.encode("\r\n"));
    }
    const framings = [
      Buffer.concat([encoder.encode(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n`), body]),
      Buffer.concat([encoder.encode("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"), ...chunks, encoder.encode("0\r\n\r\n")]),
    ];
    for (const wire of framings) {
      let received: Uint8Array | undefined;
      const parser = new ResponseParser({ onHead: () => true, onBody: (b, start, end) => (received = b.slice(start, end)) });
      const started = performance.now();
      for (let i = 0; i < wire.length; i++) parser.push(wire.subarray(i, i + 1));
      // Quadratic copying of 1 MiB would take minutes; linear takes well under a second.
      expect(performance.now() - started).toBeLessThan(5000);
      expect(received).toEqual(body);
    }
  });

  test("a body that lies whole in one chunk is handed over as a range of it, without a copy", () => {
    const wire = encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc");
    let range: [Uint8Array, number, number] | undefined;
    new ResponseParser({ onHead: () => true, onBody: (b, start, end) => (range = [b, start, end]) }).push(wire);
    expect(range).toEqual([wire, wire.length - 3, wire.length]);
  });

  const MALFORMED: [string, string][] = [
    ["HTTP/2 200 OK\r\n\r\n", 'expected an HTTP/1.x status line, got "HTTP/2 200 OK"'],
    ["HTTP/1.1 20 OK\r\n\r\n", "expected an HTTP/1.x status line"],
    ["HTTP/1.1 200 OK\r\nContent-Length: 12x\r\n\r\n", 'bad Content-Length "12x"'],
    ["HTTP/1.1 200 OK\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n", "conflicting Content-Length fields"],
    ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n", "both Content-Length and Transfer-Encoding"],
    ["HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", 'unsupported Transfer-Encoding "gzip"'],
    ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", 'bad chunk size line "zz"'],
    ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabcd\r\n", "chunk data longer than its announced size"],
    ["HTTP/1.1 200 OK\r\nNoColonHere\r\n\r\n", 'malformed header field "NoColonHere"'],
    ["HTTP/1.1 200 OK\r\nName : value\r\n\r\n", "malformed header field"],
    ["HTTP/1.1 200 OK\r\nA: b\r\n folded\r\n\r\n", "obsolete line folding"],
    ["HTTP/1.1 200 OK\r\nContent-Length: 101\r\n\r\n", "Content-Length 101 is over the 100-byte limit"],
    ["HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n", "chunked body over the 100-byte limit"],
    [`HTTP/1.1 200 OK\r\nX: ${"y".repeat(70_000)}\r\n\r\n`, "response head over 65536 bytes"],
  ];
  // Named by the expected message: the texts themselves can be long.
  test.each(MALFORMED.map(([text, message]) => [message, text]))("refuses with %s", (message, text) => {
    const { parser, got } = recorder(100);
    expect(() => parser.push(encoder.encode(text))).toThrow(message);
    expect(() => parser.push(encoder.encode(text))).not.toThrow(); // stopped: the rest is ignored
    expect(got).toEqual([]);
  });

  test("the end of the connection completes a body that runs to it, and cuts any other", () => {
    const cut = recorder();
    cut.parser.push(encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhe"));
    expect(() => cut.parser.end()).toThrow(new HttpParseError("the response was cut off after 2 of 5 body bytes"));
    const head = recorder();
    head.parser.push(encoder.encode("HTTP/1.1 200 OK\r\nContent-Le"));
    expect(() => head.parser.end()).toThrow("the response was cut off in the header fields");
    const idle = recorder();
    idle.parser.push(encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    expect(idle.parser.idle).toBe(true);
    expect(() => idle.parser.end()).not.toThrow();
    expect(idle.got).toEqual([[200, ""]]);
  });

  test("onHead returning false stops the parser before the body", () => {
    const bodies: Uint8Array[] = [];
    const parser = new ResponseParser({ onHead: (p) => p.status < 400, onBody: (b, start, end) => bodies.push(b.subarray(start, end)) });
    parser.push(encoder.encode("HTTP/1.1 413 Request Entity Too Large\r\nConnection: close\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
    expect(parser.status).toBe(413);
    expect(parser.reason).toBe("Request Entity Too Large");
    expect(bodies).toEqual([]);
  });
});

describe("ResponseParser, as a load generator reads a server's answers", () => {
  test("Connection options are read in place, in any case and order, among others", () => {
    for (const [field, close, keepAlive] of [
      ["Connection: keep-alive", false, true],
      ["Connection: Upgrade,  CLOSE ", true, false],
      ["connection: te, Keep-Alive", false, true],
      ["Connection: closed", false, false],
    ] as const) {
      const parser = new ResponseParser({ onHead: () => true, onBody() {} });
      parser.push(encoder.encode(`HTTP/1.0 200 OK\r\n${field}\r\nContent-Length: 0\r\n\r\n`));
      // HTTP/1.0 closes unless kept alive; "close" closes whatever the version.
      expect([field, parser.closeAfter]).toEqual([field, close || !keepAlive]);
    }
  });

  test("discardBodies: every response comes, empty, and its bytes are still counted, however reads split it", () => {
    const bodies: number[] = [];
    const parser = new ResponseParser({ onHead: () => true, onBody: (_b, start, end) => bodies.push(end - start) });
    parser.discardBodies = true;
    const stream = encoder.encode("HTTP/1.1 200 OK\r\nContent-Length: 64\r\n\r\n".concat("x".repeat(64)).repeat(3));
    for (let i = 0; i < stream.length; i += 7) parser.push(stream.subarray(i, i + 7));
    expect(bodies).toEqual([0, 0, 0]);
    expect(parser.bodyBytes).toBe(3 * 64);
    expect(parser.responses).toBe(3);
  });
});
