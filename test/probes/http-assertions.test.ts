import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { HttpExpect } from '../../src/domain/monitor.js';
import { evaluateHttpExpect, needsBody, parseJsonPath, type ObservedResponse } from '../../src/probes/http-assertions.js';

const response: ObservedResponse = {
  status: 200,
  headers: { 'content-type': 'application/json; charset=utf-8', 'x-served-by': 'edge-7', 'cache-control': 'no-store' },
  bodyText: JSON.stringify({ status: 'ok', data: { items: [{ id: 1, state: 'up' }, { id: 2, state: 'down' }] }, empty: null }),
  bodyTruncated: false,
  maxBodyBytes: 65536,
  latencyMs: 120,
};

const OK: HttpExpect = { status: [[200, 299]] };

interface Row {
  readonly name: string;
  readonly expect: HttpExpect;
  readonly response?: Partial<ObservedResponse>;
  /** undefined: passes; otherwise the kind and a fragment of the message. */
  readonly fails?: readonly [kind: string, message: string];
}

const rows: Row[] = [
  { name: 'status in range', expect: OK },
  { name: 'default range when empty accepts 3xx', expect: { status: [] }, response: { status: 302 } },
  { name: 'status out of range', expect: { status: [[200, 399]] }, response: { status: 503 }, fails: ['http_status', 'expected status 200-399, got 503'] },
  { name: 'single code listed', expect: { status: [[204, 204]] }, response: { status: 200 }, fails: ['http_status', 'expected status 204, got 200'] },
  { name: 'several ranges', expect: { status: [[200, 200], [404, 404]] }, response: { status: 404 } },
  { name: 'latency within bound', expect: { ...OK, maxLatencyMs: 200 } },
  { name: 'latency above bound', expect: { ...OK, maxLatencyMs: 100 }, fails: ['assertion_failed', 'maxLatencyMs'] },
  { name: 'status checked before latency', expect: { status: [[200, 200]], maxLatencyMs: 1 }, response: { status: 500 }, fails: ['http_status', 'got 500'] },
  { name: 'body contains all', expect: { ...OK, bodyContains: ['"status":"ok"', 'items'] } },
  { name: 'body misses one', expect: { ...OK, bodyContains: ['items', 'nope'] }, fails: ['assertion_failed', 'bodyContains: body does not contain "nope"'] },
  { name: 'body matches', expect: { ...OK, bodyMatches: '"state":"(up|down)"' } },
  { name: 'body does not match', expect: { ...OK, bodyMatches: '^<html' }, fails: ['assertion_failed', 'bodyMatches'] },
  { name: 'invalid regex is reported, not thrown', expect: { ...OK, bodyMatches: '(' }, fails: ['assertion_failed', 'invalid regular expression'] },
  { name: 'json equals', expect: { ...OK, json: [{ path: 'status', equals: 'ok' }] } },
  { name: 'json nested index equals', expect: { ...OK, json: [{ path: 'data.items[1].state', equals: 'down' }] } },
  { name: 'json $ prefix', expect: { ...OK, json: [{ path: '$.data.items[0].id', equals: 1 }] } },
  { name: 'json deep equals object', expect: { ...OK, json: [{ path: 'data.items[0]', equals: { id: 1, state: 'up' } }] } },
  { name: 'json equals mismatch', expect: { ...OK, json: [{ path: 'status', equals: 'degraded' }] }, fails: ['assertion_failed', 'json status: expected "degraded", got "ok"'] },
  { name: 'json exists', expect: { ...OK, json: [{ path: 'data.items', exists: true }] } },
  { name: 'json null exists', expect: { ...OK, json: [{ path: 'empty', exists: true }] } },
  { name: 'json missing', expect: { ...OK, json: [{ path: 'data.items[5]', exists: true }] }, fails: ['assertion_failed', 'json data.items[5]: missing'] },
  { name: 'json must be absent', expect: { ...OK, json: [{ path: 'error', exists: false }] } },
  { name: 'json present but must be absent', expect: { ...OK, json: [{ path: 'status', exists: false }] }, fails: ['assertion_failed', 'expected absent'] },
  { name: 'json root', expect: { ...OK, json: [{ path: '$', exists: true }] } },
  { name: 'json on non-JSON body', expect: { ...OK, json: [{ path: 'a', exists: true }] }, response: { bodyText: '<html>' }, fails: ['assertion_failed', 'not valid JSON'] },
  { name: 'header equals', expect: { ...OK, headers: [{ name: 'X-Served-By', equals: 'edge-7' }] } },
  { name: 'header equals mismatch', expect: { ...OK, headers: [{ name: 'x-served-by', equals: 'edge-8' }] }, fails: ['assertion_failed', 'header x-served-by: expected "edge-8"'] },
  { name: 'header contains', expect: { ...OK, headers: [{ name: 'content-type', contains: 'json' }] } },
  { name: 'header contains mismatch', expect: { ...OK, headers: [{ name: 'content-type', contains: 'html' }] }, fails: ['assertion_failed', 'does not contain "html"'] },
  { name: 'header matches', expect: { ...OK, headers: [{ name: 'x-served-by', matches: '^edge-\\d+$' }] } },
  { name: 'header matches mismatch', expect: { ...OK, headers: [{ name: 'x-served-by', matches: '^origin' }] }, fails: ['assertion_failed', 'does not match'] },
  // Nested quantifiers that backtrack for ages on JavaScript's engine run in linear time here.
  { name: 'catastrophic body pattern on a long body', expect: { ...OK, bodyMatches: '^(a+)+$' }, response: { bodyText: `${'a'.repeat(100_000)}!` }, fails: ['assertion_failed', 'body does not match'] },
  { name: 'catastrophic header pattern on a long value', expect: { ...OK, headers: [{ name: 'x-long', matches: '^(a|aa)+$' }] }, response: { headers: { 'x-long': `${'a'.repeat(50_000)}!` } }, fails: ['assertion_failed', 'does not match'] },
  { name: 'a sensitive header value never shows in the message', expect: { ...OK, headers: [{ name: 'set-cookie', contains: 'lang=' }] }, response: { headers: { 'set-cookie': 'session=abc123' } }, fails: ['assertion_failed', 'header set-cookie: "[redacted]" does not contain "[redacted]"'] },
  { name: 'header exists', expect: { ...OK, headers: [{ name: 'cache-control', exists: true }] } },
  { name: 'header missing', expect: { ...OK, headers: [{ name: 'etag', exists: true }] }, fails: ['assertion_failed', 'header etag: missing'] },
  { name: 'header must be absent', expect: { ...OK, headers: [{ name: 'server', exists: false }] } },
  { name: 'header present but must be absent', expect: { ...OK, headers: [{ name: 'cache-control', exists: false }] }, fails: ['assertion_failed', 'expected absent'] },
  { name: 'truncated body without body assertions passes', expect: OK, response: { bodyTruncated: true } },
  { name: 'truncated body with bodyContains', expect: { ...OK, bodyContains: ['ok'] }, response: { bodyTruncated: true }, fails: ['body_too_large', 'maxBodyBytes (65536)'] },
  { name: 'truncated body with json', expect: { ...OK, json: [{ path: 'status', equals: 'ok' }] }, response: { bodyTruncated: true }, fails: ['body_too_large', 'maxBodyBytes'] },
  { name: 'status beats body size', expect: { status: [[200, 200]], bodyContains: ['x'] }, response: { status: 500, bodyTruncated: true }, fails: ['http_status', 'got 500'] },
];

describe('evaluateHttpExpect', () => {
  for (const row of rows) {
    it(row.name, () => {
      const failure = evaluateHttpExpect(row.expect, { ...response, ...row.response });
      if (!row.fails) {
        assert.equal(failure, undefined);
        return;
      }
      assert.ok(failure, 'expected a failure');
      assert.equal(failure.kind, row.fails[0]);
      assert.ok(failure.message.includes(row.fails[1]), `message ${JSON.stringify(failure.message)} lacks ${JSON.stringify(row.fails[1])}`);
    });
  }
});

describe('needsBody', () => {
  const table: [string, HttpExpect, boolean][] = [
    ['status only', OK, false],
    ['headers only', { ...OK, headers: [{ name: 'a', exists: true }] }, false],
    ['bodyContains', { ...OK, bodyContains: ['a'] }, true],
    ['empty bodyContains', { ...OK, bodyContains: [] }, false],
    ['bodyMatches', { ...OK, bodyMatches: 'a' }, true],
    ['json', { ...OK, json: [{ path: 'a' }] }, true],
  ];
  for (const [name, expect, wanted] of table) it(name, () => assert.equal(needsBody(expect), wanted));
});

describe('parseJsonPath', () => {
  const table: [string, (string | number)[] | undefined][] = [
    ['', []],
    ['$', []],
    ['a', ['a']],
    ['a.b', ['a', 'b']],
    ['a[0]', ['a', 0]],
    ['data.items[0].status', ['data', 'items', 0, 'status']],
    ['$.a[2][3]', ['a', 2, 3]],
    ['$[1]', [1]],
    ['a[x]', undefined],
  ];
  for (const [path, wanted] of table) it(JSON.stringify(path), () => assert.deepEqual(parseJsonPath(path), wanted));
});
