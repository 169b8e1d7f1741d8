// The declared API in process: shapes before and after polls, errors as problem+json, OpenAPI entries.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { declaredSourceId } from '../../src/domain/declared.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const URL_A = 'https://status.a.example/api/v2/summary.json';
const config = parseConfig(
  `monitors:
  - { id: a-api, type: tcp, host: 127.0.0.1, port: 9, declared: { type: statuspage, url: "${URL_A}", component: API } }
  - { id: a-web, type: tcp, host: 127.0.0.1, port: 9, declared: { type: statuspage, url: "${URL_A}" } }
  - { id: plain, type: tcp, host: 127.0.0.1, port: 9 }
`,
  'candor.yaml',
  {},
);

describe('declared API', () => {
  let server: SeededServer;
  before(async () => {
    server = await startSeededServer({ config, now: () => NOW });
  });
  after(async () => server.close());

  it('lists one source for two monitors, "unknown" before its first poll (never operational)', async () => {
    const response = await server.app.inject({ method: 'GET', url: '/api/v1/declared' });
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.equal(body.sources.length, 1);
    const [source] = body.sources;
    assert.equal(source.id, declaredSourceId('statuspage', URL_A));
    assert.deepEqual(source.monitors, [{ monitorId: 'a-api', component: 'API' }, { monitorId: 'a-web', component: null }]);
    assert.equal(source.overall.status, 'unknown');
    assert.equal(source.lastPoll, null);
    assert.deepEqual(source.components.map((c: { name: string; status: string }) => [c.name, c.status]), [['API', 'unknown']]);
  });

  it('shows a failed poll as unavailable with its reason', async () => {
    const sourceId = declaredSourceId('statuspage', URL_A);
    await server.store.transact((tx) =>
      tx.declared.record({
        sourceId,
        at: NOW - 60_000,
        statuses: ['', 'API'].map((scope) => ({ scope, status: 'unavailable' as const, reason: 'timeout: no complete answer within 10000 ms' })),
        incidents: [],
        failure: { kind: 'timeout', message: 'no complete answer within 10000 ms' },
      }),
    );
    const body = (await server.app.inject({ method: 'GET', url: '/api/v1/declared' })).json();
    assert.equal(body.sources[0].overall.status, 'unavailable');
    assert.match(body.sources[0].overall.reason, /^timeout/);
    assert.deepEqual(body.sources[0].lastPoll, { at: new Date(NOW - 60_000).toISOString(), ok: false, failure: { kind: 'timeout', message: 'no complete answer within 10000 ms' } });
    const history = (await server.app.inject({ method: 'GET', url: '/api/v1/monitors/a-api/declared/history' })).json();
    assert.equal(history.component, 'API');
    assert.deepEqual(history.statuses.map((s: { status: string }) => s.status), ['unavailable']);
  });

  it('answers problem+json for a monitor without a source, an unknown monitor and a bad range', async () => {
    for (const [url, status] of [
      ['/api/v1/monitors/plain/declared/history', 404],
      ['/api/v1/monitors/nope/declared/history', 404],
      ['/api/v1/monitors/a-api/declared/history?from=yesterday', 400],
      ['/api/v1/monitors/a-api/declared/history?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z', 400],
      ['/api/v1/monitors/a-api/declared/history?from=2020-01-01T00:00:00Z&to=2026-03-01T00:00:00Z', 400],
      ['/api/v1/monitors/a-api/declared/history?what=1', 400],
    ] as const) {
      const response = await server.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, status, url);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/, url);
      assert.ok(response.json().code, url);
    }
  });

  it('publishes the three routes in /openapi.json', async () => {
    const spec = (await server.app.inject({ method: 'GET', url: '/openapi.json' })).json();
    for (const path of ['/api/v1/declared', '/api/v1/monitors/{id}/declared/history', '/api/v1/transparency']) assert.ok(spec.paths[path]?.get, path);
  });

  it('computes the transparency report with the method version and both windows', async () => {
    const body = (await server.app.inject({ method: 'GET', url: '/api/v1/transparency' })).json();
    assert.equal(body.method.version, 'candor-transparency/1');
    assert.deepEqual(body.platforms[0].windows.map((w: { windowDays: number; outages: number }) => [w.windowDays, w.outages]), [[30, 0], [90, 0]]);
  });
});
