// The storage contract of what the management API writes (monitors, maintenance windows, operators'
// incident updates), run inside storageContract on every engine.
import { it } from 'node:test';
import assert from 'node:assert/strict';
import type { Store } from '../../src/storage/store.js';
import { HOUR, T0, entry, incident } from './fixtures.js';

export function managementContract(store: () => Store): void {
  it('keeps monitors made through the API: insert, replace, delete, oldest first', async () => {
    await store().transact(async (tx) => {
      await tx.management.putMonitor({ id: 'b', body: { id: 'b', type: 'tcp', host: 'x', port: 1, note: 'NUL \u0000 kept as JSON text' }, createdAt: T0, updatedAt: T0 });
      await tx.management.putMonitor({ id: 'a', body: { id: 'a', type: 'tcp', host: 'y', port: 2 }, createdAt: T0 + 1, updatedAt: T0 + 1 });
    });
    await store().transact((tx) => tx.management.putMonitor({ id: 'b', body: { id: 'b', type: 'tcp', host: 'z', port: 3, paused: true }, createdAt: T0 + 5, updatedAt: T0 + 10 }));
    const listed = await store().listApiMonitors();
    assert.deepEqual(listed.map((m) => [m.id, m.createdAt, m.updatedAt, m.body['host'], m.body['paused']]), [['b', T0, T0 + 10, 'z', true], ['a', T0 + 1, T0 + 1, 'y', undefined]]);
    assert.equal(await store().transact((tx) => tx.management.deleteMonitor('b')), true);
    assert.equal(await store().transact((tx) => tx.management.deleteMonitor('b')), false);
    assert.deepEqual((await store().listApiMonitors()).map((m) => m.id), ['a']);
  });

  it('keeps maintenance windows made through the API', async () => {
    const fixed = { kind: 'fixed', startAt: T0, endAt: T0 + HOUR, title: 'Upgrade' } as const;
    const cron = { kind: 'cron', cron: '0 3 * * 0', durationMs: HOUR, timezone: 'Europe/Berlin' } as const;
    await store().transact(async (tx) => {
      await tx.management.addMaintenance({ id: 'w1', title: 'Upgrade', monitorIds: ['m1'], components: [], window: fixed, createdAt: T0 });
      await tx.management.addMaintenance({ id: 'w2', monitorIds: [], components: ['Core', 'API'], window: cron, createdAt: T0 + 1 });
    });
    assert.deepEqual(await store().listMaintenance(), [
      { id: 'w1', title: 'Upgrade', monitorIds: ['m1'], components: [], window: fixed, createdAt: T0 },
      { id: 'w2', monitorIds: [], components: ['Core', 'API'], window: cron, createdAt: T0 + 1 },
    ]);
    assert.equal(await store().transact((tx) => tx.management.deleteMaintenance('w1')), true);
    assert.equal(await store().transact((tx) => tx.management.deleteMaintenance('w1')), false);
    assert.deepEqual((await store().listMaintenance()).map((w) => w.id), ['w2']);
  });

  it('keeps manual incidents with status, impact and components, and operators\' updates', async () => {
    const manual = incident('man-1', T0, {
      source: 'manual',
      status: 'investigating',
      impact: 'major',
      components: ['Website'],
      monitorIds: ['m1', 'm2'],
      timeline: [entry('man-1-u1', 'man-1', T0, { kind: 'update', status: 'investigating', message: '**Looking**' })],
    });
    await store().transact((tx) => tx.incidents.open([manual]));
    await store().transact(async (tx) => {
      await tx.incidents.append([entry('man-1-u2', 'man-1', T0 + 10, { kind: 'update', status: 'resolved', message: 'Fixed' })]);
      await tx.incidents.amend({ id: 'man-1', status: 'resolved', impact: 'minor', resolvedAt: T0 + 10 });
    });
    const read = await store().getIncident('man-1');
    assert.deepEqual(
      { ...read, timeline: read?.timeline.map((e) => [e.kind, e.status, e.message]) },
      {
        id: 'man-1',
        title: 'Incident man-1',
        state: 'resolved',
        monitorIds: ['m1', 'm2'],
        startedAt: T0,
        resolvedAt: T0 + 10,
        source: 'manual',
        status: 'resolved',
        impact: 'minor',
        components: ['Website'],
        timeline: [
          ['update', 'investigating', '**Looking**'],
          ['update', 'resolved', 'Fixed'],
        ],
      },
    );
    // Incidents Candor opened keep none of these fields.
    await store().transact((tx) => tx.incidents.open([incident('auto-1', T0)]));
    const automatic = await store().transact((tx) => tx.incidents.get('auto-1'));
    assert.deepEqual([automatic?.source, automatic?.status, automatic?.impact, automatic?.components, automatic?.timeline[0]?.status], [undefined, undefined, undefined, undefined, undefined]);
  });
}
