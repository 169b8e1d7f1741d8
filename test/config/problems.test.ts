import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../src/config/problems.js';
import { CandorError } from '../../src/domain/errors.js';
import { parse, problemsOf, yaml } from './support.js';

// One row per kind of problem: the YAML and the exact lines the user reads.
const cases: ReadonlyArray<{ name: string; input: string; problems: readonly string[] }> = [
  {
    name: 'a bad duration, as in the docs',
    input: yaml`
      title: Status
      monitors:
        - id: a
          type: tcp
          host: localhost
          port: 22
        - id: b
          type: tcp
          host: localhost
          port: 22
        - id: c
          type: tcp
          host: localhost
          interval: thirty
          port: 22
    `,
    problems: ['candor.yaml:14:15 monitors[2].interval: expected a duration like "30s", got "thirty"'],
  },
  {
    name: 'a timeout longer than a timer can hold',
    input: yaml`
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22, interval: 30d, timeout: 25d }
    `,
    problems: [
      'candor.yaml:2:62 monitors[0].interval: expected a duration of at most 24d (the longest timer Node.js holds), got "30d"',
      'candor.yaml:2:76 monitors[0].timeout: expected a duration of at most 24d (the longest timer Node.js holds), got "25d"',
    ],
  },
  {
    name: 'credentials in the URL, a header value Node cannot send, an oversized body cap',
    input: yaml`
      monitors:
        - id: a
          type: http
          url: "https://user:secret@example.test/"
          headers: { X-Name: "caf€" }
          maxBodySize: 8GiB
    `,
    problems: [
      'candor.yaml:4:10 monitors[0].url: expected a URL without user:password@ (it would be shown wherever the URL is); send them as headers: { Authorization: "Basic ..." } instead',
      'candor.yaml:5:24 monitors[0].headers.X-Name: expected a header value of printable Latin-1 characters, got "caf€"',
      'candor.yaml:6:18 monitors[0].maxBodySize: expected a size of at most 64MiB (a check reads the body into memory), got "8GiB"',
    ],
  },
  {
    name: 'unknown key, with a suggestion',
    input: yaml`
      monitors:
        - id: a
          type: tcp
          host: localhost
          port: 22
          intervall: 30s
    `,
    problems: [
      'candor.yaml:6:5 monitors[0].intervall: unknown key "intervall" (did you mean "interval"?); expected one of: id, name, type, interval, timeout, failureThreshold, successThreshold, degradedAfter, tags, component, paused, maintenance, public, vantages, declared, quorum, notify, host, port, send, expectBanner',
    ],
  },
  {
    name: 'unknown top-level key, no close match',
    input: yaml`
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22 }
      alerts: []
    `,
    problems: ['candor.yaml:3:1 alerts: unknown key "alerts"; expected one of: title, server, retention, api, vantage, defaults, monitors, controls, statusPages, provenance, policies, channels, routes, alerting, subscriptions'],
  },
  {
    name: 'a key of another type',
    input: yaml`
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22, url: "http://localhost/" }
    `,
    problems: ['candor.yaml:2:52 monitors[0].url: key "url" does not apply to a tcp monitor (it belongs to http monitors)'],
  },
  {
    name: 'missing required keys are reported at the monitor',
    input: yaml`
      monitors:
        - name: Nameless
          url: https://example.org/
    `,
    problems: [
      'candor.yaml:2:5 monitors[0].id: missing required key "id" (lower-case letters, digits and -, like "youtube")',
      'candor.yaml:2:5 monitors[0].type: missing required key "type" (one of http, tcp, dns, tls)',
    ],
  },
  {
    name: 'bad id and unknown type',
    input: yaml`
      monitors:
        - { id: YouTube, type: ftp }
    `,
    problems: [
      'candor.yaml:2:11 monitors[0].id: expected an id of lower-case letters, digits and - like "youtube", got "YouTube"',
      'candor.yaml:2:26 monitors[0].type: expected one of http, tcp, dns, tls, got "ftp"',
    ],
  },
  {
    name: 'duplicate id, reported at the second one',
    input: yaml`
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22 }
        - { id: b, type: tcp, host: localhost, port: 22 }
        - { id: a, type: tcp, host: localhost, port: 23 }
    `,
    problems: ['candor.yaml:4:11 monitors[2].id: expected a unique id, got "a" again (first used by monitors[0] on line 2)'],
  },
  {
    name: 'monitors missing',
    input: yaml`
      title: Nothing to watch
    `,
    problems: ['candor.yaml:1:1 monitors: missing required key "monitors" (the list of things to check)'],
  },
  {
    name: 'monitors empty',
    input: yaml`
      monitors: []
    `,
    problems: ['candor.yaml:1:11 monitors: expected at least one monitor, got an empty list'],
  },
  {
    name: 'monitors not a list',
    input: yaml`
      monitors:
        a: { type: tcp }
    `,
    problems: ['candor.yaml:2:3 monitors: expected a list of monitors, got a map'],
  },
  {
    name: 'an empty document',
    input: '# nothing yet\n',
    problems: ['candor.yaml:1:1 (document): expected a map with at least "monitors", got an empty document'],
  },
  {
    name: 'a YAML syntax error',
    input: yaml`
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22
      title: x
    `,
    problems: ['candor.yaml:3:1 (document): invalid YAML: Flow map in block collection must be sufficiently indented and end with a }'],
  },
  {
    name: 'a duplicate YAML key',
    input: yaml`
      title: a
      title: b
      monitors: []
    `,
    problems: ['candor.yaml:2:1 (document): invalid YAML: Map keys must be unique'],
  },
  {
    name: 'numbers, ranges and ports',
    input: yaml`
      server: { port: 70000 }
      monitors:
        - id: a
          type: tcp
          host: "bad host"
          port: 0
          failureThreshold: 0
          successThreshold: 1.5
          paused: "no"
    `,
    problems: [
      'candor.yaml:1:17 server.port: expected an integer from 1 to 65535, got 70000',
      'candor.yaml:5:11 monitors[0].host: expected a host name or IP address like "example.org", got "bad host"',
      'candor.yaml:6:11 monitors[0].port: expected an integer from 1 to 65535, got 0',
      'candor.yaml:7:23 monitors[0].failureThreshold: expected an integer >= 1, got 0',
      'candor.yaml:8:23 monitors[0].successThreshold: expected an integer >= 1, got 1.5',
      'candor.yaml:9:13 monitors[0].paused: expected true or false, got "no"',
    ],
  },
  {
    name: 'a string that YAML read as a number',
    input: yaml`
      title: 2024
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22 }
    `,
    problems: ['candor.yaml:1:8 title: expected a string, got 2024 (quote it to use it as text: "2024")'],
  },
  {
    name: 'timing that does not fit together',
    input: yaml`
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22, interval: 4s }
        - { id: b, type: tcp, host: localhost, port: 22, interval: 10s, timeout: 15s }
        - { id: c, type: tcp, host: localhost, port: 22, timeout: 2s, degradedAfter: 2s }
    `,
    problems: [
      'candor.yaml:2:62 monitors[0].interval: expected a duration of at least 5s, got "4s"',
      'candor.yaml:3:76 monitors[1].timeout: expected a timeout of at most the interval (10s) of monitor "b", got "15s"',
      'candor.yaml:4:80 monitors[2].degradedAfter: expected a latency below the timeout (2s) of monitor "c", got "2s"',
    ],
  },
  {
    name: 'a timeout in the defaults that a monitor cannot fit',
    input: yaml`
      defaults:
        timeout: 30s
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22, interval: 10s }
    `,
    problems: ['candor.yaml:2:12 defaults.timeout: expected a timeout of at most the interval (10s) of monitor "a", got "30s"'],
  },
  {
    name: 'http request problems',
    input: yaml`
      monitors:
        - id: a
          type: http
          url: ftp://example.org/
          method: FETCH
          maxBodySize: 1 megabyte
          headers: { "Bad Header": x }
          maxRedirects: -1
        - id: b
          type: http
          url: https://example.org/
          body: hello
    `,
    problems: [
      'candor.yaml:4:10 monitors[0].url: expected an http:// or https:// URL, got "ftp://example.org/"',
      'candor.yaml:5:13 monitors[0].method: expected one of GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, got "FETCH"',
      'candor.yaml:6:18 monitors[0].maxBodySize: expected a size like "1MiB" or a number of bytes, got "1 megabyte"',
      'candor.yaml:7:30 monitors[0].headers["Bad Header"]: expected a header name made of letters, digits and -, got "Bad Header"',
      'candor.yaml:8:19 monitors[0].maxRedirects: expected an integer from 0 to 50, got -1',
      'candor.yaml:12:11 monitors[1].body: expected no body with method GET, got "hello" (use POST, PUT or PATCH to send one)',
    ],
  },
  {
    name: 'patterns the linear-time engine cannot run (backreferences, lookaround)',
    input: yaml`
      monitors:
        - id: a
          type: http
          url: https://example.org/
          expect:
            bodyMatches: "(a)\\1"
            header:
              - { name: server, matches: "^(?!nginx)" }
    `,
    problems: [
      'candor.yaml:6:20 monitors[0].expect.bodyMatches: expected a valid regular expression (RE2 syntax), got "(a)\\\\1" (invalid escape sequence: `\\1`; backreferences and lookaround are not supported (patterns run in linear time, RE2 syntax))',
      'candor.yaml:8:36 monitors[0].expect.header[0].matches: expected a valid regular expression (RE2 syntax), got "^(?!nginx)" (invalid or unsupported Perl syntax: `(?!`; backreferences and lookaround are not supported (patterns run in linear time, RE2 syntax))',
    ],
  },
  {
    name: 'http expectation problems',
    input: yaml`
      monitors:
        - id: a
          type: http
          url: https://example.org/
          expect:
            status: [200, "6xx", "299-200", abc]
            bodyMatches: "(unclosed"
            json:
              - { path: "a..b", equals: 1 }
              - { path: status, equals: ok, exists: true }
            header:
              - { name: server }
            answers: [x]
    `,
    problems: [
      'candor.yaml:6:21 monitors[0].expect.status[1]: expected a status code from 100 to 599, "2xx" or a range like "200-299", got "6xx"',
      'candor.yaml:6:28 monitors[0].expect.status[2]: expected a status code from 100 to 599, "2xx" or a range like "200-299", got "299-200"',
      'candor.yaml:6:39 monitors[0].expect.status[3]: expected a status code from 100 to 599, "2xx" or a range like "200-299", got "abc"',
      'candor.yaml:7:20 monitors[0].expect.bodyMatches: expected a valid regular expression (RE2 syntax), got "(unclosed" (missing closing ): `(unclosed`)',
      'candor.yaml:9:19 monitors[0].expect.json[0].path: expected a JSON path like "data.items[0].status", got "a..b"',
      'candor.yaml:10:11 monitors[0].expect.json[1]: expected exactly one of equals, exists, got equals and exists',
      'candor.yaml:12:11 monitors[0].expect.header[0]: expected exactly one of equals, contains, matches, exists, got none',
      'candor.yaml:13:7 monitors[0].expect.answers: unknown key "answers"; expected one of: status, maxLatency, bodyContains, bodyMatches, json, header',
    ],
  },
  {
    name: 'dns, tls and tcp problems',
    input: yaml`
      monitors:
        - { id: d, type: dns, query: example.org, recordType: SRV, resolver: "1.1.1.1:99999", expect: { rcode: OK } }
        - { id: t, type: tls, host: example.org, port: 443, expect: { minDaysValid: -1 } }
        - { id: p, type: tcp, host: example.org, expect: { banner: SSH } }
    `,
    problems: [
      'candor.yaml:2:57 monitors[0].recordType: expected one of A, AAAA, CNAME, MX, NS, TXT, got "SRV"',
      'candor.yaml:2:72 monitors[0].resolver: expected a resolver IP address like "1.1.1.1" or "1.1.1.1:53", or "system", got "1.1.1.1:99999"',
      'candor.yaml:2:106 monitors[0].expect.rcode: expected one of NOERROR, NXDOMAIN, SERVFAIL, REFUSED, got "OK"',
      'candor.yaml:3:79 monitors[1].expect.minDaysValid: expected an integer from 0 to 3650, got -1',
      'candor.yaml:4:5 monitors[2].port: missing required key "port"',
      'candor.yaml:4:44 monitors[2].expect: key "expect" does not apply to a tcp monitor (it belongs to http, dns, tls monitors)',
    ],
  },
  {
    name: 'maintenance windows',
    input: yaml`
      monitors:
        - id: a
          type: tcp
          host: localhost
          port: 22
          maintenance:
            - { start: "2026-12-01T04:00:00Z", end: "2026-12-01T02:00:00Z" }
            - { start: "2026-12-01T02:00:00", end: "2026-02-30T02:00:00Z" }
            - { cron: "0 25 * * *", duration: 1h }
            - { cron: "0 3 * * 0", duration: 1h, timezone: Mars/Olympus }
            - { cron: "0 3 * *", duration: 0s }
            - { start: "2026-12-01T02:00:00Z", end: "2026-12-01T04:00:00Z", duration: 1h }
            - { title: nothing else }
    `,
    problems: [
      'candor.yaml:7:47 monitors[0].maintenance[0].end: expected an end after the start (2026-12-01T04:00:00.000Z), got 2026-12-01T02:00:00.000Z',
      'candor.yaml:8:18 monitors[0].maintenance[1].start: expected an ISO 8601 time with a zone like "2026-12-01T02:00:00Z", got "2026-12-01T02:00:00"',
      'candor.yaml:8:46 monitors[0].maintenance[1].end: expected an ISO 8601 time with a zone like "2026-12-01T02:00:00Z", got "2026-02-30T02:00:00Z"',
      'candor.yaml:9:17 monitors[0].maintenance[2].cron: expected a cron expression like "0 3 * * 0", got "0 25 * * *" (Constraint error, got value 25 expected range 0-23)',
      'candor.yaml:10:54 monitors[0].maintenance[3].timezone: expected an IANA time zone like "Europe/Berlin", got "Mars/Olympus"',
      'candor.yaml:11:17 monitors[0].maintenance[4].cron: expected a cron expression like "0 3 * * 0", got "0 3 * *" (it has 4 fields; 5 (minute hour day month weekday) or 6 with seconds first)',
      'candor.yaml:11:38 monitors[0].maintenance[4].duration: expected a duration of at least 1ms, got "0s"',
      'candor.yaml:12:71 monitors[0].maintenance[5].duration: key "duration" does not apply to a fixed window (which uses start, end)',
      'candor.yaml:13:9 monitors[0].maintenance[6]: expected a window with "start" and "end", or with "cron" and "duration", got neither',
    ],
  },
  {
    name: 'retention and defaults problems',
    input: yaml`
      retention: { raw: 30m, rollups: forever }
      defaults:
        interval: 1m
        url: https://example.org/
      monitors:
        - { id: a, type: tcp, host: localhost, port: 22 }
    `,
    problems: [
      'candor.yaml:1:19 retention.raw: expected a duration of at least 1h, got "30m"',
      'candor.yaml:1:33 retention.rollups: expected a duration like "30s", got "forever"',
      'candor.yaml:4:3 defaults.url: unknown key "url"; expected one of: interval, timeout, failureThreshold, successThreshold, degradedAfter, tags, paused, maintenance, method, headers, maxRedirects, verifyTls, maxBodySize, keepHeaders',
    ],
  },
];

describe('problems', () => {
  for (const { name, input, problems } of cases) {
    it(name, () => assert.deepEqual(problemsOf(input), problems));
  }
});

describe('ConfigError', () => {
  const input = yaml`
    server: { port: 0 }
    monitors:
      - { id: a, type: tcp, host: localhost, port: 22, interval: 1s }
  `;

  it('collects every problem at once, in document order', () => {
    assert.deepEqual(problemsOf(input), [
      'candor.yaml:1:17 server.port: expected an integer from 1 to 65535, got 0',
      'candor.yaml:3:62 monitors[0].interval: expected a duration of at least 5s, got "1s"',
    ]);
  });

  it('is a CandorError with a stable code, its problems as data, and the formatted lines as message', () => {
    const error = captureError(() => parse(input));
    assert.ok(error instanceof ConfigError);
    assert.ok(error instanceof CandorError);
    assert.equal(error.code, 'config_invalid');
    assert.equal(error.message, error.format());
    assert.deepEqual(error.problems[0], {
      file: 'candor.yaml',
      line: 1,
      col: 17,
      path: 'server.port',
      message: 'expected an integer from 1 to 65535, got 0',
    });
  });
});

function captureError(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}
