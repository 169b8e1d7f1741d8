// The storage contract: every Store implementation runs these same cases (sqlite.test.ts, postgres.test.ts).
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/store.js';
import { LATENCY_BUCKETS_MS } from '../../src/domain/rollup-math.js';
import type { CheckResult } from '../../src/domain/verdict.js';
import { declaredContract } from './declared-contract.js';
import { provenanceContract } from './provenance-contract.js';
import { DAY, HOUR, MINUTE, T0, batch, entry, id, idOf, incident, result, state, vantageState } from './fixtures.js';
import { managementContract } from './contract-management.js';

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
      const r1 = result('r1');
      await store.commit(batch({ results: [r1] }));
      assert.equal((await store.getResult(r1.id))?.id, r1.id);
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
        // Phases are kept to the hundredth of a millisecond, the probes' own resolution.
        phases: { dns: 1.5, connect: 10, tls: 20.25, ttfb: 80, total: 123.45 },
        peerAddress: '2001:db8::1',
        error: { kind: 'http_status', message: 'expected status 200-299, got 503 — “Service Unavailable”' },
        details: { type: 'http', status: 503, headers: { server: 'nginx', 'x-cache': 'MISS' }, redirects: ['https://a.example/', 'https://b.example/'], bodyExcerpt: '“ü” \u0000' },
      });
      const minimal = result('r-min', { monitorId: 'web', startedAt: T0 + 2, plannedAt: T0 + 2 });
      const inserted = await store.commit(batch({ results: [full, minimal] }));
      assert.deepEqual(inserted, [full, minimal]);

      assert.deepEqual(await store.getResult(full.id), full);
      const readMinimal = await store.getResult(minimal.id);
      assert.deepEqual(readMinimal, minimal);
      assert.ok(readMinimal);
      for (const key of ['peerAddress', 'error']) assert.equal(key in readMinimal, false, `${key} should be absent`);
      assert.equal('dns' in readMinimal.phases, false);
      assert.deepEqual(await store.listResults('web', { limit: 10 }), [minimal, full]);
      assert.deepEqual(await store.listResults('web', { limit: 10, vantage: 'eu-west' }), [full]);
      assert.deepEqual(await store.listResults('web', { limit: 10, vantage: 'nowhere' }), []);
      assert.equal(await store.getResult('nope'), undefined);
      assert.equal(await store.getResult(idOf('web', T0 + 3)), undefined);
    });

    it('ignores results already stored (same monitor, vantage and startedAt) and does not count them twice in rollups', async () => {
      const [r1, r2, r3] = [result('r1'), result('r2', { startedAt: T0 + MINUTE }), result('r3', { startedAt: T0 + 2 * MINUTE })];
      await store.commit(batch({ results: [r1, r2] }));
      const inserted = await store.commit(batch({ results: [{ ...r2, ok: false, error: { kind: 'timeout', message: 'a resend that differs' } }, r3, r3] }));
      assert.deepEqual(inserted, [r3]);
      const ids = (await store.listResults('m1', { limit: 10 })).map((r) => r.id);
      assert.deepEqual(ids, [r3.id, r2.id, r1.id]);
      assert.equal((await store.getResult(r2.id))?.ok, true);
      const [hour] = await store.listRollups('m1', 'hour', T0, T0 + HOUR);
      assert.equal(hour?.count, 3);
      const [day] = await store.listRollups('m1', 'day', T0 - 10 * HOUR, T0 + DAY);
      assert.equal(day?.count, 3);
    });

    it('stores a batch of several hundred results across many series whole, and a resend of half of it only once', async () => {
      // 300 rows go in chunks of 256, 32, 8 and 4 rows (reused-statements.ts); the resend straddles them.
      const first = Array.from({ length: 300 }, (_, i) => result(`b${i}`, { monitorId: `m${i % 40}`, startedAt: T0 + i * MINUTE }));
      assert.equal((await store.commit(batch({ results: first }))).length, 300);
      const second = Array.from({ length: 300 }, (_, i) => result(`c${i}`, { monitorId: `m${(i + 150) % 40}`, startedAt: T0 + (i + 150) * MINUTE }));
      const inserted = await store.commit(batch({ results: second }));
      assert.deepEqual(inserted, second.slice(150));
      assert.equal((await store.listResults('m7', { limit: 100 })).length, 12);
      const hours = await store.listRollups('m7', 'hour', T0, T0 + DAY);
      assert.equal(hours.reduce((sum, hour) => sum + hour.count, 0), 12);
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
      const moved = results.map((r) => result('moved', { ...r, monitorId: 'm2' }));
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
      // Same startedAt as the newest, from another vantage: both are listed, newest first, then by series.
      const twin = result('twin', { vantage: 'agent-b', startedAt: T0 + 9 * MINUTE });
      await store.commit(batch({ results: [...results, twin, result('other', { monitorId: 'm2', startedAt: T0 + 5 * MINUTE })] }));
      const r = results.map((x) => x.id);

      const ids = async (query: Parameters<Store['listResults']>[1]) => (await store.listResults('m1', query)).map((x) => x.id);
      const page1 = await ids({ limit: 3 });
      assert.deepEqual(new Set(page1.slice(0, 2)), new Set([twin.id, r[9]]));
      assert.equal(page1[2], r[8]);
      assert.deepEqual(await ids({ limit: 3, before: page1[0] }), [page1[1], r[8], r[7]]);
      assert.deepEqual(await ids({ limit: 3, before: page1.at(-1) }), [r[7], r[6], r[5]]);
      assert.deepEqual(await ids({ limit: 100, from: T0 + 2 * MINUTE, to: T0 + 5 * MINUTE }), [r[4], r[3], r[2]]);
      assert.deepEqual(await ids({ limit: 2, from: T0 + 2 * MINUTE, to: T0 + 5 * MINUTE, before: r[4] }), [r[3], r[2]]);
      assert.deepEqual(await ids({ limit: 5, before: r[0] }), []);
      // A cursor whose row is gone still pages by its time.
      assert.deepEqual(await ids({ limit: 2, before: idOf('m1', T0 + 4 * MINUTE + 30_000) }), [r[4], r[3]]);
      assert.equal((await store.listResults('m1', { limit: 100 })).length, 11);
    });

    it('returns the latest result of many monitors', async () => {
      const results: CheckResult[] = [];
      for (let m = 0; m < 60; m++) {
        for (let n = 0; n < 3; n++) results.push(result(`m${m}-${n}`, { monitorId: `m${m}`, startedAt: T0 + n * MINUTE + m }));
      }
      // A newer result of m0 from another vantage wins over the hub's.
      const remote = result('m0-9', { monitorId: 'm0', vantage: 'agent-b', startedAt: T0 + 3 * MINUTE });
      results.push(remote);
      await store.commit(batch({ results }));
      const wanted = [...Array.from({ length: 60 }, (_, m) => `m${m}`), 'never-checked'];
      const latest = await store.latestResults(wanted);
      assert.equal(latest.size, 60);
      assert.equal(latest.get('m0')?.id, remote.id);
      assert.deepEqual(latest.get('m42'), results.find((r) => r.monitorId === 'm42' && r.startedAt === T0 + 2 * MINUTE + 42));
      assert.equal(latest.has('never-checked'), false);
      assert.equal((await store.latestResults([])).size, 0);
    });

    it('upserts vantage states and reads them back', async () => {
      const down = vantageState('web', {
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
        downBeforeMaintenance: true,
        lastResultId: 'r3',
        updatedAt: T0 + 10,
      });
      const api = vantageState('api');
      const apiElsewhere = vantageState('api', { vantage: 'agent-b', status: 'down' });
      await store.commit(batch({ vantageStates: [down, apiElsewhere, api] }));
      assert.deepEqual(await store.listVantageStates(), [apiElsewhere, api, down]);

      const recovered = vantageState('web', { since: T0 + 20, updatedAt: T0 + 20, lastResultId: 'r4' });
      await store.commit(batch({ vantageStates: [recovered] }));
      const states = await store.listVantageStates();
      assert.deepEqual(states, [apiElsewhere, api, recovered]);
      for (const key of ['firstFailure', 'lastErrorKind', 'downBeforeMaintenance']) assert.equal(key in states[2]!, false, key);
    });

    it('upserts monitor states and reads them back', async () => {
      const down = state('web', { status: 'down', since: T0 + 5, lastErrorKind: 'timeout', openIncidentId: 'i1', lastResultId: 'r9', updatedAt: T0 + 10 });
      const api = state('api');
      await store.commit(batch({ states: [down, api] }));
      assert.deepEqual(await store.listStates(), [api, down]);
      const recovered = state('web', { since: T0 + 20, updatedAt: T0 + 20 });
      await store.commit(batch({ states: [recovered] }));
      assert.deepEqual(await store.listStates(), [api, recovered]);
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

    it('keeps the scope of monitor states, incidents and scope entries, and changes an incident scope in the same transaction', async () => {
      const partial = state('web', { status: 'partial', scope: { vantages: ['a1'], regions: ['eu-west'] }, openIncidentId: 'i1', updatedAt: T0 + 10 });
      const scoped = { kind: 'partial' as const, vantages: ['a1'], regions: ['eu-west'] };
      const evidence = [
        { resultId: 'r-a1', vantage: 'a1', at: T0, errorKind: 'timeout' as const },
        { resultId: 'r-local', vantage: 'local', at: T0 + 1 },
      ];
      const opened = incident('i1', T0, { scope: scoped, timeline: [entry('i1-a', 'i1', T0, { kind: 'partial', monitorId: 'web', scope: { ...scoped, evidence } })] });
      await store.commit(batch({ states: [partial], incidentsOpened: [opened] }));
      assert.deepEqual(await store.listStates(), [partial]);
      assert.deepEqual(await store.getIncident('i1'), opened);
      const global = { kind: 'global' as const, vantages: ['a1', 'local'], regions: ['eu-west'] };
      await store.transact(async (tx) => {
        await tx.incidents.append([entry('i1-b', 'i1', T0 + MINUTE, { kind: 'scope_changed', monitorId: 'web', scope: { ...global, evidence } })]);
        await tx.incidents.rescope([{ id: 'i1', scope: scoped }, { id: 'i1', scope: global }]);
      });
      const changed = await store.getIncident('i1');
      assert.deepEqual(changed?.scope, global, 'the last change wins');
      assert.deepEqual(changed?.timeline.map((e) => e.scope?.kind), ['partial', 'global']);
      const [listed] = await store.listIncidents({ limit: 1, withoutTimelines: true });
      assert.deepEqual(listed?.scope, global);
      const cleared = state('web', { status: 'up', updatedAt: T0 + 20 });
      await store.commit(batch({ states: [cleared] }));
      assert.deepEqual(await store.listStates(), [cleared], 'no scope once up');
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
      // Counts only (no histogram read): the same rows, the same order.
      assert.deepEqual(
        await store.listRollupCountsForMonitors(['b-mon', 'a-mon', 'missing'], 'day', T0 - DAY - HOUR * 10, T0 + 2 * DAY - HOUR * 10),
        days.map((r) => ({ monitorId: r.monitorId, bucketStart: r.bucketStart, count: r.count, okCount: r.okCount })),
      );
      assert.deepEqual(await store.listRollupCountsForMonitors([], 'day', 0, T0 * 2), []);
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
        (await store.listRollupCountsForMonitors([...many, 'b-mon', 'a-mon'], 'day', 0, T0 * 2)).map((r) => [r.monitorId, r.bucketStart]),
        chunked.map((r) => [r.monitorId, r.bucketStart]),
      );
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
      assert.equal(report.resultsDeleted, 2);
      assert.equal(report.rollupsDeleted, 2);
      assert.deepEqual(
        (await store.listResults('m1', { limit: 10 })).map((r) => r.id),
        [idOf('m1', T0 + HOUR), idOf('m1', T0)],
      );
      const hours = await store.listRollups('m1', 'hour', 0, T0 + DAY);
      assert.deepEqual(
        hours.map((r) => r.bucketStart),
        [T0 - HOUR, T0, T0 + HOUR],
      );
      const again = await store.prune(T0, T0 - DAY);
      assert.deepEqual([again.resultsDeleted, again.rollupsDeleted], [0, 0]);
    });

    it('writes nothing of a batch that fails (one transaction)', async () => {
      await store.commit(batch({ results: [result('r1')], states: [state('m1')], incidentsOpened: [incident('i1', T0)] }));
      const before = {
        results: await store.listResults('m1', { limit: 10 }),
        rollups: await store.listRollups('m1', 'hour', 0, T0 + DAY),
        states: await store.listStates(),
        incidents: await store.listIncidents({ limit: 10 }),
      };
      const r3 = result('r3', { monitorId: 'm9' });
      const failing = batch({
        results: [result('r2', { startedAt: T0 + MINUTE }), r3],
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
      assert.equal(await store.getResult(r3.id), undefined);
      assert.equal(await store.getIncident('i2'), undefined);
      assert.deepEqual(await store.listRollups('m9', 'hour', 0, T0 + DAY), []);
      // The store still works after the failed transaction (nothing cached from it is used).
      const r4 = result('r4', { monitorId: 'm9', startedAt: T0 + 3 * MINUTE });
      await store.commit(batch({ results: [r4] }));
      assert.deepEqual(await store.getResult(r4.id), r4);
    });

    it('a failed batch leaves rollups as they were, for the next batch too', async () => {
      await store.commit(batch({ results: [result('r1')], incidentsOpened: [incident('i1', T0)] }));
      await assert.rejects(store.commit(batch({ results: [result('r2', { startedAt: T0 + MINUTE })], incidentsOpened: [incident('i1', T0)] })));
      await store.commit(batch({ results: [result('r3', { startedAt: T0 + 2 * MINUTE })] }));
      const [hour] = await store.listRollups('m1', 'hour', T0, T0 + HOUR);
      assert.equal(hour?.count, 2);
      const [day] = await store.listRollups('m1', 'day', T0 - DAY, T0 + DAY);
      assert.equal(day?.count, 2);
    });

    it('commits a large batch in chunks', async () => {
      const count = 5_000;
      const results = Array.from({ length: count }, (_, n) =>
        result(id('big', n), { monitorId: `m${n % 50}`, startedAt: T0 + n * 1_000, latencyMs: n % 700, details: { type: 'http', status: 200 + (n % 7) } }),
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

    it('keeps the hub heartbeat and its gaps, in the batch transaction', async () => {
      assert.equal(await store.transact((tx) => tx.hub.lastBeat()), undefined);
      await store.transact(async (tx) => {
        await tx.hub.beat(T0);
        await tx.hub.beat(T0 + 5);
        await tx.hub.recordGap({ from: T0 - HOUR, to: T0 - 30 * MINUTE });
        await tx.hub.recordGap({ from: T0 - HOUR, to: T0 - 30 * MINUTE });
        await tx.hub.recordGap({ from: T0 + HOUR, to: T0 + 2 * HOUR });
      });
      assert.equal(await store.transact((tx) => tx.hub.lastBeat()), T0 + 5);
      assert.deepEqual(await store.listHubGaps(T0 - 40 * MINUTE, T0 + 90 * MINUTE), [
        { from: T0 - HOUR, to: T0 - 30 * MINUTE },
        { from: T0 + HOUR, to: T0 + 2 * HOUR },
      ]);
      assert.deepEqual(await store.listHubGaps(T0, T0 + HOUR), []);
      await assert.rejects(store.transact(async (tx) => {
        await tx.hub.beat(T0 + 10);
        throw new Error('the batch failed');
      }));
      assert.equal(await store.transact((tx) => tx.hub.lastBeat()), T0 + 5, 'nothing of a failed batch');
    });

    it('keeps agents: token hashes, one key each, revocation and re-issue, last contact', async () => {
      await store.agents.add({ name: 'a1', region: 'eu-west', tokenHash: 'hash-1', createdAt: T0 });
      await store.agents.add({ name: 'a0', tokenHash: 'hash-0', createdAt: T0 + 1 });
      await assert.rejects(store.agents.add({ name: 'a1', tokenHash: 'hash-2', createdAt: T0 + 2 }), (error: Error & { code?: string }) => error.code === 'agent_exists');
      assert.equal(await store.agents.registerKey('a1', 'key-1'), 'registered');
      assert.equal(await store.agents.registerKey('a1', 'key-1'), 'unchanged');
      assert.equal(await store.agents.registerKey('a1', 'key-2'), 'conflict');
      await store.agents.seen('a1', T0 + 5, '127.0.0.3', 'eu-says');
      await store.agents.seen('a1', T0 + 10, '127.0.0.2');
      assert.deepEqual(await store.agents.list(), [
        { name: 'a0', tokenHash: 'hash-0', createdAt: T0 + 1 },
        { name: 'a1', region: 'eu-west', tokenHash: 'hash-1', publicKey: 'key-1', createdAt: T0, lastSeenAt: T0 + 10, lastAddress: '127.0.0.2', claimedRegion: 'eu-says' },
      ]);
      assert.equal(await store.agents.revoke('a1', T0 + 20), true);
      assert.equal(await store.agents.revoke('a1', T0 + 21), false, 'revoked once');
      assert.equal(await store.agents.revoke('nobody', T0 + 21), false);
      assert.equal((await store.agents.list()).find((a) => a.name === 'a1')?.revokedAt, T0 + 20);
      // A revoked name may be issued again: a new token, and the old key forgotten.
      await store.agents.add({ name: 'a1', tokenHash: 'hash-3', createdAt: T0 + 30 });
      assert.deepEqual((await store.agents.list()).find((a) => a.name === 'a1'), { name: 'a1', tokenHash: 'hash-3', createdAt: T0 + 30 });
    });

    it('keeps signed batches in the same transaction as their observations, once per digest', async () => {
      const signed = {
        digest: 'digest-1',
        agent: 'a1',
        signature: 'sig',
        sentAt: T0,
        receivedAt: T0 + 5,
        observations: 3,
        covers: [{ monitorId: 'web', from: T0 - 2000, to: T0 - 1000, count: 2 }],
        refused: [{ monitorId: 'nope', startedAt: T0 }],
      };
      await assert.rejects(store.transact(async (tx) => {
        await tx.batches.record(signed);
        throw new Error('the batch failed');
      }));
      assert.equal(await store.getBatch('digest-1'), undefined, 'nothing of a failed transaction');
      await store.transact((tx) => tx.batches.record(signed));
      await store.transact((tx) => tx.batches.record({ ...signed, receivedAt: T0 + 99 }));
      assert.deepEqual(await store.getBatch('digest-1'), signed, 'the first copy is kept');
      await store.transact((tx) => tx.batches.record({ ...signed, digest: 'digest-2', receivedAt: T0 + 10, refused: [] }));
      assert.deepEqual((await store.listBatches('a1', { limit: 10 })).map((b) => [b.digest, b.refused.length]), [['digest-2', 0], ['digest-1', 1]]);
      assert.deepEqual((await store.listBatches('a1', { before: T0 + 10, limit: 10 })).map((b) => b.digest), ['digest-1']);
      assert.deepEqual(await store.listBatches('a2', { limit: 10 }), []);
    });

    managementContract(() => store);
    provenanceContract(() => store);

    it('reports a database size above zero', async () => {
      await store.commit(batch({ results: [result('r1')] }));
      assert.ok((await store.sizeBytes()) > 0);
    });

    declaredContract(() => store);
  });
}
