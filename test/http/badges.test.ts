// Badge routes over a real SQLite store: state and uptime badges, labels, unknown monitors, bad windows, caching.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { batch, id, MINUTE, result, state, T0 } from '../storage/fixtures.js';
import { findOne, parseXml } from '../support/xml.js';
import { startPublicServer, type PublicServer } from './public-server.js';

const MONITORS = `
  - { id: api, name: API, type: tcp, host: 127.0.0.1, port: 9 }
  - { id: web, name: "Web <script>alert(1)</script>", type: tcp, host: 127.0.0.1, port: 9 }
  - { id: quiet, name: Quiet, type: tcp, host: 127.0.0.1, port: 9 }
`;
const NOW = T0 + 3 * 60 * MINUTE;

/** 200 API checks a minute apart, 1 failing: 99.50% */
const apiResults = Array.from({ length: 200 }, (_, n) =>
  result(id('r', n), { monitorId: 'api', startedAt: T0 + n * MINUTE, plannedAt: T0 + n * MINUTE, ok: n !== 7, ...(n === 7 ? { error: { kind: 'timeout' as const, message: 'timed out' } } : {}) }),
);

const titleOf = (svg: string) => findOne(parseXml(svg), 'title').text;

describe('badge routes', () => {
  let server: PublicServer;
  before(async () => {
    server = await startPublicServer({
      monitorsYaml: MONITORS,
      now: NOW,
      seed: [batch({ results: apiResults })],
      states: [state('api', { status: 'up' }), state('web', { status: 'down' })],
    });
  });
  after(() => server.close());

  it('status.svg: the monitor name and its state, as SVG, briefly cacheable, with an ETag', async () => {
    const response = await server.get('/badge/api/status.svg');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^image\/svg\+xml/);
    assert.equal(response.headers['cache-control'], 'public, max-age=60');
    assert.equal(titleOf(response.body), 'API: up');
    const etag = response.headers.etag as string;
    assert.equal((await server.get('/badge/api/status.svg', { 'if-none-match': etag })).statusCode, 304);
  });

  const statusCases: [string, string][] = [
    ['/badge/web/status.svg', 'Web <script>alert(1)</script>: down'],
    ['/badge/quiet/status.svg', 'Quiet: unknown'],
    ['/badge/api/status.svg?label=shop%20%3Cb%3E', 'shop <b>: up'],
    ['/badge/api/status.svg?style=flat-square', 'API: up'],
  ];
  for (const [url, title] of statusCases) {
    it(`${url} says "${title}"`, async () => {
      const response = await server.get(url);
      assert.equal(response.statusCode, 200);
      assert.doesNotMatch(response.body, /<script|<b>/);
      assert.equal(titleOf(response.body), title);
    });
  }

  const uptimeCases: [string, string][] = [
    ['/badge/api/uptime.svg', 'API 30d: 99.50%'],
    ['/badge/api/uptime.svg?window=24h', 'API 24h: 99.50%'],
    ['/badge/api/uptime.svg?window=90d&label=uptime', 'uptime: 99.50%'],
    ['/badge/quiet/uptime.svg?window=7d', 'Quiet 7d: no data'],
  ];
  for (const [url, title] of uptimeCases) {
    it(`${url} says "${title}"`, async () => {
      const response = await server.get(url);
      assert.equal(response.statusCode, 200);
      assert.match(response.headers['content-type'] as string, /^image\/svg\+xml/);
      assert.equal(titleOf(response.body), title);
    });
  }

  it('an unknown monitor gets a grey "not found" badge with status 404', async () => {
    for (const url of ['/badge/nope/status.svg', '/badge/nope/uptime.svg']) {
      const response = await server.get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(response.headers['content-type'] as string, /^image\/svg\+xml/);
      assert.equal(titleOf(response.body), 'candor: not found');
    }
  });

  const badRequests = ['/badge/api/uptime.svg?window=1y', '/badge/api/status.svg?style=fancy', '/badge/api/status.svg?colour=red', `/badge/api/status.svg?label=${'x'.repeat(101)}`];
  for (const url of badRequests) {
    it(`${url.slice(0, 60)} is a 400 problem`, async () => {
      const response = await server.get(url);
      assert.equal(response.statusCode, 400);
      assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
      assert.equal(response.json().code, 'bad_request');
    });
  }

  it('is documented in /openapi.json', async () => {
    const { paths } = (await server.get('/openapi.json')).json();
    assert.ok(paths['/badge/{monitorId}/status.svg'].get.responses['200'].content['image/svg+xml']);
    assert.ok(paths['/badge/{monitorId}/uptime.svg'].get.responses['400']);
  });
});
