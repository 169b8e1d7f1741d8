// The declared ledger's part of the storage contract (run inside storageContract on both engines).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/store.js';
import type { DeclaredIncident, DeclaredPoll } from '../../src/domain/declared.js';
import { MINUTE, T0 } from './fixtures.js';

const incident = (overrides: Partial<DeclaredIncident> = {}): DeclaredIncident => ({
  externalId: 'inc-1',
  title: 'Elevated errors',
  impact: 'major',
  declaredAt: T0 + 7 * MINUTE,
  startedAt: T0 + 5 * MINUTE,
  components: ['API'],
  updates: [{ at: T0 + 7 * MINUTE, status: 'investigating', body: 'We are looking into it — “quotes” ü' }],
  url: 'https://status.example/incidents/1',
  ...overrides,
});

const poll = (at: number, overall: DeclaredPoll['statuses'][number]['status'], extra: Partial<DeclaredPoll> = {}): DeclaredPoll => ({
  sourceId: 'status-example-abc123',
  at,
  statuses: [{ scope: '', status: overall, ...(overall === 'unavailable' ? { reason: 'timeout: no answer' } : {}) }],
  incidents: [],
  ...extra,
});

export function declaredContract(store: () => Store): void {
  it('keeps declared statuses as changes, with first and last seen', async () => {
    const s = store();
    for (const [minute, status] of [[0, 'operational'], [2, 'operational'], [4, 'operational'], [6, 'major_outage'], [8, 'major_outage'], [10, 'unavailable'], [12, 'operational']] as const) {
      await s.transact((tx) => tx.declared.record(poll(T0 + minute * MINUTE, status)));
    }
    const rows = await s.declared.statuses(['status-example-abc123'], T0, T0 + HOUR);
    assert.deepEqual(
      rows.map((r) => [r.status, (r.firstSeen - T0) / MINUTE, (r.lastSeen - T0) / MINUTE, r.reason]),
      [
        ['operational', 0, 4, undefined],
        ['major_outage', 6, 8, undefined],
        ['unavailable', 10, 10, 'timeout: no answer'],
        ['operational', 12, 12, undefined],
      ],
    );
    // The row holding when a range begins comes with it, even if last seen before the range.
    const later = await s.declared.statuses(['status-example-abc123'], T0 + 5 * MINUTE, T0 + 7 * MINUTE);
    assert.deepEqual(later.map((r) => r.status), ['operational', 'major_outage']);
    const latest = await s.declared.latest();
    assert.deepEqual(latest.map((r) => [r.scope, r.status]), [['', 'operational']]);
    const [source] = await s.declared.sources();
    assert.equal(source?.lastPollAt, T0 + 12 * MINUTE);
    assert.equal(source?.lastSuccessAt, T0 + 12 * MINUTE);
    assert.equal(source?.failure, undefined);
  });

  it('records a failed poll as unavailable with its reason, and upserts declared incidents with their updates', async () => {
    const s = store();
    await s.transact((tx) => tx.declared.record(poll(T0, 'operational')));
    await s.transact((tx) => tx.declared.record({ ...poll(T0 + MINUTE, 'unavailable'), failure: { kind: 'timeout', message: 'no answer' } }));
    const [source] = await s.declared.sources();
    assert.deepEqual(source, { sourceId: 'status-example-abc123', lastPollAt: T0 + MINUTE, lastSuccessAt: T0, failure: { kind: 'timeout', message: 'no answer' } });

    await s.transact((tx) => tx.declared.record(poll(T0 + 8 * MINUTE, 'major_outage', { incidents: [incident()] })));
    const resolved = incident({
      resolvedAt: T0 + 30 * MINUTE,
      updates: [...incident().updates, { at: T0 + 30 * MINUTE, status: 'resolved', body: 'Fixed' }],
    });
    await s.transact((tx) => tx.declared.record(poll(T0 + 32 * MINUTE, 'operational', { incidents: [resolved] })));
    const incidents = await s.declared.incidents(['status-example-abc123'], T0, T0 + HOUR);
    assert.deepEqual(incidents, [{ ...resolved, sourceId: 'status-example-abc123', firstSeen: T0 + 8 * MINUTE, lastSeen: T0 + 32 * MINUTE }]);
    assert.deepEqual(await s.declared.incidents(['status-example-abc123'], T0 + 2 * HOUR, T0 + 3 * HOUR), []);
    assert.deepEqual(await s.declared.incidents(['other'], T0, T0 + HOUR), []);
  });

  it('prunes rows and incidents last seen before the rollup cut-off, keeping what each scope says now', async () => {
    const s = store();
    await s.transact((tx) => tx.declared.record(poll(T0, 'major_outage', { incidents: [incident()] })));
    await s.transact((tx) => tx.declared.record(poll(T0 + MINUTE, 'operational')));
    await s.prune(T0 - HOUR, T0 + 30 * MINUTE);
    assert.deepEqual((await s.declared.statuses(['status-example-abc123'], 0, T0 + HOUR)).map((r) => r.status), ['operational']);
    assert.deepEqual(await s.declared.incidents(['status-example-abc123'], 0, T0 + HOUR), []);
  });

  it('writes nothing of a poll whose transaction fails', async () => {
    const s = store();
    await assert.rejects(
      s.transact(async (tx) => {
        await tx.declared.record(poll(T0, 'major_outage', { incidents: [incident()] }));
        throw new Error('boom');
      }),
    );
    assert.deepEqual(await s.declared.latest(), []);
    assert.deepEqual(await s.declared.sources(), []);
    assert.deepEqual(await s.declared.incidents(['status-example-abc123'], 0, T0 + HOUR), []);
  });
}

const HOUR = 60 * MINUTE;
