import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { targetHost, vantageImpaired, type RecentCheck } from '../../src/domain/vantage.js';
import type { ErrorKind } from '../../src/domain/observation.js';

const NOW = 1_000_000;
const check = (target: string, kind?: ErrorKind, ageMs = 1000): RecentCheck => ({
  target,
  ok: kind === undefined,
  at: NOW - ageMs,
  ...(kind ? { errorKind: kind } : {}),
});

describe('vantageImpaired', () => {
  const rows: { name: string; recent: RecentCheck[]; expected: boolean }[] = [
    { name: 'nothing checked', recent: [], expected: false },
    { name: 'all fine', recent: [check('a'), check('b'), check('c')], expected: false },
    {
      name: 'three unrelated targets unreachable at once',
      recent: [check('a', 'connect_unreachable'), check('b', 'dns_timeout'), check('c', 'connect_timeout')],
      expected: true,
    },
    { name: 'two targets are not enough to blame ourselves', recent: [check('a', 'dns_timeout'), check('b', 'dns_timeout')], expected: false },
    { name: 'many monitors of one host are one target', recent: [check('a', 'dns_timeout'), check('a', 'dns_timeout'), check('a', 'dns_timeout')], expected: false },
    {
      name: 'one check that got through means our network works',
      recent: [check('a', 'connect_unreachable'), check('b', 'dns_timeout'), check('c', 'connect_timeout'), check('d')],
      expected: false,
    },
    {
      name: 'answers from the targets (refused, HTTP 503, TLS) are about the targets',
      recent: [check('a', 'connect_refused'), check('b', 'http_status'), check('c', 'tls_handshake')],
      expected: false,
    },
    {
      name: 'old checks do not count',
      recent: [check('a', 'dns_timeout'), check('b', 'dns_timeout'), check('c', 'dns_timeout'), check('d', undefined, 10 * 60_000)],
      expected: true,
    },
  ];
  for (const row of rows) it(row.name, () => assert.equal(vantageImpaired(row.recent, NOW), row.expected));
});

describe('targetHost', () => {
  it('is the URL host, the host, or the resolver', () => {
    assert.equal(targetHost({ type: 'tcp', host: 'db.example', port: 5432 }), 'db.example');
    assert.equal(targetHost({ type: 'dns', name: 'x.example', recordType: 'A', resolver: { host: '192.0.2.53', port: 53 }, expect: {} }), '192.0.2.53');
    assert.equal(targetHost({ type: 'dns', name: 'x.example', recordType: 'A', expect: {} }), 'system resolver');
  });
});
