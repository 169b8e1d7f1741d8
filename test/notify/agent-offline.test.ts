// An offline agent is written to the outbox once per silence, also across a restart of the hub.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import pino from 'pino';
import type { VantageView } from '../../src/agents/hub-agents.js';
import { AgentOfflineWatch } from '../../src/notify/agent-offline.js';
import { planConfigOf } from '../../src/notify/alerting.js';
import { createIds } from '../../src/runtime/ids.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { parse, yaml } from '../config/support.js';
import { FakeTime } from '../support/fake-time.js';

const directory = mkdtempSync(join(tmpdir(), 'candor-agent-offline-'));
after(() => rmSync(directory, { recursive: true, force: true }));

describe('AgentOfflineWatch', () => {
  it('writes each silence once, every heartbeat looks again, a new watch (restart) adds nothing', async () => {
    const store = await openSqliteStore(join(directory, 'watch.db'));
    await store.migrate();
    const config = parse(yaml`
      monitors: [{ id: api, type: tcp, host: localhost, port: 22 }]
      channels: [{ id: ops, url: "ntfy://alerts" }]
      routes: [{ events: [agent_offline], channels: [ops] }]
    `);
    const plan = planConfigOf(config, new Map(config.monitors.map((m) => [m.id, m])));
    const time = new FakeTime();
    let views: VantageView[] = [{ name: 'a1', kind: 'agent', connection: 'online', lastSeenAt: time.now() }];
    let woken = 0;
    const watch = () =>
      new AgentOfflineWatch({ config: plan, views: async () => views, store, ids: createIds(time), clock: time, timers: time, log: pino({ level: 'silent' }), everyMs: 15_000, onWritten: () => woken++ });
    const first = watch();
    first.start();
    await time.advance(15_000);
    assert.equal((await store.outbox.list({ limit: 10 })).length, 0);
    views = [{ name: 'a1', kind: 'agent', connection: 'offline', lastSeenAt: time.now() - 45_000 }];
    await time.advance(45_000);
    first.stop();
    const second = watch();
    await second.check();
    const written = await store.outbox.list({ limit: 10 });
    assert.deepEqual(written.map((n) => [n.channelId, n.notice.kind, n.notice.agent?.name]), [['ops', 'agent_offline', 'a1']]);
    assert.equal(woken, 2, 'the first watch wrote once; the second wrote nothing new but woke the worker');
    await store.close();
  });
});
