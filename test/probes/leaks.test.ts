import { it } from 'node:test';
import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { createProbes } from '../../src/probes/registry.js';
import { startDnsServer } from '../support/dns-server.js';
import { startTcpServer } from '../support/loopback-servers.js';

// Alone in its file so no other test's handles come and go while counting.
it('leaves no sockets or timers behind, even after timeouts', async () => {
  const count = (): Record<string, number> => {
    const counts: Record<string, number> = {};
    for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
    return counts;
  };
  await new Promise((resolve) => setTimeout(resolve, 10));
  const before = count();
  const silent = await startTcpServer((socket) => socket.resume());
  const dns = await startDnsServer({ 'quiet.test': { silent: true } });
  const probes = createProbes();
  const options = { timeoutMs: 150 };
  const outcomes = await Promise.all([
    probes.run({ type: 'http', url: `http://127.0.0.1:${silent.port}/`, method: 'GET', headers: {}, maxRedirects: 0, verifyTls: true, maxBodyBytes: 1024, keepHeaders: [], expect: { status: [[200, 200]] } }, options),
    probes.run({ type: 'http', url: `https://127.0.0.1:${silent.port}/`, method: 'GET', headers: {}, maxRedirects: 0, verifyTls: true, maxBodyBytes: 1024, keepHeaders: [], expect: { status: [[200, 200]] } }, options),
    probes.run({ type: 'tcp', host: '127.0.0.1', port: silent.port, expectBanner: 'x' }, options),
    probes.run({ type: 'tls', host: '127.0.0.1', port: silent.port, expect: {} }, options),
    probes.run({ type: 'dns', name: 'quiet.test', recordType: 'A', resolver: { host: dns.host, port: dns.port }, expect: {} }, options),
  ]);
  assert.deepEqual(outcomes.map((outcome) => outcome.error?.kind), ['timeout', 'timeout', 'timeout', 'timeout', 'dns_timeout']);
  await Promise.all([silent.close(), dns.close()]);
  // Closed handles leave the list a few ticks later; wait for that, bounded.
  for (let attempt = 0; attempt < 50 && !isDeepStrictEqual(count(), before); attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  assert.deepEqual(count(), before);
});

