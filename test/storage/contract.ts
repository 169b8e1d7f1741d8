// The storage contract: every Store implementation runs these same cases (sqlite.test.ts, postgres.test.ts).
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/store.js';
import { LATENCY_BUCKETS_MS } from '../../src/storage/store.js';
import type { CheckResult } from '../../src/probes/types.js';
import { DAY, HOUR, MINUTE, T0, batch, entry, id, incident, result, state } from './fixtures.js';

export interface OpenedStore {
  readonly store: Store;
  /** Closes the store and removes everything it wrote. */
  cleanup(): Promise<void>;
}

const histogramWith = (counts: Record<number, number>): number[] =>
  Array.from({ length: LATENCY_BUCKETS_MS.length + 1 }, (_, i) => counts[i] ?? 0);

export function storageContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} storage contract`, () => {
    let opened: OpenedStore;
    let store: Store;

    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterEach(async () => {
      await opened.cleanup();
    });

    it('migrates twice without error', async () => {
      await store.migrate();
      await store.commit(batch({ results: [result('r1')] }));
      assert.equal((await store.getResult('r1'))?.id, 'r1');
    });

    it('round-trips every result field, keeping absent optional fields absent', async () => {
      const full = result('r-full', {
        monitorId: 'web',
        vantage: 'eu-west',
        plannedAt: T0 - 250,
        startedAt: T0 + 1,
        ok: false,
        degraded: true,
        maintenance: true,
        inconclusive: true,
        latencyMs: 123.456,
        phases: { dns: 1.5, connect: 10, tls: 20.25, ttfb: 80, total: 123.456 },
        peerAddress: '2001:db8::1',
        error: { kind: 'http_status', message: 'expected status 200-299, got 503 — “Service Unavailable”' },
        details: { status: 503, headers: { server: 'nginx', 'x-cache': 'MISS' }, answers: ['a', 'b'], nested: { z: null, a: [1, { b: true }] } },
      });
      const minimal = result('r-min', { monitorId: 'web', startedAt: T0 + 2, plannedAt: T0 + 2 });
      await store.commit(batch({ results: [full, minimal] }));

      assert.deepEqual(await store.getResult('r-full'), full);
      const readMinimal = await store.getResult('r-min');
      assert.deepEqual(readMinimal, minimal);
      assert.ok(readMinimal);
      for (const key of ['peerAddress', 'error', 'inconclusive']) assert.equal(key in readMinimal, false, `${key} should be absent`);
      assert.equal('dns' in readMinimal.phases, false);
      assert.deepEqual(await store.listResults('web', { limit: 10 }), [minimal, full]);
      assert.equal(await store.getResult('nope'), undefined);
    });

    it('ignores result ids already stored and does not count them twice in rollups', async () => {
      await store.commit(batch({ results: [result('r1'), result('r2', { startedAt: T0 + MINUTE })] }));
      await store.commit(
        batch({
          results: [
            result('r2', { startedAt: T0 + MINUTE }),
            result('r3', { startedAt: T0 + 2 * MINUTE }),
            result('r3', { startedAt: T0 + 2 * MINUTE }),
          ],
        }),
      );
      const ids = (await store.listResults('m1', { limit: 10 })).map((r) => r.id);
      assert.deepEqual(ids, ['r3', 'r2', 'r1']);
      const [hour] = await store.listRollups('m1', 'hour', T0, T0 + HOUR);
      assert.equal(hour?.count, 3);
      const [day] = await store.listRollups('m1', 'day', T0 - 10 * HOUR, T0 + DAY);
      assert.equal(day?.count, 3);
    });

    it('keeps hourly and daily rollups: counts, latency, histogram, UTC bucket edges, maintenance excluded', async () => {
      const dayStart = T0 - 10 * HOUR;
      const results: CheckResult[] = [
        result('a1', { startedAt: T0, latencyMs: 3 }),
        result('a2', { startedAt: T0 + HOUR - 1, latencyMs: 5, degraded: true }),
        result('a3', { startedAt: T0 + 30 * MINUTE, latencyMs: 6, ok: false, error: { kind: 'timeout', message: 'timed out' } }),
        result('a4', { startedAt: T0 + 31 * MINUTE, latencyMs: 99_999, maintenance: true }),
        result('a5', { startedAt: T0 + 32 * MINUTE, latencyMs: 99_999, ok: false, inconclusive: true, error: { kind: 'dns_timeout', message: 'no resolver' } }),
        result('b1', { startedAt: T0 + HOUR, latencyMs: 40_000 }),
        result('c1', { startedAt: dayStart - 1, latencyMs: 100 }),
        result('c2', { startedAt: dayStart + DAY, latencyMs: 30_000 }),
      ];
      await store.commit(batch({ results }));

      const hours = await store.listRollups('m1', 'hour', dayStart - DAY, dayStart + 2 * DAY);
      assert.deepEqual(
        hours.map((r) => r.bucketStart),
        [dayStart - HOUR, T0, T0 + HOUR, dayStart + DAY],
      );
      assert.deepEqual(hours[1], {
        monitorId: 'm1',
        granularity: 'hour',
        bucketStart: T0,
        count: 3,
        okCount: 2,
        degradedCount: 1,
        latencyMinMs: 3,
        latencyMaxMs: 6,
        latencySumMs: 14,
        histogram: histogramWith({ 0: 2, 1: 1 }),
      });
      assert.deepEqual(hours[2]?.histogram, histogramWith({ [LATENCY_BUCKETS_MS.length]: 1 }));
      assert.deepEqual(hours[3]?.histogram, histogramWith({ [LATENCY_BUCKETS_MS.length - 1]: 1 }));

      const days = await store.listRollups('m1', 'day', dayStart - DAY, dayStart + 2 * DAY);
      assert.deepEqual(
        days.map((r) => [r.bucketStart, r.count, r.okCount, r.latencyMinMs, r.latencyMaxMs, r.latencySumMs]),
        [
          [dayStart - DAY, 1, 1, 100, 100, 100],
          [dayStart, 4, 3, 3, 40_000, 40_014],
          [dayStart + DAY, 1, 1, 30_000, 30_000, 30_000],
        ],
      );
      // [from, to) on bucketStart.
      assert.deepEqual(
        (await store.listRollups('m1', 'hour', T0, T0 + HOUR)).map((r) => r.bucketStart),
        [T0],
      );
      assert.deepEqual(await store.listRollups('other', 'hour', dayStart - DAY, dayStart + 2 * DAY), []);
    });

    it('merges rollups across batches the same as in one batch', async () => {
      const results = Array.from({ length: 20 }, (_, n) =>
        result(id('r', n), { startedAt: T0 + n * 5 * MINUTE, latencyMs: 10 + n * 37, ok: n % 3 !== 0, degraded: n % 5 === 0 }),
      );
      await store.commit(batch({ results: results.slice(0, 7) }));
      await store.commit(batch({ results: results.slice(7, 13) }));
      await store.commit(batch({ results: results.slice(13) }));
      const incremental = await store.listRollups('m1', 'hour', T0, T0 + DAY);
      const moved = results.map((r) => ({ ...r, id: `x${r.id}`, monitorId: 'm2' }));
      await store.commit(batch({ results: moved }));
      const once = await store.listRollups('m2', 'hour', T0, T0 + DAY);
      assert.equal(incremental.length, 2);
      assert.deepEqual(
        incremental,
        once.map((r) => ({ ...r, monitorId: 'm1' })),
      );
    });

    it('pages results newest first with before, from, to and limit', async () => {
      const results = Array.from({ length: 10 }, (_, n) => result(id('r', n), { startedAt: T0 + n * MINUTE }));
      // Same startedAt as r000009: ties are broken by id, descending.
      const twin = result('r000010', { startedAt: T0 + 9 * MINUTE });
      await store.commit(batch({ results: [...results, twin, result('other', { monitorId: 'm2', startedAt: T0 + 5 * MINUTE })] }));

      const ids = async (query: Parameters<Store['listResults']>[1]) => (await store.listResults('m1', query)).map((r) => r.id);
      const page1 = await ids({ limit: 3 });
      assert.deepEqual(page1, ['r000010', 'r000009', 'r000008']);
      assert.deepEqual(await ids({ limit: 3, before: 'r000010' }), ['r000009', 'r000008', 'r000007']);
      assert.deepEqual(await ids({ limit: 3, before: page1.at(-1) }), ['r000007', 'r000006', 'r000005']);
      assert.deepEqual(await ids({ limit: 100, from: T0 + 2 * MINUTE, to: T0 + 5 * MINUTE }), ['r000004', 'r000003', 'r000002']);
      assert.deepEqual(await ids({ limit: 2, from: T0 + 2 * MINUTE, to: T0 + 5 * MINUTE, before: 'r000004' }), ['r000003', 'r000002']);
      assert.deepEqual(await ids({ limit: 5, before: 'r000000' }), []);
      assert.equal((await store.listResults('m1', { limit: 100 })).length, 11);
    });

    it('returns the latest result of many monitors', async () => {
      const results: CheckResult[] = [];
      for (let m = 0; m < 60; m++) {
        for (let n = 0; n < 3; n++) results.push(result(`m${m}-${n}`, { monitorId: `m${m}`, startedAt: T0 + n * MINUTE + m }));
      }
      // Two results with the same startedAt: the larger id wins.
      results.push(result('m0-9', { monitorId: 'm0', startedAt: T0 + 2 * MINUTE }));
      await store.commit(batch({ results }));
      const wanted = [...Array.from({ length: 60 }, (_, m) => `m${m}`), 'never-checked'];
      const latest = await store.latestResults(wanted);
      assert.equal(latest.size, 60);
      assert.equal(latest.get('m0')?.id, 'm0-9');
      assert.deepEqual(latest.get('m42'), results.find((r) => r.id === 'm42-2'));
      assert.equal(latest.has('never-checked'), false);
      assert.equal((await store.latestResults([])).size, 0);
    });

    it('upserts monitor states and reads them back', async () => {
      const down = state('web', {
        status: 'down',
        since: T0 + 5,
        consecutiveFailures: 3,
        consecutiveSuccesses: 0,
        consecutiveSlow: 2,
        firstFailure: {
          resultId: 'r1',
          vantage: 'local',
          at: T0,
          errorKind: 'connect_refused',
          errorMessage: 'connection refused',
          phases: { dns: 2, total: 3 },
          peerAddress: '192.0.2.7',
        },
        lastErrorKind: 'connect_refused',
        openIncidentId: 'i1',
        lastResultId: 'r3',
        updatedAt: T0 + 10,
      });
      const api = state('api');
      await store.commit(batch({ states: [down, api] }));
      assert.deepEqual(await store.listStates(), [api, down]);

      const recovered = state('web', { since: T0 + 20, updatedAt: T0 + 20, lastResultId: 'r4' });
      await store.commit(batch({ states: [recovered] }));
      const states = await store.listStates();
      assert.deepEqual(states, [api, recovered]);
      for (const key of ['firstFailure', 'lastErrorKind', 'openIncidentId']) assert.equal(key in states[1]!, false, key);
    });

    it('opens incidents, appends to and resolves them, with timelines oldest first', async () => {
      const opened = incident('i1', T0, {
        monitorIds: ['web', 'api'],
        timeline: [
          entry('i1-a', 'i1', T0, {
            kind: 'first_failure',
            monitorId: 'web',
            evidence: { resultId: 'r1', vantage: 'local', at: T0, errorKind: 'timeout', errorMessage: 'timed out', phases: { total: 10_000 } },
          }),
          entry('i1-b', 'i1', T0 + MINUTE, { kind: 'confirmed_down', monitorId: 'web' }),
        ],
      });
      await store.commit(batch({ incidentsOpened: [opened] }));
      assert.deepEqual(await store.getIncident('i1'), opened);

      const recovered = entry('i1-c', 'i1', T0 + 10 * MINUTE, { kind: 'recovered', message: 'back up' });
      const note = entry('i1-0', 'i1', T0 + 5 * MINUTE, { kind: 'note' });
      await store.commit(batch({ timelineAppended: [recovered, note], incidentsResolved: [{ id: 'i1', resolvedAt: T0 + 10 * MINUTE }] }));

      const resolved = await store.getIncident('i1');
      assert.deepEqual(resolved, {
        ...opened,
        state: 'resolved',
        resolvedAt: T0 + 10 * MINUTE,
        timeline: [...opened.timeline, note, recovered],
      });
      assert.equal(await store.getIncident('missing'), undefined);
    });

    it('lists incidents newest first by state and monitor, with paging', async () => {
      // Opened in one batch, appended in the same batch: allowed.
      const incidents = Array.from({ length: 6 }, (_, n) =>
        incident(id('i', n), T0 + n * HOUR, { monitorIds: n % 2 === 0 ? ['web'] : ['api', 'web'] }),
      );
      const tie = incident('i000099', T0 + 5 * HOUR, { monitorIds: ['api'] });
      await store.commit(
        batch({
          incidentsOpened: [...incidents, tie],
          timelineAppended: [entry('late', 'i000001', T0 + 2 * HOUR, { kind: 'recovered' })],
          incidentsResolved: [
            { id: 'i000000', resolvedAt: T0 + 30 * MINUTE },
            { id: 'i000001', resolvedAt: T0 + 2 * HOUR },
          ],
        }),
      );
      const ids = async (query: Parameters<Store['listIncidents']>[0]) => (await store.listIncidents(query)).map((i) => i.id);

      assert.deepEqual(await ids({ limit: 100 }), ['i000099', 'i000005', 'i000004', 'i000003', 'i000002', 'i000001', 'i000000']);
      assert.deepEqual(await ids({ limit: 100, state: 'resolved' }), ['i000001', 'i000000']);
      assert.deepEqual(await ids({ limit: 100, state: 'open', monitorId: 'api' }), ['i000099', 'i000005', 'i000003']);
      assert.deepEqual(await ids({ limit: 100, monitorId: 'web' }), ['i000005', 'i000004', 'i000003', 'i000002', 'i000001', 'i000000']);
      assert.deepEqual(await ids({ limit: 2 }), ['i000099', 'i000005']);
      assert.deepEqual(await ids({ limit: 2, before: 'i000099' }), ['i000005', 'i000004']);
      assert.deepEqual(await ids({ limit: 2, before: 'i000004', monitorId: 'api' }), ['i000003', 'i000001']);
      assert.deepEqual(await ids({ limit: 2, before: 'i000000' }), []);

      const [withTimeline] = await store.listIncidents({ limit: 1, state: 'resolved' });
      assert.deepEqual(withTimeline?.monitorIds, ['api', 'web']);
      assert.deepEqual(
        withTimeline?.timeline.map((e) => e.id),
        ['i000001-t1', 'late'],
      );
      assert.equal(withTimeline?.resolvedAt, T0 + 2 * HOUR);

      assert.deepEqual(await ids({ limit: 100, monitorIds: ['api'] }), ['i000099', 'i000005', 'i000003', 'i000001']);
      assert.deepEqual(await ids({ limit: 100, monitorIds: ['api', 'web', 'nope'] }), ['i000099', 'i000005', 'i000004', 'i000003', 'i000002', 'i000001', 'i000000']);
      assert.deepEqual(await ids({ limit: 100, monitorIds: [] }), []);
      // Still open at or after T0+1h: every open one, and i000001 (resolved at T0+2h), not i000000 (T0+30m).
      assert.deepEqual(await ids({ limit: 100, activeSince: T0 + HOUR }), ['i000099', 'i000005', 'i000004', 'i000003', 'i000002', 'i000001']);
      const [bare] = await store.listIncidents({ limit: 1, state: 'resolved', withoutTimelines: true });
      assert.equal(bare?.id, 'i000001');
      assert.deepEqual(bare?.monitorIds, ['api', 'web']);
      assert.deepEqual(bare?.timeline, []);
    });

    it('lists rollups of many monitors at once: one granularity, [from, to), ordered by monitor then bucket', async () => {
      await store.commit(
        batch({
          results: [
            result('a1', { monitorId: 'b-mon', startedAt: T0 - DAY }),
            result('a2', { monitorId: 'b-mon', startedAt: T0 + HOUR, ok: false }),
            result('a3', { monitorId: 'a-mon', startedAt: T0 }),
            result('a4', { monitorId: 'a-mon', startedAt: T0 + 2 * DAY }),
            result('a5', { monitorId: 'other', startedAt: T0 }),
          ],
        }),
      );
      const days = await store.listRollupsForMonitors(['b-mon', 'a-mon', 'missing'], 'day', T0 - DAY - HOUR * 10, T0 + 2 * DAY - HOUR * 10);
      const day = (ms: number) => Math.floor(ms / DAY) * DAY;
      assert.deepEqual(
        days.map((r) => [r.monitorId, r.granularity, r.bucketStart, r.count, r.okCount]),
        [
          ['a-mon', 'day', day(T0), 1, 1],
          ['b-mon', 'day', day(T0 - DAY), 1, 1],
          ['b-mon', 'day', day(T0), 1, 0],
        ],
      );
      const hours = await store.listRollupsForMonitors(['a-mon', 'b-mon'], 'hour', T0, T0 + HOUR);
      assert.deepEqual(
        hours.map((r) => [r.monitorId, r.bucketStart]),
        [['a-mon', T0]],
      );
      assert.deepEqual(await store.listRollupsForMonitors([], 'day', 0, T0 * 2), []);
      // More ids than one statement may bind: the query is chunked and the answer is the same.
      const many = Array.from({ length: 30_001 }, (_, i) => id('x', i));
      const chunked = await store.listRollupsForMonitors([...many, 'b-mon', 'a-mon'], 'day', 0, T0 * 2);
      assert.deepEqual(
        chunked.map((r) => [r.monitorId, r.bucketStart]),
        [
          ['a-mon', day(T0)],
          ['a-mon', day(T0 + 2 * DAY)],
          ['b-mon', day(T0 - DAY)],
          ['b-mon', day(T0)],
        ],
      );
    });

    it('prunes only results and rollups older than the cut-offs', async () => {
      await store.commit(
        batch({
          results: [
            result('old1', { startedAt: T0 - 3 * DAY }),
            result('old2', { startedAt: T0 - 1 }),
            result('new1', { startedAt: T0 }),
            result('new2', { startedAt: T0 + HOUR }),
          ],
        }),
      );
      const report = await store.prune(T0, T0 - DAY);
      // Rollups before T0 - 1 day: the hourly and the daily bucket of old1.
      assert.deepEqual(report, { resultsDeleted: 2, rollupsDeleted: 2 });
      assert.deepEqual(
        (await store.listResults('m1', { limit: 10 })).map((r) => r.id),
        ['new2', 'new1'],
      );
      const hours = await store.listRollups('m1', 'hour', 0, T0 + DAY);
      assert.deepEqual(
        hours.map((r) => r.bucketStart),
        [T0 - HOUR, T0, T0 + HOUR],
      );
      assert.deepEqual(await store.prune(T0, T0 - DAY), { resultsDeleted: 0, rollupsDeleted: 0 });
    });

    it('writes nothing of a batch that fails (one transaction)', async () => {
      await store.commit(batch({ results: [result('r1')], states: [state('m1')], incidentsOpened: [incident('i1', T0)] }));
      const before = {
        results: await store.listResults('m1', { limit: 10 }),
        rollups: await store.listRollups('m1', 'hour', 0, T0 + DAY),
        states: await store.listStates(),
        incidents: await store.listIncidents({ limit: 10 }),
      };
      const failing = batch({
        results: [result('r2', { startedAt: T0 + MINUTE }), result('r3', { monitorId: 'm9' })],
        states: [state('m1', { status: 'down' }), state('m9')],
        incidentsOpened: [incident('i2', T0 + MINUTE), incident('i1', T0 + 2 * MINUTE)],
        timelineAppended: [entry('t-x', 'i1', T0 + MINUTE)],
        incidentsResolved: [{ id: 'i1', resolvedAt: T0 + MINUTE }],
      });
      await assert.rejects(store.commit(failing));
      assert.deepEqual(
        {
          results: await store.listResults('m1', { limit: 10 }),
          rollups: await store.listRollups('m1', 'hour', 0, T0 + DAY),
          states: await store.listStates(),
          incidents: await store.listIncidents({ limit: 10 }),
        },
        before,
      );
      assert.equal(await store.getResult('r3'), undefined);
      assert.equal(await store.getIncident('i2'), undefined);
      assert.deepEqual(await store.listRollups('m9', 'hour', 0, T0 + DAY), []);
    });

    it('commits a large batch in chunks', async () => {
      const count = 5_000;
      const results = Array.from({ length: count }, (_, n) =>
        result(id('big', n), { monitorId: `m${n % 50}`, startedAt: T0 + n * 1_000, latencyMs: n % 700, details: { n } }),
      );
      const states = Array.from({ length: 50 }, (_, m) => state(`m${m}`));
      const incidents = Array.from({ length: 3_000 }, (_, n) => incident(id('inc', n), T0 + n, { monitorIds: ['a', 'b', 'c'] }));
      await store.commit(batch({ results, states, incidentsOpened: incidents }));
      let total = 0;
      for (let m = 0; m < 50; m++) {
        const rollups = await store.listRollups(`m${m}`, 'day', 0, T0 + 10 * DAY);
        total += rollups.reduce((sum, r) => sum + r.count, 0);
      }
      assert.equal(total, count);
      assert.equal((await store.listResults('m7', { limit: 1_000 })).length, count / 50);
      assert.equal((await store.latestResults(states.map((s) => s.monitorId))).size, 50);
      assert.equal((await store.listIncidents({ limit: 5_000, monitorId: 'b' })).length, 3_000);
      // A retry of the whole batch changes nothing.
      await store.commit(batch({ results }));
      const again = await store.listRollups('m0', 'day', 0, T0 + 10 * DAY);
      assert.equal(again.reduce((sum, r) => sum + r.count, 0), count / 50);
    });

    it('reports a database size above zero', async () => {
      await store.commit(batch({ results: [result('r1')] }));
      assert.ok((await store.sizeBytes()) > 0);
    });
  });
}
