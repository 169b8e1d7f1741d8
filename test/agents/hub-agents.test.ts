// Which vantages are online: heartbeats on fake time, over a real SQLite store.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { HubAgents } from '../../src/agents/hub-agents.js';
import { hashAgentToken } from '../../src/agents/tokens.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { FakeTime } from '../support/fake-time.js';

describe('agent heartbeats', () => {
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-heartbeats-'));
    store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
    await store.agents.add({ name: 'a1', tokenHash: hashAgentToken('candor_t1'), createdAt: 0 });
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('pending until heard from, online while heartbeats come, offline after three missed, online again', async () => {
    const time = new FakeTime();
    const agents = new HubAgents({ store, clock: time, log: pino({ level: 'silent' }), local: { name: 'local', region: 'home' }, heartbeatMs: 15_000 });
    const stateOf = async () => (await agents.views()).find((v) => v.name === 'a1')!.connection;
    assert.equal(await stateOf(), 'pending');
    const agent = await agents.authenticate('Bearer candor_t1', '127.0.0.1');
    await agents.contact(agent, '127.0.0.1', { buffered: 3, dropped: 0, claimedRegion: 'moon' });
    assert.equal(await stateOf(), 'online');
    await time.advance(45_000);
    assert.equal(await stateOf(), 'online', 'three heartbeats late is still the third');
    await time.advance(1);
    assert.equal(await stateOf(), 'offline');
    await agents.contact(agent, '127.0.0.1');
    assert.equal(await stateOf(), 'online');
    const views = await agents.views();
    assert.deepEqual(views[0], { name: 'local', kind: 'hub', connection: 'online', lastSeenAt: time.now(), region: 'home' });
    assert.equal(views[1]!.buffered, 3);
    assert.equal(views[1]!.claimedRegion, 'moon');
    assert.deepEqual([...agents.names()].sort(), ['a1', 'local']);
  });

  it('refuses a missing, malformed or unknown token with a typed 401 error', async () => {
    const agents = new HubAgents({ store, clock: new FakeTime(), log: pino({ level: 'silent' }), local: { name: 'local' }, heartbeatMs: 15_000 });
    for (const header of [undefined, 'Basic x', 'Bearer candor_other', 'Bearer ' + 'x'.repeat(500)]) {
      await assert.rejects(agents.authenticate(header, '127.0.0.1'), (error: Error & { code?: string }) => error.code === 'unauthorized');
    }
  });
});
