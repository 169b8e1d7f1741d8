import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { TcpProbeSpec } from '../../src/domain/monitor.js';
import { createProbes } from '../../src/probes/registry.js';
import { ERROR_KINDS } from '../../src/domain/observation.js';
import { startDnsServer } from '../support/dns-server.js';
import { closedPort, startHttpServer, startTcpServer } from '../support/loopback-servers.js';
import { assertFailure, assertOk } from './helpers.js';

describe('probe registry', () => {
  it('dispatches every spec type to its probe', async () => {
    const http = await startHttpServer((_req, res) => res.end('ok'));
    const tcp = await startTcpServer((socket) => socket.end());
    const dns = await startDnsServer({ 'a.test': { records: [{ type: 'A', ttl: 5, data: '192.0.2.1' }] } });
    try {
      const probes = createProbes();
      const options = { timeoutMs: 800 };
      assertOk(await probes.run({ type: 'http', url: http.url, method: 'GET', headers: {}, maxRedirects: 0, verifyTls: true, maxBodyBytes: 1024, keepHeaders: [], expect: { status: [[200, 200]] } }, options));
      assertOk(await probes.run({ type: 'tcp', host: '127.0.0.1', port: tcp.port }, options));
      assertOk(await probes.run({ type: 'dns', name: 'a.test', recordType: 'A', resolver: { host: dns.host, port: dns.port }, expect: {} }, options));
      assertFailure(await probes.run({ type: 'tls', host: '127.0.0.1', port: await closedPort(), expect: {} }, options), 'connect_refused');
    } finally {
      await Promise.all([http.close(), tcp.close(), dns.close()]);
    }
  });

  it('turns an exception inside a probe into an internal outcome', async () => {
    const probes = createProbes({}, {
      tcp: {
        type: 'tcp',
        run: async (_spec: TcpProbeSpec) => {
          throw new TypeError('cannot read properties of undefined');
        },
      },
    });
    const outcome = await probes.run({ type: 'tcp', host: '127.0.0.1', port: 1 }, { timeoutMs: 100 });
    assertFailure(outcome, 'internal', 'TypeError: cannot read properties of undefined');
    assert.ok(outcome.phases.total >= 0);
  });

  it('an unknown spec type is internal, not a crash', async () => {
    const outcome = await createProbes().run({ type: 'ftp' } as never, { timeoutMs: 100 });
    assertFailure(outcome, 'internal', 'no probe for type "ftp"');
  });

  it('only stable kinds come out', () => {
    assert.ok(ERROR_KINDS.includes('internal'));
  });
});
