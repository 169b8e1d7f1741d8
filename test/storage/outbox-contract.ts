// The outbox part of the storage contract, run on SQLite and PostgreSQL (sqlite.test.ts, postgres.test.ts).
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Notice } from '../../src/domain/alerting.js';
import type { OutboxEntry, Store } from '../../src/storage/store.js';
import type { OpenedStore } from './contract.js';
import { T0 } from './fixtures.js';

const notice = (id: string, kind: Notice['kind'] = 'went_down'): Notice => ({ kind, at: T0, monitors: [{ id, name: id.toUpperCase(), component: 'Core' }] });
const entry = (id: string, overrides: Partial<OutboxEntry> = {}): OutboxEntry => ({
  id,
  channelId: 'ops',
  dedup: `went_down:${id}`,
  notice: notice(id),
  createdAt: T0,
  dueAt: T0 + 1000,
  ...overrides,
});

export function outboxContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} outbox contract`, () => {
    let opened: OpenedStore;
    let store: Store;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterEach(async () => opened.cleanup());

    it('adds once per channel and dedup, and lists newest first', async () => {
      await store.transact((tx) => tx.outbox.add([entry('01A'), entry('01B', { dedup: 'other', createdAt: T0 + 1 }), entry('01C', { channelId: 'mail' })]));
      // Planned again (a retried batch): same dedup, new id, nothing added.
      await store.transact((tx) => tx.outbox.add([entry('01Z', { dedup: 'went_down:01A' })]));
      const listed = await store.outbox.list({ limit: 10 });
      assert.deepEqual(listed.map((n) => n.id), ['01B', '01C', '01A']);
      assert.deepEqual(listed[2], { ...entry('01A'), state: 'pending', attempts: 0, updatedAt: T0 });
      assert.deepEqual((await store.outbox.list({ limit: 10, channelId: 'ops', before: '01B' })).map((n) => n.id), ['01A']);
    });

    it('hands out due notifications per channel, and settles them', async () => {
      await store.transact((tx) => tx.outbox.add([entry('01A'), entry('01B', { dedup: 'b', dueAt: T0 + 5000 }), entry('01C', { channelId: 'mail' })]));
      assert.deepEqual((await store.outbox.due('ops', T0 + 1000, 10)).map((n) => n.id), ['01A']);
      assert.equal(await store.outbox.nextDueAt('ops'), T0 + 1000);
      await store.transact((tx) => tx.outbox.settle('01A', { state: 'pending', attempts: 1, at: T0 + 1000, dueAt: T0 + 9000, lastStatus: 502, lastError: 'HTTP 502' }));
      assert.equal(await store.outbox.nextDueAt('ops'), T0 + 5000);
      await store.transact((tx) => tx.outbox.settle('01A', { state: 'delivered', attempts: 2, at: T0 + 9000, answer: 'ok' }));
      const delivered = await store.outbox.get('01A');
      assert.equal(delivered?.state, 'delivered');
      assert.equal(delivered?.deliveredAt, T0 + 9000);
      assert.equal(delivered?.lastError, 'HTTP 502');
      assert.equal(delivered?.answer, 'ok');
      assert.equal(await store.outbox.nextDueAt('nobody'), undefined);
      assert.equal(await store.outbox.prune(T0 + 9001), 1);
      assert.equal(await store.outbox.get('01A'), undefined);
    });

    it('finds an open group only before it is due and attempted, and cancels reminders', async () => {
      await store.transact((tx) => tx.outbox.add([entry('01A', { groupKey: 'went_down' }), entry('01R', { dedup: 'r', monitorId: 'api', remindEveryMs: 3_600_000, dueAt: T0 + 3_600_000 })]));
      assert.equal((await store.transact((tx) => tx.outbox.openGroup('ops', 'went_down', T0)))?.id, '01A');
      assert.equal(await store.transact((tx) => tx.outbox.openGroup('ops', 'went_down', T0 + 1000)), undefined);
      const grouped: Notice = { ...notice('a'), monitors: [...notice('a').monitors, ...notice('b').monitors] };
      await store.transact((tx) => tx.outbox.replaceNotice('01A', grouped, T0 + 10));
      assert.deepEqual((await store.outbox.get('01A'))?.notice, grouped);
      await store.transact((tx) => tx.outbox.cancelReminders('api', T0 + 20));
      assert.equal((await store.outbox.get('01R'))?.state, 'cancelled');
      assert.equal((await store.outbox.get('01R'))?.remindEveryMs, 3_600_000);
    });

    it('keeps one subscriber per address, removes it with its pending notifications, and makes a key once', async () => {
      const first = await store.subscribers.upsert({ id: 's1', kind: 'email', address: 'Ann@Example.org', components: ['Core'], regions: [], confirmedAt: T0 });
      const again = await store.subscribers.upsert({ id: 's2', kind: 'email', address: 'ann@example.org ', components: [], regions: ['eu-west'], confirmedAt: T0 + 1 });
      assert.equal(again.id, first.id);
      assert.deepEqual(again, { id: 's1', kind: 'email', address: 'Ann@Example.org', components: [], regions: ['eu-west'], confirmedAt: T0 + 1 });
      assert.deepEqual(await store.transact((tx) => tx.subscribers.list()), [again]);
      await store.transact((tx) => tx.outbox.add([entry('01S', { channelId: 'subscribers', subscriberId: 's1' })]));
      assert.equal((await store.outbox.get('01S'))?.subscriberId, 's1');
      assert.equal(await store.subscribers.remove('s1'), true);
      assert.equal(await store.subscribers.remove('s1'), false);
      assert.equal(await store.subscribers.get('s1'), undefined);
      assert.equal((await store.outbox.get('01S'))?.state, 'cancelled');
      const key = await store.subscribers.key('links');
      assert.equal(key.length, 32);
      assert.deepEqual(await store.subscribers.key('links'), key);
    });
  });
}
