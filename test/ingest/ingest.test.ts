import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { parseConfig } from '../../src/config/load.js';
import { Ingest } from '../../src/ingest/ingest.js';
import { hubGapWriter } from '../../src/ingest/hub-gaps.js';
import { createIds } from '../../src/runtime/ids.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import type { Store } from '../../src/storage/store.js';
import { FakeTime } from '../support/fake-time.js';
import { observation as result, MINUTE } from '../storage/fixtures.js';

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
      options: { flushIntervalMs: 1000, maxBatch: 100, maxFutureMs: 86_400_000 },
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
      result({ monitorId: 'a', startedAt: n * MINUTE, ok: false, error: { kind: 'connect_refused', message: 'refused' } });
    ingest.add(fail(1));
    ingest.add(fail(2));
    assert.equal((await store.listResults('a', { limit: 10 })).length, 0, 'nothing written before the flush');
    await time.advance(1000);
    assert.equal((await store.listResults('a', { limit: 10 })).length, 2);
    assert.deepEqual(events, ['a:went_down']);
    const open = await store.listIncidents({ state: 'open', limit: 10 });
    assert.equal(open.length, 1);
    assert.equal(open[0]!.title, 'Alpha is down');
    ingest.add(result({ monitorId: 'a', startedAt: 3 * MINUTE }));
    await ingest.stop();
    assert.deepEqual(events, ['a:went_down', 'a:recovered']);
    assert.equal((await store.listIncidents({ state: 'open', limit: 10 })).length, 0);
    assert.equal(ingest.states().get('a')?.status, 'up');
  });

  it('keeps a batch whose commit failed and writes it on the next flush, without double effects', async () => {
    const time = new FakeTime(0);
    let failNext = true;
    const flaky: Store = Object.create(store, {
      transact: {
        value: async (work: Parameters<Store['transact']>[0]) => {
          if (failNext) {
            failNext = false;
            throw new Error('disk full');
          }
          return store.transact(work);
        },
      },
    });
    const events: string[] = [];
    const ingest = ingestOn(flaky, time, events);
    await ingest.restore();
    const before = (await store.listIncidents({ limit: 100 })).length;
    for (const n of [10, 11]) {
      ingest.add(result({ monitorId: 'a', startedAt: n * MINUTE, ok: false, error: { kind: 'timeout', message: 't' } }));
    }
    await ingest.flush();
    assert.equal(ingest.buffered, 2, 'the failed batch is kept');
    assert.deepEqual(events, [], 'no events for an unwritten batch');
    assert.equal(ingest.states().get('a')?.status, 'down', 'the outage is judged in memory meanwhile');
    assert.equal(ingest.states().get('a')?.openIncidentId, undefined, 'but no incident exists until written');
    assert.equal((await store.listIncidents({ limit: 100 })).length, before);
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
    resumed.add(result({ monitorId: 'a', startedAt: 12 * MINUTE, ok: false, error: { kind: 'timeout', message: 't' } }));
    resumed.add(result({ monitorId: 'a', startedAt: 13 * MINUTE, ok: false, error: { kind: 'timeout', message: 't' } }));
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
      transact: {
        value: async (work: Parameters<Store['transact']>[0]) => {
          attempts++;
          if (failing) throw new Error('database is locked');
          return store.transact(work);
        },
      },
    });
    const time = new FakeTime(0);
    const ingest = new Ingest({ store: flaky, clock: time, timers: time, ids: createIds(time), log, monitors, options: { flushIntervalMs: 1000, maxBatch: 100, maxFutureMs: 86_400_000 } });
    await ingest.restore();
    ingest.start();
    for (let i = 0; i < 250; i++) ingest.add(result({ monitorId: 'a', startedAt: i * 1000 }));
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
    const check = (monitorId: string, kind?: 'dns_timeout' | 'http_status') =>
      result({
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

describe('Ingest refuses what it cannot store, with a reason', () => {
  const twoVantages = parseConfig(
    `
monitors:
  - { id: a, name: Alpha, type: tcp, host: 127.0.0.1, port: 9, failureThreshold: 2, successThreshold: 1 }
  - { id: b, name: Beta, type: tcp, host: 127.0.0.1, port: 9, failureThreshold: 1, successThreshold: 1 }
`,
    'candor.yaml',
    {},
  );
  let dir: string;
  let store: Store;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'candor-ingest-refuse-'));
    store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
  });
  after(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  function ingestOn(target: Store, time: FakeTime, specs = twoVantages.monitors, events: string[] = [], extra: Partial<ConstructorParameters<typeof Ingest>[0]> = {}) {
    return new Ingest({
      store: target,
      clock: time,
      timers: time,
      ids: createIds(time),
      log,
      monitors: new Map(specs.map((m) => [m.id, m])),
      vantages: () => new Set(['local', 'agent-b']),
      onEvents: (list) => events.push(...list.map((e) => `${e.monitorId}:${e.event.type}`)),
      ...extra,
    });
  }

  it('unknown monitors and vantages, times far ahead or long gone, and resends: each refused once, with its reason', async () => {
    const now = Date.UTC(2026, 5, 1);
    const time = new FakeTime(now);
    const ingest = ingestOn(store, time);
    await ingest.restore();
    const submitted = ingest.submit([result({ monitorId: 'a', startedAt: now - 1000 })]);
    await ingest.flush();
    const first = await submitted;
    assert.ok('stored' in first[0]!);
    const pending = ingest.submit([
      result({ monitorId: 'nope', startedAt: now }),
      result({ monitorId: 'a', vantage: 'mars', startedAt: now }),
      result({ monitorId: 'a', startedAt: now + 3_600_000 }),
      result({ monitorId: 'a', startedAt: now - 40 * 86_400_000 }),
      result({ monitorId: 'a', startedAt: now - 1000, ok: false, error: { kind: 'timeout', message: 'a resend that differs' } }),
      result({ monitorId: 'a', startedAt: now + 500 }),
      result({ monitorId: 'a', startedAt: now + 500 }),
    ]);
    await time.advance(1000);
    await ingest.flush();
    const outcomes = await pending;
    const reasons = outcomes.map((o) => ('refused' in o ? o.refused.reason : 'stored'));
    assert.deepEqual(reasons, ['unknown_monitor', 'unknown_vantage', 'in_the_future', 'too_old', 'duplicate', 'stored', 'duplicate']);
    for (const o of outcomes) if ('refused' in o) assert.ok(o.refused.message.length > 10, o.refused.message);
    const stored = await store.listResults('a', { limit: 10 });
    assert.deepEqual(stored.map((r) => [r.startedAt, r.ok]), [[now + 500, true], [now - 1000, true]], 'the first version kept, never two');
    assert.equal(ingest.add(result({ monitorId: 'nope' }))?.reason, 'unknown_monitor');
    await ingest.stop();
  });

  it('a backlog of several batches (agents pushing at once) is written batch after batch, not one per tick', async () => {
    const now = Date.UTC(2026, 5, 3);
    const time = new FakeTime(now);
    const backlogDir = mkdtempSync(join(tmpdir(), 'candor-ingest-backlog-'));
    const own = await openSqliteStore(join(backlogDir, 'candor.db'));
    await own.migrate();
    const ingest = ingestOn(own, time, twoVantages.monitors, [], { options: { maxBatch: 100, maxFutureMs: 86_400_000 } });
    await ingest.restore();
    ingest.start();
    const observations = Array.from({ length: 300 }, (_, i) => result({ monitorId: 'b', vantage: 'agent-b', startedAt: now - 600_000 + i * 1000 }));
    // Fake time never advances here: without writing the backlog at once, two batches would wait for ticks.
    let guard: NodeJS.Timeout | undefined;
    const outcomes = await Promise.race([
      ingest.submit(observations),
      new Promise<never>((_, reject) => (guard = setTimeout(() => reject(new Error('the backlog waited for the timer')), 10_000))),
    ]).finally(() => clearTimeout(guard));
    assert.equal(outcomes.filter((o) => 'stored' in o).length, 300);
    await ingest.stop();
    await own.close();
    rmSync(backlogDir, { recursive: true, force: true });
  });

  it("a submission's recorder writes in the transaction that stores it, again after a failed commit, and a submission is never split", async () => {
    const now = Date.UTC(2026, 6, 1);
    const time = new FakeTime(now);
    let failures = 1;
    const flaky: Store = Object.create(store, {
      transact: {
        value: async (work: Parameters<Store['transact']>[0]) =>
          store.transact(async (tx) => {
            const outcome = await work(tx);
            // Fails after the work is done: everything it wrote must vanish with it, the recorder's rows too.
            if (failures-- > 0) throw new Error('disk I/O error');
            return outcome;
          }),
      },
    });
    const ingest = new Ingest({ store: flaky, clock: time, timers: time, ids: createIds(time), log, monitors, options: { flushIntervalMs: 1000, maxBatch: 100 } });
    await ingest.restore();
    for (let i = 0; i < 60; i++) ingest.add(result({ monitorId: 'a', startedAt: now - 200_000 + i }));
    const calls: { entries: number; inserted: number }[] = [];
    const submitted = ingest.submit(
      Array.from({ length: 80 }, (_, i) => result({ monitorId: 'a', vantage: 'local', startedAt: now - 100_000 + i })),
      async (tx, entries) => {
        calls.push({ entries: entries.length, inserted: entries.filter((e) => e.inserted).length });
        await tx.batches.record({ digest: 'submission-1', agent: 'x', signature: 's', sentAt: now, receivedAt: now, observations: entries.length, covers: [], refused: [] });
      },
    );
    // 140 buffered: the submission started an early flush, which failed; this one writes them.
    await ingest.flush();
    const outcomes = await submitted;
    assert.ok(outcomes.every((o) => 'stored' in o));
    assert.deepEqual(calls, [{ entries: 80, inserted: 80 }, { entries: 80, inserted: 80 }], 'once per attempt, with the whole submission');
    assert.equal((await store.getBatch('submission-1'))?.observations, 80);
    await ingest.stop();
  });

  it('a bug while judging one observation keeps it stored and drops nothing else of the batch', async () => {
    const time = new FakeTime(Date.UTC(2026, 5, 2));
    const [a, b] = twoVantages.monitors;
    const broken = Object.defineProperty({ ...b! }, 'failureThreshold', {
      get() {
        throw new Error('a bug in judging');
      },
    });
    const errors: unknown[] = [];
    const events: string[] = [];
    const ingest = ingestOn(store, time, [a!, broken], events, { onJudgeError: (error) => errors.push(error) });
    await ingest.restore();
    const at = time.now();
    const pending = ingest.submit([
      result({ monitorId: 'b', startedAt: at, ok: false, error: { kind: 'timeout', message: 't' } }),
      result({ monitorId: 'a', startedAt: at, ok: false, error: { kind: 'timeout', message: 't' } }),
      result({ monitorId: 'a', startedAt: at + 1, ok: false, error: { kind: 'timeout', message: 't' } }),
    ]);
    await ingest.flush();
    const outcomes = await pending;
    assert.ok(outcomes.every((o) => 'stored' in o));
    assert.equal(errors.length, 1);
    assert.deepEqual(events, ['a:went_down']);
    assert.equal((await store.listResults('b', { limit: 10, from: at })).length, 1, 'the observation is kept as evidence');
    assert.equal(ingest.states().get('b')?.status, 'pending', 'its monitor state is unchanged');
    await ingest.stop();
  });

  it('a commit that never returns does not hang shutdown forever', async () => {
    const time = new FakeTime(Date.UTC(2026, 5, 3));
    const hung: Store = Object.create(store, { transact: { value: () => new Promise(() => {}) } });
    const ingest = ingestOn(hung, time, twoVantages.monitors, [], { options: { stopTimeoutMs: 10_000 } });
    await ingest.restore();
    const pending = ingest.submit([result({ monitorId: 'a', startedAt: time.now() })]);
    let stopped = false;
    const stopping = ingest.stop().then(() => (stopped = true));
    await time.advance(9_000);
    assert.equal(stopped, false);
    await time.advance(1_000);
    await stopping;
    assert.equal(stopped, true);
    assert.deepEqual((await pending).map((o) => ('refused' in o ? o.refused.reason : 'stored')), ['dropped']);
  });

  /** A store of its own: no state or incident left by the tests before. */
  async function freshStore(): Promise<Store> {
    const own = await openSqliteStore(join(mkdtempSync(join(tmpdir(), 'candor-consensus-')), 'candor.db'));
    await own.migrate();
    return own;
  }

  it('judges a monitor across vantages: one failing vantage of two is a partial incident, both failing make it global, the same incident', async () => {
    const store = await freshStore();
    const time = new FakeTime(Date.UTC(2026, 5, 4));
    const events: string[] = [];
    const ingest = ingestOn(store, time, twoVantages.monitors, events, { regionOf: (v) => (v === 'agent-b' ? 'eu-west' : 'home') });
    await ingest.restore();
    const at = time.now();
    const check = (vantage: string, offset: number, ok: boolean) =>
      result({ monitorId: 'b', vantage, startedAt: at + offset, ok, ...(ok ? {} : { error: { kind: 'connect_refused', message: 'refused' } }) });
    ingest.add(check('local', 0, true));
    ingest.add(check('agent-b', 1, false));
    await ingest.flush();
    assert.deepEqual(ingest.vantageStatesOf('b').map((v) => [v.vantage, v.status]).sort(), [['agent-b', 'down'], ['local', 'up']]);
    assert.equal(ingest.states().get('b')?.status, 'partial');
    assert.deepEqual(ingest.states().get('b')?.scope, { vantages: ['agent-b'], regions: ['eu-west'] });
    assert.deepEqual(events, ['b:partial']);
    const [partial] = await store.listIncidents({ monitorId: 'b', limit: 5 });
    assert.deepEqual(partial?.scope, { kind: 'partial', vantages: ['agent-b'], regions: ['eu-west'] });
    assert.equal(partial?.title, 'Beta is partly down (eu-west)');
    ingest.add(check('local', 60_000, false));
    await ingest.flush();
    assert.equal(ingest.states().get('b')?.status, 'down');
    assert.deepEqual(events, ['b:partial', 'b:scope_changed', 'b:went_down']);
    const incidents = await store.listIncidents({ monitorId: 'b', limit: 5 });
    assert.equal(incidents.length, 1, 'partial to global is the same incident');
    assert.deepEqual(incidents[0]!.scope, { kind: 'global', vantages: ['agent-b', 'local'], regions: ['eu-west', 'home'] });
    const change = incidents[0]!.timeline.find((e) => e.kind === 'scope_changed');
    assert.deepEqual(change?.scope?.evidence.map((e) => [e.vantage, e.errorKind]), [['agent-b', 'connect_refused'], ['local', 'connect_refused']], 'evidence from each vantage, stored');
    const [stored] = await store.listResults('b', { limit: 1, vantage: 'agent-b' });
    assert.equal(stored?.vantage, 'agent-b');
    await ingest.stop();
    const again = ingestOn(store, time, twoVantages.monitors, []);
    await again.restore();
    assert.deepEqual(again.states().get('b')?.scope, { vantages: ['agent-b', 'local'], regions: ['eu-west', 'home'] }, 'the scope survives a restart');
  });

  it('an offline agent counts neither for nor against: its last failing state is set aside', async () => {
    const store = await freshStore();
    const time = new FakeTime(Date.UTC(2026, 5, 5));
    const events: string[] = [];
    let offline = false;
    const ingest = ingestOn(store, time, twoVantages.monitors, events, { isOffline: (v) => offline && v === 'agent-b' });
    await ingest.restore();
    const at = time.now();
    const check = (vantage: string, offset: number, ok: boolean) =>
      result({ monitorId: 'a', vantage, startedAt: at + offset, ok, ...(ok ? {} : { error: { kind: 'connect_refused', message: 'refused' } }) });
    ingest.add(check('local', 0, true));
    ingest.add(check('agent-b', 1, false));
    ingest.add(check('agent-b', 2, false));
    await ingest.flush();
    assert.equal(ingest.states().get('a')?.status, 'partial');
    offline = true;
    assert.equal(ingest.vantageCondition('agent-b'), 'offline');
    ingest.add(check('local', 60_000, true));
    await ingest.flush();
    assert.equal(ingest.states().get('a')?.status, 'up', 'only the hub counts now, and it passes');
    assert.deepEqual(events, ['a:partial', 'a:recovered']);
    await ingest.stop();
  });

  it('a vantage the config no longer checks a monitor from has left: its last failing state counts no more', async () => {
    const store = await freshStore();
    const time = new FakeTime(Date.UTC(2026, 5, 7));
    const at = time.now();
    const check = (vantage: string, offset: number, ok: boolean) =>
      result({ monitorId: 'b', vantage, startedAt: at + offset, ok, ...(ok ? {} : { error: { kind: 'connect_refused', message: 'refused' } }) });
    const before = ingestOn(store, time, twoVantages.monitors, []);
    await before.restore();
    before.add(check('local', 0, true));
    before.add(check('agent-b', 1, false));
    await before.flush();
    assert.equal(before.states().get('b')?.status, 'partial');
    await before.stop();
    const events: string[] = [];
    const onlyLocal = twoVantages.monitors.map((m) => ({ ...m, vantages: ['local'] }));
    const after = ingestOn(store, time, onlyLocal, events);
    await after.restore();
    after.add(check('local', 60_000, true));
    await after.flush();
    assert.equal(after.states().get('b')?.status, 'up');
    assert.deepEqual(events, ['b:recovered']);
    await after.stop();
  });

  it('controls: stored, never judged as monitors; failing with most monitors, they flag the vantage impaired and its failures open nothing', async () => {
    const store = await freshStore();
    const time = new FakeTime(Date.UTC(2026, 5, 6));
    const events: string[] = [];
    const controls = parseConfig(
      `
monitors:
  - { id: x, type: tcp, host: 127.0.0.1, port: 9 }
controls:
  - { id: ref-1, type: tcp, host: 127.0.0.2, port: 9 }
  - { id: ref-2, type: tcp, host: 127.0.0.3, port: 9 }
`,
      'candor.yaml',
      {},
    ).controls!;
    const ingest = ingestOn(store, time, twoVantages.monitors, events, { controls: new Map(controls.map((c) => [c.id, c])) });
    await ingest.restore();
    const at = time.now();
    const failed = { ok: false, error: { kind: 'timeout' as const, message: 'timed out' } };
    // Both monitors fail from agent-b with timeouts (an answer-less link, not "unreachable"), and so do its controls.
    for (let i = 0; i < 3; i++) {
      for (const monitorId of ['a', 'b', 'ref-1', 'ref-2']) ingest.add(result({ monitorId, vantage: 'agent-b', startedAt: at + i * 1000, ...failed }));
      for (const monitorId of ['a', 'b']) ingest.add(result({ monitorId, vantage: 'local', startedAt: at + i * 1000 }));
    }
    await ingest.flush();
    assert.equal(ingest.vantageCondition('agent-b'), 'impaired');
    assert.equal(ingest.vantageCondition('local'), 'ok');
    assert.deepEqual(events, [], 'no incident because of an impaired vantage');
    assert.equal(ingest.states().get('a')?.status, 'up');
    assert.equal(ingest.states().has('ref-1'), false, 'a control is no monitor');
    const [stored] = await store.listResults('ref-1', { limit: 1 });
    assert.equal(stored?.inconclusive, true, 'its failures say nothing about the target');
    await ingest.stop();
  });
});

describe('the hub records when it was not running', () => {
  it('from its last write before a stop to its first check after the start; a storage outage is no such gap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-ingest-gaps-'));
    const store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
    let failing = false;
    const flaky: Store = Object.create(store, {
      transact: { value: async (work: Parameters<Store['transact']>[0]) => (failing ? Promise.reject(new Error('database is locked')) : store.transact(work)) },
    });
    const time = new FakeTime(Date.UTC(2026, 6, 1));
    const run = () => new Ingest({ store: flaky, clock: time, timers: time, ids: createIds(time), log, monitors, writers: [hubGapWriter(() => time.now())] });
    const gaps = () => store.listHubGaps(0, Number.MAX_SAFE_INTEGER);

    const first = run();
    await first.restore();
    first.add(result({ monitorId: 'a', startedAt: time.now() }));
    await first.flush();
    await time.advance(MINUTE);
    first.add(result({ monitorId: 'a', startedAt: time.now() }));
    await first.flush();
    assert.deepEqual(await gaps(), [], 'checks of one run, a minute apart, are no gap');
    const lastWrite = time.now();
    await first.stop();

    await time.advance(10 * MINUTE);
    const second = run();
    await second.restore();
    await second.flush();
    assert.deepEqual(await gaps(), [], 'writing states at start is no check yet');
    await time.advance(30_000);
    const firstCheck = time.now();
    second.add(result({ monitorId: 'a', startedAt: firstCheck }));
    await second.flush();
    assert.deepEqual(await gaps(), [{ from: lastWrite, to: firstCheck }]);

    // Results buffered through a database outage were observed while the hub ran: no gap.
    failing = true;
    for (let i = 0; i < 5; i++) {
      await time.advance(MINUTE);
      second.add(result({ monitorId: 'a', startedAt: time.now() }));
      await second.flush();
    }
    failing = false;
    await second.flush();
    assert.equal(second.buffered, 0);
    assert.equal((await gaps()).length, 1);
    await second.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('Ingest writes states when they change', () => {
  it('a steady monitor is written every few minutes, a change of state at once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-ingest-writes-'));
    const store = await openSqliteStore(join(dir, 'candor.db'));
    await store.migrate();
    const time = new FakeTime(Date.UTC(2026, 7, 1));
    const ingest = new Ingest({ store, clock: time, timers: time, ids: createIds(time), log, monitors, options: { maxFutureMs: 86_400_000 } });
    await ingest.restore();
    const stored = async () => (await store.listVantageStates()).find((s) => s.monitorId === 'a')!;
    const check = async (ok: boolean) => {
      await time.advance(MINUTE);
      ingest.add(result({ monitorId: 'a', startedAt: time.now(), ok, ...(ok ? {} : { error: { kind: 'timeout' as const, message: 't' } }) }));
      await ingest.flush();
    };
    await check(true);
    await check(true);
    const afterTwo = await stored();
    await check(true);
    await check(true);
    assert.deepEqual(await stored(), afterTwo, 'nothing but the last result changed: not written again yet');
    assert.notEqual(ingest.vantageStatesOf('a')[0]!.lastResultId, afterTwo.lastResultId, 'though memory has moved on');
    await check(false);
    assert.equal((await stored()).consecutiveFailures, 1, 'a failure is a change: written at once');
    await check(true);
    await check(true);
    await check(true);
    await time.advance(5 * MINUTE);
    await check(true);
    assert.equal((await stored()).lastResultId, ingest.vantageStatesOf('a')[0]!.lastResultId, 'written again after a few minutes');
    await ingest.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
