import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseConfig } from '../../src/config/load.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';

describe('status page when the checker itself is offline', () => {
  let server: SeededServer;
  let impaired = false;
  before(async () => {
    const config = parseConfig('monitors:\n  - { id: web, type: http, url: "https://web.example/" }\n', 'candor.yaml', {});
    server = await startSeededServer({ config, now: () => Date.UTC(2026, 2, 10), vantageImpaired: () => impaired });
  });
  after(() => server.close());

  const get = (url: string) => server.app.inject({ method: 'GET', url, headers: { accept: 'text/html' } });

  it('says so on the page, in /healthz, and changes the live fingerprint so open pages update', async () => {
    const live = async () => (await server.app.inject({ method: 'GET', url: '/s/main/live.json' })).json().fingerprint as string;
    const before = await live();
    assert.doesNotMatch((await get('/')).body, /This checker is offline/);
    impaired = true;
    assert.notEqual(await live(), before);
    const page = (await get('/')).body;
    assert.match(page, /<h2 id="vantage">This checker is offline<\/h2>/);
    assert.deepEqual((await server.app.inject({ method: 'GET', url: '/healthz' })).json(), { status: 'ok', vantage: 'impaired', storage: 'ok' });
  });
});
