// The storage contract of API tokens and the audit log, run on every engine (sqlite.test.ts, postgres.test.ts).
import { afterEach, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { AuditEntry } from '../../src/domain/audit.js';
import type { Store } from '../../src/storage/store.js';
import type { OpenedStore } from './contract.js';
import { DAY, MINUTE, T0 } from './fixtures.js';

const entry = (id: string, at: number, overrides: Partial<AuditEntry> & { anonymous?: true } = {}): AuditEntry => {
  const { anonymous, ...rest } = overrides;
  return {
    id,
    at,
    ...(anonymous ? {} : { token: 'deploy-bot' }),
    method: 'POST',
    route: '/api/v1/monitors/:id/pause',
    target: { id: 'shop' },
    status: 200,
    address: '127.0.0.1',
    ...rest,
  };
};

export function accessContract(name: string, open: () => Promise<OpenedStore>): void {
  describe(`${name} storage contract: API tokens and audit log`, () => {
    let opened: OpenedStore;
    let store: Store;
    beforeEach(async () => {
      opened = await open();
      store = opened.store;
      await store.migrate();
    });
    afterEach(() => opened.cleanup());

    it('adds, lists, revokes and re-issues tokens; an active name is a conflict', async () => {
      await store.tokens.add({ name: 'b-bot', scope: 'write', tokenHash: 'hash-b', createdAt: T0 });
      await store.tokens.add({ name: 'a-admin', scope: 'admin', tokenHash: 'hash-a', createdAt: T0 + 1 });
      assert.deepEqual(await store.tokens.list(), [
        { name: 'a-admin', scope: 'admin', tokenHash: 'hash-a', createdAt: T0 + 1 },
        { name: 'b-bot', scope: 'write', tokenHash: 'hash-b', createdAt: T0 },
      ]);
      await assert.rejects(store.tokens.add({ name: 'b-bot', scope: 'read', tokenHash: 'hash-c', createdAt: T0 }), { code: 'token_exists' });
      assert.equal(await store.tokens.revoke('b-bot', T0 + 5), true);
      assert.equal(await store.tokens.revoke('b-bot', T0 + 6), false, 'already revoked');
      assert.equal(await store.tokens.revoke('nobody', T0 + 6), false);
      assert.equal((await store.tokens.list())[1]?.revokedAt, T0 + 5);
      await store.tokens.add({ name: 'b-bot', scope: 'read', tokenHash: 'hash-d', createdAt: T0 + 9 });
      assert.deepEqual((await store.tokens.list())[1], { name: 'b-bot', scope: 'read', tokenHash: 'hash-d', createdAt: T0 + 9 });
    });

    it('records audit entries in a transaction and pages them newest first, by time then id', async () => {
      const entries = [
        entry('01A', T0),
        entry('01B', T0 + MINUTE, { anonymous: true, status: 401, target: {} }),
        entry('01C', T0 + MINUTE, { method: 'DELETE', route: '/api/v1/monitors/:id', target: { id: 'ünïcode "quoted"' } }),
        entry('01D', T0 + 2 * MINUTE),
      ];
      await store.transact((tx) => tx.audit.record(entries.slice(0, 2)));
      await store.transact((tx) => tx.audit.record(entries.slice(2)));
      await store.transact((tx) => tx.audit.record([]));
      const first = await store.listAudit({ limit: 2 });
      assert.deepEqual(first, [entries[3], entries[2]]);
      const second = await store.listAudit({ limit: 2, before: '01C' });
      assert.deepEqual(second, [entries[1], entries[0]]);
      assert.deepEqual(await store.listAudit({ limit: 2, before: '01A' }), []);
      assert.deepEqual(await store.listAudit({ limit: 10, before: '01BZZZ' }), [entries[1], entries[0]], 'a cursor whose row is gone still pages by id');
    });

    it('writes no audit entry of a transaction that fails', async () => {
      await assert.rejects(
        store.transact(async (tx) => {
          await tx.audit.record([entry('01X', T0)]);
          throw new Error('the write it describes failed');
        }),
      );
      assert.deepEqual(await store.listAudit({ limit: 10 }), []);
    });

    it('prunes audit entries with the rollups', async () => {
      await store.transact((tx) => tx.audit.record([entry('01A', T0 - 2 * DAY), entry('01B', T0)]));
      await store.prune(T0, T0 - DAY);
      assert.deepEqual((await store.listAudit({ limit: 10 })).map((e) => e.id), ['01B']);
    });
  });
}
