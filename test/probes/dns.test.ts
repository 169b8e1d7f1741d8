import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import dns from 'node:dns';
import type { DnsProbeSpec } from '../../src/domain/monitor.js';
import { createDnsProbe, parseServerAddress } from '../../src/probes/dns.js';
import { startDnsServer, type RunningDnsServer } from '../support/dns-server.js';
import { assertFailure, assertOk, detailsOf } from './helpers.js';

const probe = createDnsProbe();

describe('dns probe against a loopback resolver', () => {
  let server: RunningDnsServer;
  before(async () => {
    server = await startDnsServer({
      'example.test': {
        records: [
          { type: 'A', ttl: 300, data: '192.0.2.10' },
          { type: 'A', ttl: 300, data: '192.0.2.11' },
          { type: 'AAAA', ttl: 600, data: '2001:db8::10' },
          { type: 'MX', ttl: 3600, data: { preference: 10, exchange: 'Mail.Example.test' } },
          { type: 'NS', ttl: 86400, data: 'ns1.example.test' },
          { type: 'TXT', ttl: 120, data: ['v=spf1 ', '-all'] },
        ],
      },
      'www.example.test': { records: [{ type: 'CNAME', ttl: 60, data: 'edge.cdn.test' }] },
      'empty.example.test': { records: [] },
      'broken.example.test': { rcode: 'SERVFAIL' },
      'closed.example.test': { rcode: 'REFUSED' },
      'silent.example.test': { silent: true },
      'big.example.test': { truncated: true, records: [{ type: 'A', ttl: 30, data: '192.0.2.99' }] },
    });
  });
  after(() => server.close());

  const spec = (name: string, recordType: DnsProbeSpec['recordType'], expect: DnsProbeSpec['expect'] = {}): DnsProbeSpec => ({
    type: 'dns',
    name,
    recordType,
    resolver: { host: server.host, port: server.port },
    expect,
  });

  const answerTable: { type: DnsProbeSpec['recordType']; name?: string; answers: { type: string; ttl: number; data: string }[]; expectAnswers: string[] }[] = [
    { type: 'A', answers: [{ type: 'A', ttl: 300, data: '192.0.2.10' }, { type: 'A', ttl: 300, data: '192.0.2.11' }], expectAnswers: ['192.0.2.11'] },
    { type: 'AAAA', answers: [{ type: 'AAAA', ttl: 600, data: '2001:db8::10' }], expectAnswers: ['2001:DB8:0:0:0:0:0:10'] },
    { type: 'MX', answers: [{ type: 'MX', ttl: 3600, data: '10 mail.example.test' }], expectAnswers: ['10 mail.example.test', 'MAIL.example.test.'] },
    { type: 'NS', answers: [{ type: 'NS', ttl: 86400, data: 'ns1.example.test' }], expectAnswers: ['ns1.example.test.'] },
    { type: 'TXT', answers: [{ type: 'TXT', ttl: 120, data: 'v=spf1 -all' }], expectAnswers: ['v=spf1 -all'] },
    { type: 'CNAME', name: 'www.example.test', answers: [{ type: 'CNAME', ttl: 60, data: 'edge.cdn.test' }], expectAnswers: ['edge.cdn.test'] },
  ];
  for (const row of answerTable) {
    it(`${row.type} answers with TTLs`, async () => {
      const name = row.name ?? 'example.test';
      const outcome = await probe.run(spec(name, row.type, { answers: row.expectAnswers }), { timeoutMs: 800 });
      assertOk(outcome);
      assert.equal(detailsOf(outcome, 'dns').rcode, 'NOERROR');
      assert.deepEqual(detailsOf(outcome, 'dns').answers, row.answers.map((answer) => ({ ...answer, name })));
      assert.equal(outcome.peerAddress, '127.0.0.1');
      assert.equal(detailsOf(outcome, 'dns').transport, 'udp');
      assert.ok(outcome.phases.total >= 0 && outcome.phases.dns === outcome.phases.total);
    });
  }

  const failureTable: { name: string; type?: DnsProbeSpec['recordType']; expect?: DnsProbeSpec['expect']; kind: string; message: string; rcode?: string }[] = [
    { name: 'nothing.example.test', kind: 'dns_nxdomain', message: 'NXDOMAIN', rcode: 'NXDOMAIN' },
    { name: 'broken.example.test', kind: 'dns_servfail', message: 'SERVFAIL', rcode: 'SERVFAIL' },
    { name: 'closed.example.test', kind: 'dns_refused', message: 'REFUSED', rcode: 'REFUSED' },
    { name: 'empty.example.test', kind: 'dns_no_answer', message: 'no A record', rcode: 'NOERROR' },
    { name: 'www.example.test', type: 'A', kind: 'dns_no_answer', message: 'no A record', rcode: 'NOERROR' },
    { name: 'example.test', expect: { answers: ['192.0.2.99'] }, kind: 'assertion_failed', message: 'missing "192.0.2.99"', rcode: 'NOERROR' },
    { name: 'example.test', expect: { rcode: 'NXDOMAIN' }, kind: 'assertion_failed', message: 'expected rcode NXDOMAIN, got NOERROR', rcode: 'NOERROR' },
    { name: 'broken.example.test', expect: { rcode: 'NOERROR' }, kind: 'dns_servfail', message: 'expected rcode NOERROR, got SERVFAIL', rcode: 'SERVFAIL' },
  ];
  for (const row of failureTable) {
    it(`${row.name} ${row.type ?? 'A'} ${JSON.stringify(row.expect ?? {})} -> ${row.kind}`, async () => {
      const outcome = await probe.run(spec(row.name, row.type ?? 'A', row.expect), { timeoutMs: 800 });
      assertFailure(outcome, row.kind, row.message);
      assert.equal(detailsOf(outcome, 'dns').rcode, row.rcode);
      assert.equal(outcome.peerAddress, '127.0.0.1');
    });
  }

  it('expecting NXDOMAIN is ok when NXDOMAIN comes', async () => {
    assertOk(await probe.run(spec('nothing.example.test', 'A', { rcode: 'NXDOMAIN' }), { timeoutMs: 800 }));
  });

  it('expecting NOERROR explicitly accepts an empty answer', async () => {
    assertOk(await probe.run(spec('empty.example.test', 'A', { rcode: 'NOERROR' }), { timeoutMs: 800 }));
  });

  it('a resolver that never answers is dns_timeout within the bound', async () => {
    const outcome = await probe.run(spec('silent.example.test', 'A'), { timeoutMs: 300 });
    assertFailure(outcome, 'dns_timeout', 'timed out after 300 ms');
    assert.ok(outcome.phases.total >= 290 && outcome.phases.total < 1_000);
    const asked = server.queries.filter((query) => query.name === 'silent.example.test');
    assert.equal(asked.length, 2, 'one retransmission');
  });

  it('retries over TCP when the UDP reply is truncated', async () => {
    const outcome = await probe.run(spec('big.example.test', 'A', { answers: ['192.0.2.99'] }), { timeoutMs: 800 });
    assertOk(outcome);
    assert.equal(detailsOf(outcome, 'dns').transport, 'tcp');
    assert.deepEqual(
      server.queries.filter((query) => query.name === 'big.example.test').map((query) => query.transport),
      ['udp', 'tcp'],
    );
  });

  it('uses the system resolver when none is given (pointed at loopback for the test)', async () => {
    const saved = dns.getServers();
    dns.setServers([`${server.host}:${server.port}`]);
    try {
      // Guard: the probe reads this same module object; never let this test reach an off-box resolver.
      assert.deepEqual(dns.getServers(), [`${server.host}:${server.port}`]);
      const outcome = await probe.run({ type: 'dns', name: 'example.test', recordType: 'A', expect: {} }, { timeoutMs: 800 });
      assertOk(outcome);
      assert.equal(outcome.peerAddress, '127.0.0.1');
      assert.equal(detailsOf(outcome, 'dns').resolver, `127.0.0.1:${server.port}`);
    } finally {
      dns.setServers(saved);
    }
  });

  it('injected system resolvers and no resolver at all', async () => {
    const injected = createDnsProbe({ systemResolvers: () => [`${server.host}:${server.port}`] });
    assertOk(await injected.run({ type: 'dns', name: 'example.test', recordType: 'NS', expect: {} }, { timeoutMs: 800 }));
    const none = createDnsProbe({ systemResolvers: () => [] });
    assertFailure(await none.run({ type: 'dns', name: 'example.test', recordType: 'A', expect: {} }, { timeoutMs: 800 }), 'dns_error', 'no system resolver');
  });

  it('abort signal is a timeout', async () => {
    const outcome = await probe.run(spec('silent.example.test', 'A'), { timeoutMs: 5_000, signal: AbortSignal.timeout(30) });
    assertFailure(outcome, 'timeout', 'aborted');
  });
});

describe('parseServerAddress', () => {
  const table: [string, { host: string; port: number } | undefined][] = [
    ['127.0.0.53', { host: '127.0.0.53', port: 53 }],
    ['127.0.0.1:5353', { host: '127.0.0.1', port: 5353 }],
    ['::1', { host: '::1', port: 53 }],
    ['[::1]:5353', { host: '::1', port: 5353 }],
    ['resolver.example', undefined],
  ];
  for (const [server, wanted] of table) it(server, () => assert.deepEqual(parseServerAddress(server), wanted));
});
