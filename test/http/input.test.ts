// Input checks at the HTTP edge, on every storage engine: malformed ids and cursors (a NUL byte
// among them, which PostgreSQL refuses with an error) are 400 problems before any query; dates
// that do not exist are 400; a known path asked with another method is 405; every error response,
// HTML or JSON, carries the pages' security headers.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { parseConfig } from '../../src/config/load.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import type { Store } from '../../src/storage/store.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';
import { batch, HOUR, incident, result, T0 } from '../storage/fixtures.js';

const CONFIG = `
monitors:
  - { id: shop, name: Shop, type: http, url: "http://127.0.0.1:9/" }
`;

const NUL = '%00';

const engines: { name: string; open?: () => Promise<{ store: Store; cleanup(): Promise<void> }> }[] = [{ name: 'SQLite' }];
const databaseUrl = process.env.CANDOR_TEST_DATABASE_URL;
if (databaseUrl) {
  engines.push({
    name: 'PostgreSQL',
    async open() {
      const schema = `candor_input_${process.pid}_${randomBytes(4).toString('hex')}`;
      const store = await openPostgresStore(databaseUrl, { schema });
      return {
        store,
        async cleanup() {
          await store.close();
          const client = new pg.Client({ connectionString: databaseUrl });
          await client.connect();
          await client.query(`drop schema if exists "${schema}" cascade`);
          await client.end();
        },
      };
    },
  });
}

for (const engine of engines) {
  describe(`HTTP input checks (${engine.name})`, () => {
    let server: SeededServer;
    let app: FastifyInstance;

    before(async () => {
      server = await startSeededServer({
        config: parseConfig(CONFIG, 'candor.yaml', {}),
        now: () => T0 + HOUR,
        seed: [batch({ results: [result('01KB3Q4T0M2YB8K6X1Z7N9P5QR', { monitorId: 'shop', startedAt: T0, plannedAt: T0 })], incidentsOpened: [incident('01KB3Q4T0M2YB8K6X1Z7N9P5QS', T0, { monitorIds: ['shop'] })] })],
        ...(engine.open ? { openStore: engine.open } : {}),
      });
      app = server.app;
    });
    after(async () => server.close());

    const badRequests = [
      `/api/v1/monitors/shop${NUL}`,
      `/api/v1/monitors/sh${NUL}op/results`,
      `/api/v1/monitors/shop/results?before=${NUL}`,
      `/api/v1/monitors/shop/results?before=01KB3Q4T0M2YB8K6X1Z7N9P5QR${NUL}`,
      "/api/v1/monitors/shop/results?before=x'%20or%201=1",
      `/api/v1/incidents/01KB3Q4T0M2YB8K6X1Z7N9P5QS${NUL}`,
      `/api/v1/incidents?before=${NUL}`,
      `/api/v1/incidents?monitor=shop${NUL}`,
      `/api/v1/monitors/shop/uptime?window=24h&x=${NUL}`,
      `/badge/shop${NUL}/status.svg`,
      '/api/v1/monitors/shop/results?from=2026-02-30',
      '/api/v1/monitors/shop/results?to=2026-04-31T10:00:00Z',
      '/api/v1/monitors/shop/results?from=2026-01-01T24:30:00Z',
    ];
    for (const url of badRequests) {
      it(`GET ${url} is a 400 problem`, async () => {
        const response = await app.inject({ method: 'GET', url });
        assert.equal(response.statusCode, 400, response.body);
        assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
        assert.equal(response.json().code, 'bad_request');
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
      });
    }

    for (const url of [`/incidents/i${NUL}`, `/monitors/shop${NUL}`, `/history?before=${NUL}`, `/s/main${NUL}/history`]) {
      it(`a person asking for ${url} gets a 400 page with the security headers`, async () => {
        const response = await app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });
        assert.equal(response.statusCode, 400, response.body);
        assert.match(response.headers['content-type'] as string, /^text\/html/);
        assert.match(response.body, /Bad request/);
        assert.doesNotMatch(response.body, /\n\s+at /, 'no stack trace');
        assert.match(response.headers['content-security-policy'] as string, /default-src 'none'/);
        assert.equal(response.headers['referrer-policy'], 'strict-origin-when-cross-origin');
      });
    }

    it('valid ids and cursors still answer', async () => {
      assert.equal((await app.inject('/api/v1/monitors/shop/results?before=01KB3Q4T0M2YB8K6X1Z7N9P5QR')).statusCode, 200);
      assert.equal((await app.inject('/api/v1/monitors/shop/results?from=2024-02-29')).statusCode, 200);
      assert.equal((await app.inject('/api/v1/incidents/01KB3Q4T0M2YB8K6X1Z7N9P5QS')).statusCode, 200);
      assert.equal((await app.inject('/api/v1/incidents/01KB3Q4T0M2YB8K6X1Z7N9P5QT')).statusCode, 404);
    });

    for (const [method, url, allow] of [
      ['POST', '/api/v1/monitors', 'GET, HEAD'],
      ['DELETE', '/api/v1/monitors/shop', 'GET, HEAD'],
      ['PUT', '/healthz', 'GET, HEAD'],
      ['POST', '/', 'GET, HEAD'],
      ['PATCH', '/s/main/feed.atom', 'GET, HEAD'],
    ] as const) {
      it(`${method} ${url} is a 405 with Allow: ${allow}`, async () => {
        const response = await app.inject({ method, url });
        assert.equal(response.statusCode, 405, response.body);
        assert.equal(response.headers['allow'], allow);
        assert.equal(response.json().code, 'method_not_allowed');
        assert.equal(response.headers['x-content-type-options'], 'nosniff');
      });
    }

    it('an unknown path is still a 404, with the security headers, as JSON and as a page', async () => {
      const json = await app.inject('/api/v1/nothing');
      assert.equal(json.statusCode, 404);
      assert.match(json.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
      const page = await app.inject({ url: '/nothing', headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 404);
      assert.match(page.headers['content-security-policy'] as string, /frame-ancestors 'none'/);
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      const malformed = await app.inject('/api/v1/incidents/%E0%A4%A');
      assert.equal(malformed.statusCode, 400);
      assert.equal(malformed.headers['x-content-type-options'], 'nosniff');
    });
  });
}
