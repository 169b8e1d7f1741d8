// The read API v1 over a real SQLite store seeded with history.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import type { MonitorState } from '../../src/domain/state.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';
import { batch, DAY, entry, HOUR, id, incident, MINUTE, result, state, T0, idOf } from '../storage/fixtures.js';

const CONFIG = `
title: API test
monitors:
  - { id: shop, name: Shop, type: http, url: "http://127.0.0.1:9/", component: Store }
  - { id: dns-check, name: DNS, type: dns, query: example.test, resolver: "127.0.0.1:5353" }
`;

describe('read API v1', () => {
  let server: SeededServer;
  let app: FastifyInstance;
  const now = T0 + 2 * HOUR;
  const states = new Map<string, MonitorState>([['shop', state('shop', { status: 'down', since: T0 + 30 * MINUTE, openIncidentId: 'inc-2' })]]);

  before(async () => {
    // 90 checks one minute apart: the first 30 pass, the rest fail.
    const results = Array.from({ length: 90 }, (_, i) =>
      result(id('r', i), {
        monitorId: 'shop',
        startedAt: T0 + i * MINUTE,
        plannedAt: T0 + i * MINUTE,
        ok: i < 30,
        ...(i < 30 ? {} : { error: { kind: 'http_status' as const, message: 'expected status 200-399, got 503' } }),
        peerAddress: '127.0.0.1',
      }),
    );
    const seed = batch({
      results,
      states: [...states.values()],
      incidentsOpened: [
        incident('inc-1', T0 - DAY, { monitorIds: ['shop'], state: 'resolved', resolvedAt: T0 - DAY + 10 * MINUTE, timeline: [entry('e1', 'inc-1', T0 - DAY)] }),
        incident('inc-2', T0 + 30 * MINUTE, { monitorIds: ['shop'], timeline: [entry('e2', 'inc-2', T0 + 30 * MINUTE), entry('e3', 'inc-2', T0 + 32 * MINUTE)] }),
      ],
    });
    server = await startSeededServer({ config: parseConfig(CONFIG, 'candor.yaml', {}), now: () => now, seed: [seed], states: [...states.values()] });
    app = server.app;
  });

  after(() => server.close());

  const get = (url: string) => app.inject({ method: 'GET', url });

  it('GET /healthz', async () => {
    const response = await get('/healthz');
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { status: 'ok', vantage: 'ok', storage: 'ok' });
  });

  it('lists monitors with state, since and the last result (phases and peer IP)', async () => {
    const { monitors } = (await get('/api/v1/monitors')).json();
    assert.deepEqual(
      monitors.map((m: { id: string; state: string }) => [m.id, m.state]),
      [
        ['shop', 'down'],
        ['dns-check', 'pending'],
      ],
    );
    const shop = monitors[0];
    assert.equal(shop.component, 'Store');
    assert.equal(shop.type, 'http');
    assert.equal(shop.since, new Date(T0 + 30 * MINUTE).toISOString());
    assert.equal(shop.lastResult.id, idOf('shop', T0 + 89 * MINUTE));
    assert.equal(shop.lastResult.peerAddress, '127.0.0.1');
    assert.deepEqual(shop.lastResult.error, { kind: 'http_status', message: 'expected status 200-399, got 503' });
    assert.deepEqual(shop.lastResult.phases, { total: 42 });
    assert.equal(monitors[1].lastResult, null);
  });

  it('GET /api/v1/monitors/:id and 404 problem+json for an unknown id', async () => {
    assert.equal((await get('/api/v1/monitors/shop')).json().name, 'Shop');
    const missing = await get('/api/v1/monitors/nope');
    assert.equal(missing.statusCode, 404);
    assert.match(missing.headers['content-type'] as string, /^application\/problem\+json/);
    assert.equal(missing.json().code, 'not_found');
    assert.equal(missing.json().status, 404);
  });

  it('pages results newest first with limit and before, and filters by time', async () => {
    const first = (await get('/api/v1/monitors/shop/results?limit=10')).json();
    assert.equal(first.results.length, 10);
    assert.equal(first.results[0].id, idOf('shop', T0 + 89 * MINUTE));
    assert.equal(first.nextBefore, idOf('shop', T0 + 80 * MINUTE));
    const second = (await get(`/api/v1/monitors/shop/results?limit=10&before=${first.nextBefore}`)).json();
    assert.equal(second.results[0].id, idOf('shop', T0 + 79 * MINUTE));
    const from = new Date(T0 + 85 * MINUTE).toISOString();
    const windowed = (await get(`/api/v1/monitors/shop/results?from=${from}&to=${T0 + 88 * MINUTE}`)).json();
    assert.deepEqual(windowed.results.map((r: { id: string }) => r.id), [87, 86, 85].map((i) => idOf('shop', T0 + i * MINUTE)));
    assert.equal(windowed.nextBefore, null);
  });

  it('filters results by vantage and refuses a cursor that is no result id', async () => {
    assert.equal((await get('/api/v1/monitors/shop/results?limit=1000&vantage=local')).json().results.length, 90);
    assert.deepEqual((await get('/api/v1/monitors/shop/results?vantage=agent-b')).json().results, []);
    const badVantage = await get('/api/v1/monitors/shop/results?vantage=a%00b');
    assert.equal(badVantage.statusCode, 400);
    const badCursor = await get('/api/v1/monitors/shop/results?before=not-a-result');
    assert.equal(badCursor.statusCode, 400);
    assert.equal(badCursor.json().code, 'bad_request');
  });

  it('computes uptime from rollups and downtime from incidents', async () => {
    const uptime = (await get('/api/v1/monitors/shop/uptime?window=24h')).json();
    assert.equal(uptime.window, '24h');
    assert.equal(uptime.checks, 90);
    assert.equal(uptime.okChecks, 30);
    assert.equal(uptime.uptime, 30 / 90);
    // inc-2 open since T0+30m, now is T0+2h: 90 minutes.
    assert.equal(uptime.downtimeSeconds, 90 * 60);
    const week = (await get('/api/v1/monitors/shop/uptime?window=7d')).json();
    assert.equal(week.downtimeSeconds, 90 * 60 + 10 * 60);
    const none = (await get('/api/v1/monitors/dns-check/uptime?window=90d')).json();
    assert.equal(none.uptime, null);
    assert.equal(none.checks, 0);
  });

  const badRequests = [
    '/api/v1/monitors/shop/results?limit=abc',
    '/api/v1/monitors/shop/results?limit=0',
    '/api/v1/monitors/shop/results?limit=100000',
    '/api/v1/monitors/shop/results?from=yesterday',
    '/api/v1/monitors/shop/results?to=2026-13-45T99:00:00Z',
    '/api/v1/monitors/shop/results?from=99999999999999999999',
    '/api/v1/monitors/shop/results?bogus=1',
    '/api/v1/monitors/shop/uptime?window=1y',
    '/api/v1/incidents?state=closed',
    '/api/v1/incidents?limit=-1',
  ];
  for (const url of badRequests) {
    it(`400 problem+json, never 500: ${url}`, async () => {
      const response = await get(url);
      assert.equal(response.statusCode, 400, response.body);
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      const body = response.json();
      assert.equal(body.code, 'bad_request');
      assert.ok(body.detail.length > 0);
    });
  }

  it('lists incidents newest first, filtered by state, with timelines', async () => {
    const all = (await get('/api/v1/incidents')).json();
    assert.deepEqual(all.incidents.map((i: { id: string }) => i.id), ['inc-2', 'inc-1']);
    assert.equal(all.incidents[0].resolvedAt, null);
    assert.equal(all.incidents[0].timeline.length, 2);
    assert.equal(all.incidents[1].durationSeconds, 600);
    const open = (await get('/api/v1/incidents?state=open')).json();
    assert.deepEqual(open.incidents.map((i: { id: string }) => i.id), ['inc-2']);
    const resolved = (await get('/api/v1/incidents?state=resolved')).json();
    assert.deepEqual(resolved.incidents.map((i: { id: string }) => i.id), ['inc-1']);
    const paged = (await get('/api/v1/incidents?limit=1')).json();
    assert.equal(paged.nextBefore, 'inc-2');
    const next = (await get(`/api/v1/incidents?limit=1&before=${paged.nextBefore}`)).json();
    assert.deepEqual(next.incidents.map((i: { id: string }) => i.id), ['inc-1']);
  });

  it('GET /api/v1/incidents/:id, and 404 for an unknown one', async () => {
    const one = (await get('/api/v1/incidents/inc-2')).json();
    assert.equal(one.state, 'open');
    assert.deepEqual(one.monitorIds, ['shop']);
    assert.equal((await get('/api/v1/incidents/nope')).statusCode, 404);
  });

  it('serves an OpenAPI 3.1 document that describes every route', async () => {
    const doc = (await get('/openapi.json')).json();
    assert.equal(doc.openapi, '3.1.0');
    for (const path of ['/api/v1/monitors', '/api/v1/monitors/{id}', '/api/v1/monitors/{id}/results', '/api/v1/monitors/{id}/uptime', '/api/v1/incidents', '/api/v1/incidents/{id}', '/healthz', '/metrics']) {
      assert.ok(doc.paths[path], `missing ${path}`);
    }
  });

  it('a malformed URL is a 400 problem, not a framework error', async () => {
    const response = await get('/api/v1/incidents/%E0%A4%A');
    assert.equal(response.statusCode, 400);
    assert.equal(response.json().code, 'bad_request');
  });

  it('an unknown route is a 404 problem', async () => {
    const response = await get('/api/v1/nothing-here');
    assert.equal(response.statusCode, 404);
    assert.equal(response.json().code, 'not_found');
  });

  it('GET /metrics in Prometheus text format', async () => {
    const response = await get('/metrics');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^text\/plain/);
    assert.match(response.body, /candor_monitor_up\{monitor="shop"\} 0/);
  });
});
