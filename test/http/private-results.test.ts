// `api.publicResults: false` keeps raw results and result details private; excerpts are public only
// for monitors that say `public: { excerpt: true }`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';
import { batch, HOUR, result, T0 } from '../storage/fixtures.js';

const failing = (id: string, monitorId: string) =>
  result(id, {
    monitorId,
    ok: false,
    error: { kind: 'http_status', message: 'expected status 200-399, got 503' },
    details: { type: 'http', status: 503, headers: { server: 'nginx' }, bodyExcerpt: 'upstream said: internal account 12345 locked' },
  });

async function serve(yamlText: string): Promise<SeededServer> {
  return startSeededServer({
    config: parseConfig(yamlText, 'candor.yaml', {}),
    now: () => T0 + HOUR,
    seed: [batch({ results: [failing('01KB3Q4T0M2YB8K6X1Z7N9P5QA', 'shop'), failing('01KB3Q4T0M2YB8K6X1Z7N9P5QB', 'open')] })],
  });
}

const MONITORS = `
  - { id: shop, type: http, url: "http://127.0.0.1:9/" }
  - { id: open, type: http, url: "http://127.0.0.1:9/", public: { excerpt: true } }
`;

describe('results and excerpts, public by default', () => {
  let server: SeededServer;
  before(async () => (server = await serve(`monitors:${MONITORS}`)));
  after(async () => server.close());

  it('serves results, with the excerpt only for a monitor that makes it public', async () => {
    const shop = (await server.app.inject('/api/v1/monitors/shop/results')).json();
    assert.deepEqual(shop.results[0].details, { type: 'http', status: 503, headers: { server: 'nginx' } });
    const open = (await server.app.inject('/api/v1/monitors/open/results')).json();
    assert.equal(open.results[0].details.bodyExcerpt, 'upstream said: internal account 12345 locked');
    const page = await server.app.inject('/monitors/shop');
    assert.doesNotMatch(page.body, /account 12345/);
  });
});

describe('api.publicResults: false', () => {
  let server: SeededServer;
  before(async () => (server = await serve(`api: { publicResults: false }\nmonitors:${MONITORS}`)));
  after(async () => server.close());

  it('refuses the raw results with a 403 problem', async () => {
    const response = await server.app.inject('/api/v1/monitors/open/results');
    assert.equal(response.statusCode, 403);
    assert.equal(response.json().code, 'results_private');
  });

  it('shows the verdict of the last result but not its details', async () => {
    const monitor = (await server.app.inject('/api/v1/monitors/open')).json();
    assert.equal(monitor.lastResult.ok, false);
    assert.equal(monitor.lastResult.error.kind, 'http_status');
    assert.deepEqual(monitor.lastResult.details, { type: 'http' }, 'only which probe it was');
  });
});
