import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PastDaysCache, PAST_DAYS_TTL_MS } from '../../src/read/past-days.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { batch, DAY, HOUR, result, T0 } from '../storage/fixtures.js';

describe('PastDaysCache', () => {
  let dir: string;
  let store: Store;
  let now = T0 + 2 * HOUR;
  const clock = { now: () => now };
  const today = T0 - (T0 % DAY);
  let n = 0;
  const check = (startedAt: number) => result(`r${String(n++).padStart(4, '0')}`, { monitorId: 'm1', startedAt, plannedAt: startedAt });

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-pastdays-'));
    store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
    await store.commit(batch({ results: [check(today - DAY + HOUR), check(today + HOUR)] }));
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const counts = (rollups: { bucketStart: number; count: number }[]) => rollups.map((r) => [r.bucketStart, r.count]);

  it('reads past days once and today live', async () => {
    const cache = new PastDaysCache(store, clock);
    assert.deepEqual(counts(await cache.dailyRollups(['m1'], today - 10 * DAY)), [
      [today - DAY, 1],
      [today, 1],
    ]);
    await store.commit(batch({ results: [check(today + 2 * HOUR), check(today - DAY + 2 * HOUR)] }));
    assert.deepEqual(counts(await cache.dailyRollups(['m1'], today - 10 * DAY)), [
      [today - DAY, 1],
      [today, 2],
    ], 'today is live, yesterday is cached');
    now += PAST_DAYS_TTL_MS + 1;
    assert.deepEqual(counts(await cache.dailyRollups(['m1'], today - 10 * DAY)), [
      [today - DAY, 2],
      [today, 2],
    ], 'a late result for yesterday shows once the cache is stale');
  });

  it('a new UTC day moves yesterday into the cached part', async () => {
    const cache = new PastDaysCache(store, clock);
    await cache.dailyRollups(['m1'], today - 10 * DAY);
    now = today + DAY + HOUR;
    await store.commit(batch({ results: [check(today + DAY + 30 * 60_000)] }));
    assert.deepEqual(counts(await cache.dailyRollups(['m1'], today - 10 * DAY)), [
      [today - DAY, 2],
      [today, 2],
      [today + DAY, 1],
    ]);
  });
});
