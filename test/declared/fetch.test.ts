// Bad input from a declared source, on a real loopback server: every case is a failed poll with a
// reason, never a crash and never "operational".
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSourceAgent, fetchSource } from '../../src/declared/fetch.js';
import type { FetchLimits } from '../../src/declared/fetch-limits.js';
import { DeclaredPoller } from '../../src/declared/poller.js';
import { declaredSources } from '../../src/declared/sources.js';
import { parseConfig } from '../../src/config/load.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { startStatusPageServer, type StatusPageServer } from '../support/status-page-server.js';
import { FakeTime } from '../support/fake-time.js';

const limits: FetchLimits = { timeoutMs: 1500, maxBodyBytes: 64 * 1024, maxRedirects: 2, userAgent: 'Candor/test (+https://candor.invalid)' };
const NOW = Date.UTC(2026, 2, 1, 12);

describe('fetching a declared source', () => {
  let server: StatusPageServer;
  const agent = createSourceAgent();
  before(async () => {
    server = await startStatusPageServer({ indicator: 'none', components: [{ name: 'API', status: 'operational', updatedAt: NOW - 60_000 }], incidents: [], updatedAt: NOW - 60_000 });
  });
  after(async () => {
    await agent.close();
    await server.close();
  });

  it('sends the User-Agent and revalidates with If-None-Match (304)', async () => {
    const first = await fetchSource(agent, 'statuspage', `${server.url}/api/v2/summary.json`, {}, limits);
    assert.equal(first.kind, 'body');
    if (first.kind !== 'body') return;
    assert.ok(first.validators.etag);
    const second = await fetchSource(agent, 'statuspage', `${server.url}/api/v2/summary.json`, first.validators, limits);
    assert.equal(second.kind, 'not_modified');
    assert.equal(server.requests.at(-1)?.conditional, true);
    assert.equal(server.requests.at(-1)?.userAgent, limits.userAgent);
  });

  const cases: { name: string; type?: 'feed'; path: string; handler: Parameters<StatusPageServer['override']>[1]; kind: string }[] = [
    { name: 'a server that never answers', path: '/hang', handler: () => undefined, kind: 'timeout' },
    { name: 'an endless feed', type: 'feed', path: '/endless', handler: (_q, r) => { r.writeHead(200, { 'content-type': 'application/atom+xml' }); const t = setInterval(() => r.write('<entry>'), 50); r.on('close', () => clearInterval(t)); }, kind: 'timeout' },
    { name: 'an endless fast feed', type: 'feed', path: '/endless-fast', handler: (_q, r) => { r.writeHead(200, { 'content-type': 'application/atom+xml' }); const t = setInterval(() => r.write('<entry>'.repeat(1000)), 2); r.on('close', () => clearInterval(t)); }, kind: 'body_too_large' },
    { name: 'a huge body', path: '/huge', handler: (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('[' + '1,'.repeat(100_000) + '1]'), kind: 'body_too_large' },
    { name: 'a huge body announced by Content-Length', path: '/huge-length', handler: (_q, r) => { r.writeHead(200, { 'content-type': 'application/json', 'content-length': String(10 * 1024 * 1024) }); r.write('{'); }, kind: 'body_too_large' },
    { name: 'a redirect to another scheme', path: '/to-file', handler: (_q, r) => r.writeHead(302, { location: 'file:///etc/passwd' }).end(), kind: 'redirect_refused' },
    { name: 'a redirect loop', path: '/loop', handler: (_q, r) => r.writeHead(301, { location: '/loop' }).end(), kind: 'too_many_redirects' },
    { name: 'the wrong content type', path: '/html', handler: (_q, r) => r.writeHead(200, { 'content-type': 'text/html' }).end('<html></html>'), kind: 'wrong_content_type' },
    { name: 'an error status', path: '/503', handler: (_q, r) => r.writeHead(503, { 'content-type': 'application/json' }).end('{}'), kind: 'http_status' },
  ];
  for (const c of cases) {
    it(`fails on ${c.name} (${c.kind})`, async () => {
      server.override(c.path, c.handler);
      const outcome = await fetchSource(agent, c.type ?? 'statuspage', `${server.url}${c.path}`, {}, limits);
      assert.equal(outcome.kind, 'failed');
      if (outcome.kind === 'failed') assert.equal(outcome.failure.kind, c.kind, outcome.failure.message);
    });
  }

  it('follows a redirect to http(s) within the limit', async () => {
    server.override('/moved', (_q, r) => r.writeHead(308, { location: '/api/v2/summary.json' }).end());
    const outcome = await fetchSource(agent, 'statuspage', `${server.url}/moved`, {}, limits);
    assert.equal(outcome.kind, 'body');
  });

  it('a connection refused is connect_failed', async () => {
    const outcome = await fetchSource(agent, 'statuspage', 'http://127.0.0.1:9/summary.json', {}, limits);
    assert.equal(outcome.kind, 'failed');
    if (outcome.kind === 'failed') assert.equal(outcome.failure.kind, 'connect_failed');
  });
});

describe('DeclaredPoller', () => {
  let server: StatusPageServer;
  let dir: string;
  let store: Store;
  before(async () => {
    server = await startStatusPageServer({ indicator: 'none', components: [{ name: 'API', status: 'operational', updatedAt: NOW - 60_000 }], incidents: [], updatedAt: NOW - 60_000 });
    dir = mkdtempSync(join(tmpdir(), 'candor-declared-'));
    store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records each poll, an unknown component and a failing source as unavailable with the reason, never operational', async () => {
    const config = parseConfig(
      `monitors:\n  - { id: api, type: tcp, host: 127.0.0.1, port: 9, declared: { type: statuspage, url: "${server.url}/api/v2/summary.json", component: API, interval: 1m } }\n  - { id: cdn, type: tcp, host: 127.0.0.1, port: 9, declared: { type: statuspage, url: "${server.url}/api/v2/summary.json", component: CDN } }\n`,
      'candor.yaml',
      {},
    );
    const sources = declaredSources(config.monitors);
    assert.equal(sources.length, 1);
    assert.equal(sources[0]!.intervalMs, 60_000);
    const time = new FakeTime(NOW);
    const poller = new DeclaredPoller({ store, clock: time, timers: time, log: pino({ level: 'silent' }), sources, limits });
    const id = sources[0]!.id;
    await poller.poll(id);
    let latest = await store.declared.latest();
    assert.deepEqual(latest.map((r) => [r.scope, r.status, r.reason?.split(':')[0]]), [
      ['', 'operational', undefined],
      ['API', 'operational', undefined],
      ['CDN', 'unavailable', 'unknown_component'],
    ]);

    server.override('/api/v2/summary.json', (_q, r) => r.writeHead(200, { 'content-type': 'application/json' }).end('{"status": {"indicator": "none"'));
    await time.advance(60_000);
    await poller.poll(id);
    latest = await store.declared.latest();
    assert.deepEqual(latest.map((r) => [r.scope, r.status]), [['', 'unavailable'], ['API', 'unavailable'], ['CDN', 'unavailable']]);
    assert.match(latest[0]!.reason ?? '', /^malformed: not JSON/);
    const [state] = await store.declared.sources();
    assert.equal(state?.failure?.kind, 'malformed');
    assert.equal(state?.lastSuccessAt, NOW);
    await poller.stop();
    server.override('/api/v2/summary.json', undefined);
  });
});
