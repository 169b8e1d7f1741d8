// The SSRF guard: monitors made through the API reach only public addresses, checked on what a name
// resolves to at every check (a loopback DNS server here), before any connection is made.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { promises as dns } from 'node:dns';
import type { HttpProbeSpec, TcpProbeSpec, DnsProbeSpec } from '../../src/domain/monitor.js';
import { createProbes } from '../../src/probes/registry.js';
import { forbiddenRange } from '../../src/probes/target-guard.js';
import type { HostLookup } from '../../src/probes/errors.js';
import { startDnsServer, type RunningDnsServer, type TestZoneEntry } from '../support/dns-server.js';
import { startHttpServer, startTcpServer, type RunningHttpServer, type RunningServer } from '../support/loopback-servers.js';

describe('forbiddenRange', () => {
  // Addresses as data only: nothing here connects anywhere.
  const rows: [string, string | undefined][] = [
    ['127.0.0.1', 'loopback'],
    ['127.5.6.7', 'loopback'],
    ['::1', 'loopback'],
    ['::ffff:127.0.0.1', 'loopback'],
    ['10.0.0.8', 'private'],
    ['172.16.0.1', 'private'],
    ['192.168.1.1', 'private'],
    ['169.254.169.254', 'linkLocal'],
    ['fe80::1', 'linkLocal'],
    ['fd00:ec2::254', 'uniqueLocal'],
    ['100.100.100.200', 'carrierGradeNat'],
    ['0.0.0.0', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['not an address', 'unparsable'],
    ['93.184.216.34', undefined],
    ['2606:2800:220:1::1', undefined],
  ];
  for (const [address, expected] of rows) it(`${address} → ${expected ?? 'public'}`, () => assert.equal(forbiddenRange(address), expected));
});

describe('probes with publicTargetsOnly', () => {
  let web: RunningHttpServer;
  let tcp: RunningServer;
  let dnsServer: RunningDnsServer;
  let requests = 0;
  let connections = 0;
  const zone: Record<string, TestZoneEntry> = { 'rebind.test': { records: [{ type: 'A', ttl: 0, data: '127.0.0.2' }] } };
  let lookup: HostLookup;

  before(async () => {
    web = await startHttpServer((_request, response) => {
      requests++;
      response.end('ok');
    });
    tcp = await startTcpServer((socket) => {
      connections++;
      socket.end();
    });
    dnsServer = await startDnsServer(zone);
    // Names resolved by the loopback DNS server, as getaddrinfo would by the system's.
    const resolver = new dns.Resolver();
    resolver.setServers([`${dnsServer.host}:${dnsServer.port}`]);
    lookup = async (host) => (await resolver.resolve4(host)).map((address) => ({ address, family: 4 }));
  });
  after(async () => {
    await web.close();
    await tcp.close();
    await dnsServer.close();
  });

  const http = (url: string): HttpProbeSpec => ({ type: 'http', url, method: 'GET', headers: {}, maxRedirects: 0, verifyTls: true, maxBodyBytes: 1024, keepHeaders: [], expect: { status: [[200, 299]] } });

  it('refuses 127.0.0.1 for a guarded run and reaches it otherwise', async () => {
    const probes = createProbes({ lookup });
    const guarded = await probes.run(http(`${web.url}/`), { timeoutMs: 2000, publicTargetsOnly: true });
    assert.equal(guarded.ok, false);
    assert.equal(guarded.error?.kind, 'target_forbidden');
    assert.match(guarded.error!.message, /127\.0\.0\.1 is a loopback address.*api\.allowPrivateTargets/);
    assert.equal(requests, 0, 'no request reached the target');
    const trusted = await probes.run(http(`${web.url}/`), { timeoutMs: 2000 });
    assert.equal(trusted.ok, true);
    assert.equal(requests, 1);
  });

  it('checks what a name resolves to, at every check (a name that turns to loopback is refused each time)', async () => {
    const probes = createProbes({ lookup });
    const before = requests;
    const queriesBefore = dnsServer.queries.length;
    const first = await probes.run(http(`http://rebind.test:${web.port}/`), { timeoutMs: 2000, publicTargetsOnly: true });
    assert.equal(first.error?.kind, 'target_forbidden');
    assert.match(first.error!.message, /127\.0\.0\.2 is a loopback address \(rebind\.test resolves to it\)/);
    zone['rebind.test'] = { records: [{ type: 'A', ttl: 0, data: '127.0.0.1' }] };
    const second = await probes.run(http(`http://rebind.test:${web.port}/`), { timeoutMs: 2000, publicTargetsOnly: true });
    assert.equal(second.error?.kind, 'target_forbidden');
    assert.match(second.error!.message, /127\.0\.0\.1 is a loopback address \(rebind\.test resolves to it\)/);
    assert.equal(dnsServer.queries.length - queriesBefore, 2, 'the name was resolved again for the second check');
    assert.equal(requests, before, 'no request reached the target');
    // Unguarded, the same name is reached through the address it resolves to.
    assert.equal((await probes.run(http(`http://rebind.test:${web.port}/`), { timeoutMs: 2000 })).ok, true);
  });

  it('guards tcp and tls targets and a dns monitor\'s own resolver too', async () => {
    const probes = createProbes({ lookup });
    const tcpSpec: TcpProbeSpec = { type: 'tcp', host: '127.0.0.1', port: tcp.port };
    assert.equal((await probes.run(tcpSpec, { timeoutMs: 2000, publicTargetsOnly: true })).error?.kind, 'target_forbidden');
    assert.equal((await probes.run({ type: 'tls', host: 'rebind.test', port: tcp.port, expect: {} }, { timeoutMs: 2000, publicTargetsOnly: true })).error?.kind, 'target_forbidden');
    assert.equal(connections, 0, 'no connection was made');
    const dnsSpec: DnsProbeSpec = { type: 'dns', name: 'rebind.test', recordType: 'A', resolver: { host: dnsServer.host, port: dnsServer.port }, expect: {} };
    const queries = dnsServer.queries.length;
    assert.equal((await probes.run(dnsSpec, { timeoutMs: 2000, publicTargetsOnly: true })).error?.kind, 'target_forbidden');
    assert.equal(dnsServer.queries.length, queries, 'the private resolver was not asked');
  });
});
