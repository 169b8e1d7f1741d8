// The home page keeps each monitor's markup while its summary is the same, and reads finished days
// again when a late result lands in one: a page rebuilt after new results shows them, and only them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HOME_CACHE_TTL_MS } from '../../src/http/routes/pages.js';
import { DAY, HOUR, NOW, TODAY, batch, passing, result, startPageServer, upState, type PageServer } from './support.js';

/** Each monitor's item on the page, by monitor id. */
function items(body: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const item of body.split('<li class="mon">').slice(1)) {
    const id = /href="[^"]*\/monitors\/([^"]+)"/.exec(item)?.[1];
    if (id) found.set(id, item.slice(0, item.indexOf('</li>')));
  }
  return found;
}

describe('home page markup after new results', () => {
  let server: PageServer;
  before(async () => {
    server = await startPageServer({
      configYaml: 'title: Markup\nmonitors:\n  - { id: a, name: A, type: tcp, host: localhost, port: 1, component: Group }\n  - { id: b, name: B, type: tcp, host: localhost, port: 2, component: Group }\n',
      seed: [batch({ results: [...passing('a', NOW - 3 * DAY, NOW, HOUR), ...passing('b', NOW - 3 * DAY, NOW, HOUR)] })],
      states: [upState('a'), upState('b')],
    });
  });
  after(() => server.close());

  const page = async () => items((await server.get('/')).body);

  it('a monitor with new results is drawn again; the others are as they were', async () => {
    const first = await page();
    assert.deepEqual([...first.keys()], ['a', 'b']);
    assert.match(first.get('a')!, /24 hours <b>100%<\/b>/);
    await server.store.commit(batch({ results: [1, 2, 3].map((n) => result('a', NOW + n * 1000, { ok: false, error: { kind: 'timeout', message: 'no answer' } })) }));
    server.clock.now = NOW + HOME_CACHE_TTL_MS + 5_000;
    const second = await page();
    assert.doesNotMatch(second.get('a')!, /24 hours <b>100%<\/b>/, 'the failed checks count');
    assert.equal(second.get('b'), first.get('b'));
  });

  it("a late result for a finished day shows in that day's bar at once", async () => {
    const before = await page();
    assert.match(before.get('b')!, /title="9 Mar 2026: 100% uptime"/);
    const yesterday = TODAY - DAY + 12 * HOUR + 30 * 60_000;
    await server.store.commit(batch({ results: [result('b', yesterday, { ok: false, error: { kind: 'timeout', message: 'no answer' } })] }));
    server.clock.now += HOME_CACHE_TTL_MS + 1;
    const after = await page();
    assert.match(after.get('b')!, /title="9 Mar 2026: 96\.00% uptime"/, "yesterday's bar counts the late failure (24 passed, 1 failed)");
  });
});
