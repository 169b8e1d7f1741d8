// The declared poller following a reload (or an API write) on fake time, against a loopback status
// page: a new source is polled at once, a removed one stops, and a changed interval reschedules only
// that source; what was recorded stays in the declared ledger.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { DeclaredPoller } from '../../src/declared/poller.js';
import type { DeclaredSource } from '../../src/declared/sources.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { eventually } from '../support/candor-process.js';
import { FakeTime } from '../support/fake-time.js';
import { startStatusPageServer, type StatusPageServer } from '../support/status-page-server.js';

const T0 = Date.UTC(2026, 2, 1, 12);

describe('declared poller: sources changed at run time (fake time, loopback page)', { timeout: 30_000 }, () => {
  let platform: StatusPageServer;
  let store: Store;
  let dir: string;
  before(async () => {
    platform = await startStatusPageServer({ indicator: 'none', components: [], incidents: [], updatedAt: T0 });
    dir = mkdtempSync(join(tmpdir(), 'candor-declared-sources-'));
    store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    await platform.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const source = (id: string, path: string, intervalMs: number, type: DeclaredSource['type'] = 'statuspage'): DeclaredSource => ({
    id,
    type,
    url: `${platform.url}${path}`,
    intervalMs,
    scopes: [''],
    monitors: [{ monitorId: `m-${id}`, scope: '' }],
  });
  const polls = (path: string) => platform.requests.filter((r) => r.path === path).length;
  /** Waits (bounded) for a poll's request, then a moment for its recording and rescheduling to finish. */
  const polled = async (path: string, count: number) => {
    await eventually(`${path} polled ${count} time(s)`, async () => (polls(path) >= count ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 200));
  };

  it('adds, removes and reschedules only the sources that changed', async () => {
    const time = new FakeTime(T0);
    const summary = '/api/v2/summary.json';
    const feed = '/history.atom';
    const poller = new DeclaredPoller({ store, clock: time, timers: time, log: pino({ level: 'silent' }), sources: [source('page', summary, 60_000)], limits: DeclaredPoller.limits('Candor/test') });
    poller.start();
    await time.advance(0);
    await polled(summary, 1);
    const pageBefore = polls(summary);

    const outcome = poller.setSources([source('page', summary, 10_000), source('feed', feed, 60_000, 'feed')]);
    assert.deepEqual(outcome, { added: ['feed'], removed: [], rescheduled: ['page'] });
    await time.advance(0);
    await polled(feed, 1);
    const feedBefore = polls(feed);

    // 10 s on: the page (now every 10 s) is polled again; the feed (every 60 s) is not.
    await time.advance(10_000);
    await polled(summary, pageBefore + 1);
    assert.equal(polls(feed), feedBefore, 'the unchanged source keeps its own schedule');

    // The page removed: its timer is gone, nothing more is asked of it.
    assert.deepEqual(poller.setSources([source('feed', feed, 60_000, 'feed')]), { added: [], removed: ['page'], rescheduled: [] });
    const pageAfter = polls(summary);
    await time.advance(30_000);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(polls(summary), pageAfter);
    // What the removed source recorded stays in the declared ledger.
    const recorded = await store.declared.sources();
    assert.deepEqual(recorded.map((s) => s.sourceId).sort(), ['feed', 'page']);
    await poller.stop();
  });
});
