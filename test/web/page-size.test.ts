import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../../src/domain/state.js';
import type { CheckResult } from '../../src/domain/verdict.js';
import { DAY, HOUR, MINUTE, NOW, TODAY, batch, result, startPageServer, upState, type PageServer } from './support.js';

const MONITORS = 100;
const BUDGET_BYTES = 100 * 1024;

/** 100 monitors in ten components with 90 days of daily history, a bad day every so often, an incident per ten monitors. */
function seed() {
  const results: CheckResult[] = [];
  const incidents: Incident[] = [];
  for (let m = 0; m < MONITORS; m++) {
    const id = `service-${m}`;
    for (let day = 89; day >= 1; day--) {
      const start = TODAY - day * DAY;
      results.push(result(id, start + 6 * HOUR, { latencyMs: 40 + m }), result(id, start + 18 * HOUR, { latencyMs: 60 + m, ok: (m + day) % 13 !== 0 }));
    }
    for (let at = NOW - DAY; at < NOW; at += HOUR) results.push(result(id, at, { latencyMs: 50 + ((at / HOUR) % 9) * 20 }));
    if (m % 10 === 0) {
      const startedAt = TODAY - ((m % 60) + 2) * DAY + 3 * HOUR;
      incidents.push({ id: `inc-${m}`, title: `Service ${m} is down`, state: 'resolved', monitorIds: [id], startedAt, resolvedAt: startedAt + 47 * MINUTE, timeline: [] });
    }
  }
  return [batch({ results, incidentsOpened: incidents })];
}

describe('page weight', () => {
  let server: PageServer;
  before(async () => {
    const monitors = Array.from({ length: MONITORS }, (_, m) => `  - { id: service-${m}, name: "Service number ${m}", type: tcp, host: localhost, port: ${m + 1}, component: "Group ${m % 10}" }`);
    server = await startPageServer({
      configYaml: `title: Weight\nmonitors:\n${monitors.join('\n')}\n`,
      seed: seed(),
      states: Array.from({ length: MONITORS }, (_, m) => upState(`service-${m}`)),
    });
  });
  after(() => server.close());

  it(`/ with ${MONITORS} monitors and 90 days of history is at most 100 KB compressed (HTML + CSS + JS)`, async () => {
    const page = await server.get('/', { 'accept-encoding': 'gzip' });
    assert.equal(page.statusCode, 200);
    assert.equal(page.headers['content-encoding'], 'gzip');
    assert.equal(page.body.length > 0, true);
    const plain = await server.get('/');
    assert.equal(plain.body.match(/<div class="bars" role="img"/g)?.length, MONITORS);
    const assetPaths = [...plain.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string);
    assert.equal(assetPaths.length, 2);
    let total = page.rawPayload.length;
    for (const path of assetPaths) {
      const asset = await server.get(path, { 'accept-encoding': 'gzip' });
      assert.equal(asset.headers['content-encoding'], 'gzip');
      total += asset.rawPayload.length;
    }
    assert.ok(total <= BUDGET_BYTES, `${total} bytes compressed`);
  });
});
