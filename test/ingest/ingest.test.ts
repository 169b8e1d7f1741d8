import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { Ingest } from '../../src/ingest/ingest.js';
import { createIds } from '../../src/runtime/ids.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { IngestBatch, Store } from '../../src/storage/store.js';
import { FakeTime } from '../support/fake-time.js';
import { result, MINUTE } from '../storage/fixtures.js';

const config = parseConfig(
  `
monitors:
  - { id: a, name: Alpha, type: tcp, host: 127.0.0.1, port: 9, failureThreshold: 2, successThreshold: 1 }
  - { id: b, name: Beta, type: tcp, host: 127.0.0.1, port: 9, paused: true }
`,
  'candor.yaml',
  {},
);
const monitors = new Map(config.monitors.map((m) => [m.id, m]));
const log = pino({ level: 'silent' });

describe('Ingest', () => {
  let dir: string;
  let store: Store;
  let file: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ingest-'));
    file = join(dir, 'candor.db');
    store = await openSqliteStore(file);
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function ingestOn(target: Store, time: FakeTime, events: string[] = []) {
    return new Ingest({
      store: target,
      clock: time,
      timers: time,
      ids: createIds(time),
      log,
      monitors,
      options: { flushIntervalMs: 1000, maxBatch: 100 },
      onEvents: (list) => events.push(...list.map((e) => `${e.monitorId}:${e.event.type}`)),
    });
  }

  it('restores states (new monitors pending, paused ones paused) and writes them', async () => {
    const time = new FakeTime(0);
    const ingest = ingestOn(store, time);
    await ingest.restore();
    assert.equal(ingest.states().get('a')?.status, 'pending');
    assert.equal(ingest.states().get('b')?.status, 'paused');
    await ingest.flush();
    const stored = await store.listStates();
    assert.deepEqual(stored.map((s) => [s.monitorId, s.status]).sort(), [
      ['a', 'pending'],
      ['b', 'paused'],
    ]);
  });

  it('writes results in periodic batches and opens one incident after the threshold', async () => {
    const time = new FakeTime(0);
    const events: string[] = [];
    const ingest = ingestOn(store, time, events);
    await ingest.restore();
    ingest.start();
    const fail = (n: number) =>
      result(`r-fail-${n}`, { monitorId: 'a', startedAt: n * MINUTE, ok: false, error: { kind: 'connect_refused', message: 'refused' } });
    ingest.add(fail(1));
    ingest.add(fail(2));
    assert.equal((await store.listResults('a', { limit: 10 })).length, 0, 'nothing written before the flush');
    await time.advance(1000);
    assert.equal((await store.listResults('a', { limit: 10 })).length, 2);
    assert.deepEqual(events, ['a:went_down']);
    const open = await store.listIncidents({ state: 'open', limit: 10 });
    assert.equal(open.length, 1);
    assert.equal(open[0]!.title, 'Alpha is down');
    ingest.add(result('r-ok-3', { monitorId: 'a', startedAt: 3 * MINUTE }));
    await ingest.stop();
    assert.deepEqual(events, ['a:went_down', 'a:recovered']);
    assert.equal((await store.listIncidents({ state: 'open', limit: 10 })).length, 0);
    assert.equal(ingest.states().get('a')?.status, 'up');
  });

  it('keeps a batch whose commit failed and writes it on the next flush, without double effects', async () => {
    const time = new FakeTime(0);
    let failNext = true;
    const flaky: Store = Object.create(store, {
      commit: {
        value: async (b: IngestBatch) => {
          if (failNext) {
            failNext = false;
            throw new Error('disk full');
          }
          return store.commit(b);
        },
      },
    });
    const events: string[] = [];
    const ingest = ingestOn(flaky, time, events);
    await ingest.restore();
    const before = (await store.listIncidents({ limit: 100 })).length;
    for (const n of [10, 11]) {
      ingest.add(result(`r-x-${n}`, { monitorId: 'a', startedAt: n * MINUTE, ok: false, error: { kind: 'timeout', message: 't' } }));
    }
    await ingest.flush();
    assert.equal(ingest.buffered, 2, 'the failed batch is kept');
    assert.deepEqual(events, [], 'no events for an unwritten batch');
    assert.equal(ingest.states().get('a')?.status, 'up', 'state unchanged until written');
    await ingest.flush();
    assert.equal(ingest.buffered, 0);
    assert.deepEqual(events, ['a:went_down']);
    assert.equal((await store.listIncidents({ limit: 100 })).length, before + 1, 'exactly one new incident');
  });

  it('a new Ingest on the same database resumes the open incident instead of opening another', async () => {
    const time = new FakeTime(0);
    const resumed = ingestOn(store, time);
    await resumed.restore();
    const state = resumed.states().get('a');
    assert.equal(state?.status, 'down');
    const open = await store.listIncidents({ state: 'open', limit: 10 });
    assert.equal(state?.openIncidentId, open[0]!.id);
    resumed.add(result('r-x-12', { monitorId: 'a', startedAt: 12 * MINUTE, ok: false, error: { kind: 'timeout', message: 't' } }));
    resumed.add(result('r-x-13', { monitorId: 'a', startedAt: 13 * MINUTE, ok: false, error: { kind: 'timeout', message: 't' } }));
    await resumed.flush();
    assert.equal((await store.listIncidents({ state: 'open', limit: 10 })).length, 1);
  });
});

describe('Ingest under storage failure', () => {
  it('retries on the timer, not on every new result, and stop() writes every remaining batch', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-ingest-stop-'));
    const store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
    let failing = true;
    let attempts = 0;
    const flaky: Store = Object.create(store, {
      commit: {
        value: async (b: IngestBatch) => {
          attempts++;
          if (failing) throw new Error('database is locked');
          return store.commit(b);
        },
      },
    });
    const time = new FakeTime(0);
    const ingest = new Ingest({ store: flaky, clock: time, timers: time, ids: createIds(time), log, monitors, options: { flushIntervalMs: 1000, maxBatch: 100 } });
    await ingest.restore();
    ingest.start();
    for (let i = 0; i < 250; i++) ingest.add(result(`s${String(i).padStart(4, '0')}`, { monitorId: 'a', startedAt: i * 1000 }));
    await time.advance(0);
    assert.ok(attempts <= 2, `commit attempted ${attempts} times for 250 results while failing`);
    failing = false;
    await ingest.stop();
    assert.equal(ingest.buffered, 0);
    assert.equal((await store.listResults('a', { limit: 1000 })).length, 250);
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('Ingest when this machine loses its network', () => {
  const offline = parseConfig(
    `
monitors:
  - { id: video, type: http, url: "https://video.example/", failureThreshold: 2, successThreshold: 1 }
  - { id: social, type: http, url: "https://social.example/", failureThreshold: 2, successThreshold: 1 }
  - { id: pay, type: tcp, host: pay.example, port: 443, failureThreshold: 2, successThreshold: 1 }
`,
    'candor.yaml',
    {},
  );

  it('opens no incident while every check fails before reaching its target, and confirms a real outage after', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-ingest-vantage-'));
    const store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
    const time = new FakeTime(0);
    const events: string[] = [];
    const changes: boolean[] = [];
    const ingest = new Ingest({
      store,
      clock: time,
      timers: time,
      ids: createIds(time),
      log,
      monitors: new Map(offline.monitors.map((m) => [m.id, m])),
      onEvents: (list) => events.push(...list.map((e) => `${e.monitorId}:${e.event.type}`)),
      onVantageChange: (impaired) => changes.push(impaired),
    });
    await ingest.restore();
    let n = 0;
    const check = (monitorId: string, kind?: 'dns_timeout' | 'http_status') =>
      result(`v${String(n++).padStart(4, '0')}`, {
        monitorId,
        startedAt: time.now(),
        ok: kind === undefined,
        ...(kind ? { error: { kind, message: kind } } : {}),
      });

    for (const id of ['video', 'social', 'pay']) ingest.add(check(id));
    await ingest.flush();
    // The uplink goes: three rounds of DNS timeouts everywhere.
    for (let round = 0; round < 3; round++) {
      await time.advance(60_000);
      for (const id of ['video', 'social', 'pay']) ingest.add(check(id, 'dns_timeout'));
      await ingest.flush();
    }
    assert.deepEqual(events, [], 'no platform is blamed for our outage');
    assert.equal(ingest.vantageImpaired, true);
    assert.equal((await store.listIncidents({ limit: 10 })).length, 0);
    const stored = await store.listResults('video', { limit: 10 });
    assert.deepEqual(stored.map((r) => r.inconclusive === true), [true, true, true, false], 'kept as evidence, flagged');
    const [hour] = await store.listRollups('video', 'hour', 0, time.now() + 1);
    assert.deepEqual([hour?.count, hour?.okCount], [1, 1], 'not counted against the platform in uptime');

    // The network is back; video answers 503 twice (a real outage), the others answer.
    for (let round = 0; round < 2; round++) {
      await time.advance(60_000);
      ingest.add(check('video', 'http_status'));
      ingest.add(check('social'));
      ingest.add(check('pay'));
      await ingest.flush();
    }
    assert.equal(ingest.vantageImpaired, false);
    assert.deepEqual(changes, [true, false]);
    assert.deepEqual(events, ['video:went_down']);
    await ingest.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
