import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MonitorState } from '../../src/domain/state.js';
import { LatestResultsCache } from '../../src/read/latest-results.js';
import { HOUR_SETTLE_MS, LIVE_HOURS_TTL_MS, PastDaysCache, PAST_DAYS_TTL_MS } from '../../src/read/past-days.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { batch, DAY, HOUR, result, T0 } from '../storage/fixtures.js';

/** One monitor's rows, as the status page reads them (by monitor): daily ones with today summed from the last 24 hours. */
const daily = async (cache: PastDaysCache, monitorId: string, from: number, now: number) => {
  const hours = await cache.hourlyRollupsByMonitor([monitorId], Math.floor((now - DAY) / HOUR) * HOUR);
  return (await cache.dailyRollupsByMonitor([monitorId], from, hours)).get(monitorId) ?? [];
};
const hourly = async (cache: PastDaysCache, monitorId: string, from: number) => (await cache.hourlyRollupsByMonitor([monitorId], from)).get(monitorId) ?? [];

/** `store`, noting each rollup read in `reads`. */
function countingReads(store: Store, reads: [string, number, number][]): Store {
  return {
    ...store,
    listRollupsForMonitors: (ids, granularity, from, to) => (reads.push([granularity, from, to]), store.listRollupsForMonitors(ids, granularity, from, to)),
    listRollupCountsForMonitors: (ids, granularity, from, to) => (reads.push([granularity, from, to]), store.listRollupCountsForMonitors(ids, granularity, from, to)),
  };
}

/** `store`, noting the monitors of each hourly read that reaches past `hour` (the live hours) in `reads`. */
function noteLiveReads(store: Store, hour: number, reads: string[][]): Store {
  return {
    ...store,
    listRollupsForMonitors: (ids, granularity, from, to) => {
      if (to > hour) reads.push([...ids]);
      return store.listRollupsForMonitors(ids, granularity, from, to);
    },
  };
}

describe('PastDaysCache', () => {
  let dir: string;
  let store: Store;
  /** The rollup reads the caches made through `counted`, as [granularity, from, to]. */
  const reads: [string, number, number][] = [];
  let counted: Store;
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
    counted = countingReads(store, reads);
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const counts = (rollups: readonly { bucketStart: number; count: number }[]) => rollups.map((r) => [r.bucketStart, r.count]);

  it('reads past days once and today live', async () => {
    const cache = new PastDaysCache(counted, clock);
    const pastReads = () => reads.filter(([granularity, , to]) => granularity === 'day' && to === today).length;
    assert.deepEqual(counts(await daily(cache, 'm1', today - 10 * DAY, now)), [
      [today - DAY, 1],
      [today, 1],
    ]);
    assert.equal(pastReads(), 1);
    await store.commit(batch({ results: [check(today + 2 * HOUR)] }));
    assert.deepEqual(counts(await daily(cache, 'm1', today - 10 * DAY, now)), [
      [today - DAY, 1],
      [today, 2],
    ], 'today is live');
    assert.equal(pastReads(), 1, 'a write to today does not drop the kept days');
    await store.commit(batch({ results: [check(today - DAY + 2 * HOUR)] }));
    assert.deepEqual(counts(await daily(cache, 'm1', today - 10 * DAY, now)), [
      [today - DAY, 2],
      [today, 2],
    ], 'a late result for yesterday shows at once');
    assert.equal(pastReads(), 2);
    now += PAST_DAYS_TTL_MS + 1;
    await daily(cache, 'm1', today - 10 * DAY, now);
    assert.equal(pastReads(), 3, 'read again once older than the TTL (what another process wrote shows then)');
  });

  it('a new UTC day moves yesterday into the cached part', async () => {
    const cache = new PastDaysCache(store, clock);
    await daily(cache, 'm1', today - 10 * DAY, now);
    now = today + DAY + HOUR;
    await store.commit(batch({ results: [check(today + DAY + 30 * 60_000)] }));
    assert.deepEqual(counts(await daily(cache, 'm1', today - 10 * DAY, now)), [
      [today - DAY, 2],
      [today, 2],
      [today + DAY, 1],
    ]);
  });

  it('hourly rollups: settled hours cached, the current hour (and the one just ended) live', async () => {
    const hour = T0 - (T0 % HOUR);
    now = hour + 55 * 60_000;
    const probe = (startedAt: number) => result(`h${String(n++).padStart(4, '0')}`, { monitorId: 'm2', startedAt, plannedAt: startedAt });
    await store.commit(batch({ results: [probe(hour - 2 * HOUR), probe(hour)] }));
    const cache = new PastDaysCache(store, clock);
    const hours = async () => counts(await hourly(cache, 'm2', hour - 24 * HOUR));
    assert.deepEqual(await hours(), [
      [hour - 2 * HOUR, 1],
      [hour, 1],
    ]);
    await store.commit(batch({ results: [probe(hour + 60_000)] }));
    assert.deepEqual(await hours(), [
      [hour - 2 * HOUR, 1],
      [hour, 2],
    ], 'the current hour is live, a settled one kept');
    // Just after the hour turns, the hour that ended is still read live: late results land in it.
    now = hour + HOUR + HOUR_SETTLE_MS / 2;
    await store.commit(batch({ results: [probe(hour + HOUR - 1000)] }));
    assert.deepEqual(await hours(), [
      [hour - 2 * HOUR, 1],
      [hour, 3],
    ]);
    await store.commit(batch({ results: [probe(hour - 2 * HOUR + 120_000)] }));
    assert.deepEqual(await hours(), [
      [hour - 2 * HOUR, 2],
      [hour, 3],
    ], 'a late result for a settled hour shows at once');
  });

  it('hourly rollups: when an hour settles, only that hour is read; the kept hours stay', async () => {
    const hour = T0 - (T0 % HOUR) + 10 * DAY;
    now = hour + 58 * 60_000;
    const probe = (startedAt: number) => result(`s${String(n++).padStart(4, '0')}`, { monitorId: 'm3', startedAt, plannedAt: startedAt });
    await store.commit(batch({ results: [probe(hour - 3 * HOUR), probe(hour - 2 * HOUR), probe(hour)] }));
    const cache = new PastDaysCache(counted, clock);
    reads.length = 0;
    // As the page asks: the last 24 hours, from the hour 24 hours ago.
    const hours = async () => counts(await hourly(cache, 'm3', Math.floor((now - DAY) / HOUR) * HOUR));
    assert.deepEqual(await hours(), [
      [hour - 3 * HOUR, 1],
      [hour - 2 * HOUR, 1],
      [hour, 1],
    ]);
    // The current hour settles and the window moves by one.
    await store.commit(batch({ results: [probe(hour + 60_000)] }));
    reads.length = 0;
    now = hour + HOUR + HOUR_SETTLE_MS + 60_000; // 8 minutes later: within the TTL
    assert.deepEqual(await hours(), [
      [hour - 3 * HOUR, 1],
      [hour - 2 * HOUR, 1],
      [hour, 2],
    ]);
    assert.deepEqual(reads, [
      ['hour', hour, hour + HOUR],
      ['hour', hour + HOUR, now + 1],
    ], 'the hour that settled is read, then the live ones; the older ones stay as kept');
    // A late result for a kept hour: the kept hours are read whole again.
    await store.commit(batch({ results: [probe(hour - 2 * HOUR + 60_000)] }));
    reads.length = 0;
    assert.deepEqual(await hours(), [
      [hour - 3 * HOUR, 1],
      [hour - 2 * HOUR, 2],
      [hour, 2],
    ]);
    assert.equal(reads[0]?.[2], hour + HOUR);
    assert.ok(reads[0]![1] <= hour - 3 * HOUR);
  });

  it('live hours: only the monitors a commit wrote since are read again; all of them once LIVE_HOURS_TTL_MS has passed', async () => {
    const hour = T0 - (T0 % HOUR) + 20 * DAY;
    now = hour + 30 * 60_000;
    const probe = (monitorId: string, startedAt: number) => result(`l${String(n++).padStart(4, '0')}`, { monitorId, startedAt, plannedAt: startedAt });
    await store.commit(batch({ results: [probe('m4', hour + 60_000), probe('m5', hour + 60_000)] }));
    const liveReads: string[][] = [];
    const cache = new PastDaysCache(noteLiveReads(store, hour, liveReads), clock);
    const hours = async () => {
      const byMonitor = await cache.hourlyRollupsByMonitor(['m4', 'm5'], hour - 23 * HOUR);
      return { m4: counts(byMonitor.get('m4') ?? []), m5: counts(byMonitor.get('m5') ?? []) };
    };
    assert.deepEqual(await hours(), { m4: [[hour, 1]], m5: [[hour, 1]] });
    assert.deepEqual(liveReads, [['m4', 'm5']]);
    await store.commit(batch({ results: [probe('m4', hour + 120_000)] }));
    now += 5_000;
    assert.deepEqual(await hours(), { m4: [[hour, 2]], m5: [[hour, 1]] }, "m4's new check shows");
    assert.deepEqual(liveReads.at(-1), ['m4'], 'only m4 is read again');
    now += 5_000;
    const before = liveReads.length;
    assert.deepEqual(await hours(), { m4: [[hour, 2]], m5: [[hour, 1]] });
    assert.equal(liveReads.length, before, 'nothing was written: nothing is read');
    // Another process (a second connection to the same file) writes: this store does not see it.
    const other = await openSqliteStore(join(dir, 'candor.db'));
    try {
      await other.commit(batch({ results: [probe('m5', hour + 180_000)] }));
    } finally {
      await other.close();
    }
    assert.deepEqual((await hours()).m5, [[hour, 1]], 'within the TTL');
    now += LIVE_HOURS_TTL_MS;
    assert.deepEqual(await hours(), { m4: [[hour, 2]], m5: [[hour, 2]] }, 'after it, every live row is read again');
    assert.deepEqual(liveReads.at(-1), ['m4', 'm5']);
  });

  it('live hours: the monitors nothing wrote are read again in turn, each within LIVE_HOURS_TTL_MS, a share at each read', async () => {
    const hour = T0 - (T0 % HOUR) + 30 * DAY;
    now = hour + 10 * 60_000;
    const ids = Array.from({ length: 12 }, (_, i) => `t${String(i).padStart(2, '0')}`);
    await store.commit(batch({ results: ids.map((monitorId) => result(`t${String(n++).padStart(4, '0')}`, { monitorId, startedAt: hour + 60_000, plannedAt: hour + 60_000 })) }));
    const liveReads: string[][] = [];
    const cache = new PastDaysCache(noteLiveReads(store, hour, liveReads), clock);
    await cache.hourlyRollupsByMonitor(ids, hour - 23 * HOUR);
    assert.equal(liveReads.length, 1);
    // Read every twelfth of the TTL, nothing written: one monitor each time, each of them once.
    for (let i = 0; i < 12; i++) {
      now += LIVE_HOURS_TTL_MS / 12;
      const rows = await cache.hourlyRollupsByMonitor(ids, hour - 23 * HOUR);
      assert.equal(rows.get(ids[5]!)?.[0]?.count, 1);
    }
    assert.deepEqual(liveReads.slice(1), ids.map((id) => [id]));
  });

  it("today's daily counts summed from the hourly rows equal today's daily rows", async () => {
    const day = today + 20 * DAY;
    now = day + 6 * HOUR;
    const probe = (startedAt: number, overrides: Parameters<typeof result>[1] = {}) =>
      result(`t${String(n++).padStart(4, '0')}`, { monitorId: 'm9', startedAt, plannedAt: startedAt, ...overrides });
    await store.commit(
      batch({
        results: [
          probe(day - 30 * 60_000),
          probe(day + HOUR + 10 * 60_000),
          probe(day + 5 * HOUR + 20 * 60_000, { ok: false, error: { kind: 'timeout', message: 'no answer' } }),
          probe(day + 5 * HOUR + 40 * 60_000, { vantage: 'eu' }),
          probe(day + 5 * HOUR + 50 * 60_000, { maintenance: true }),
        ],
      }),
    );
    const cache = new PastDaysCache(store, clock);
    const read = await store.listRollupCountsForMonitors(['m9'], 'day', day - 10 * DAY, now + 1);
    const summed = await daily(cache, 'm9', day - 10 * DAY, now);
    // Per day over the monitor's vantages (stored rows are per vantage), as the page counts them.
    const plain = (rows: readonly { bucketStart: number; count: number; okCount: number }[]) => {
      const days = new Map<number, [number, number]>();
      for (const r of rows) {
        const [count, okCount] = days.get(r.bucketStart) ?? [0, 0];
        days.set(r.bucketStart, [count + r.count, okCount + r.okCount]);
      }
      return [...days].sort(([a], [b]) => a - b).map(([start, [count, okCount]]) => [start, count, okCount]);
    };
    assert.deepEqual(plain(read), [
      [day - DAY, 1, 1],
      [day, 3, 2],
    ]);
    assert.deepEqual(plain(summed), plain(read));
  });

  it('latest results are read again only for monitors whose state names another result', async () => {
    const state = (monitorId: string, lastResultId?: string): MonitorState => ({
      monitorId,
      status: 'up',
      since: T0,
      updatedAt: T0,
      ...(lastResultId ? { lastResultId } : {}),
    });
    const at = T0 + 5 * DAY;
    const probe = (monitorId: string, startedAt: number) => result(monitorId, { monitorId, startedAt, plannedAt: startedAt });
    const [a1, b1, a2, b2] = [probe('la', at), probe('lb', at), probe('la', at + 60_000), probe('lb', at + 60_000)];
    await store.commit(batch({ results: [a1, b1] }));
    const cache = new LatestResultsCache(store);
    const ids = async (states: MonitorState[]) => [...(await cache.latestResults(['la', 'lb'], new Map(states.map((s) => [s.monitorId, s])))).values()].map((r) => r.id);
    assert.deepEqual(await ids([state('la', a1.id), state('lb')]), [a1.id, b1.id]);
    await store.commit(batch({ results: [a2, b2] }));
    assert.deepEqual(await ids([state('la', a1.id), state('lb')]), [a1.id, b2.id], 'la kept (its state names a1); lb has no lastResultId, so it is read');
    assert.deepEqual(await ids([state('la', a2.id), state('lb')]), [a2.id, b2.id], 'la read again once its state moves on');
  });
});
