import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextPlannedAt, phaseOffsetMs, Scheduler } from '../../src/scheduler/scheduler.js';
import { FakeTime } from '../support/fake-time.js';

/** Stops on fake time: the grace period only passes when the fake clock moves. */
async function stopOn(time: FakeTime, scheduler: Scheduler, graceMs = 1000): Promise<number> {
  const stopping = scheduler.stop(graceMs);
  await time.advance(graceMs);
  return stopping;
}

describe('planning', () => {
  const rows = [
    { name: 'on the grid stays', now: 1000, interval: 500, offset: 0, expected: 1000 },
    { name: 'just after moves to the next slot', now: 1001, interval: 500, offset: 0, expected: 1500 },
    { name: 'offset shifts the grid', now: 1000, interval: 500, offset: 120, expected: 1120 },
    { name: 'now before offset', now: 50, interval: 500, offset: 120, expected: 120 },
  ];
  for (const row of rows) it(row.name, () => assert.equal(nextPlannedAt(row.now, row.interval, row.offset), row.expected));

  it('phase offsets are stable and spread monitors over the interval', () => {
    const interval = 60_000;
    assert.equal(phaseOffsetMs('youtube', interval), phaseOffsetMs('youtube', interval));
    const perSecond = new Array<number>(60).fill(0);
    for (let i = 0; i < 6000; i++) {
      const offset = phaseOffsetMs(`monitor-${i}`, interval);
      assert.ok(offset >= 0 && offset < interval);
      perSecond[Math.floor(offset / 1000)]! += 1;
    }
    // 100 per second on average; a fair spread keeps every second well under 3x that.
    assert.ok(Math.max(...perSecond) < 300, `busiest second has ${Math.max(...perSecond)}`);
    assert.ok(Math.min(...perSecond) > 20, `quietest second has ${Math.min(...perSecond)}`);
  });
});

describe('Scheduler', () => {
  it('runs each monitor once per interval on its own phase', async () => {
    const time = new FakeTime(0);
    const runs: { id: string; plannedAt: number; startedAt: number }[] = [];
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 10,
      runCheck: async (id, plannedAt, startedAt) => void runs.push({ id, plannedAt, startedAt }),
    });
    scheduler.start([{ id: 'a', intervalMs: 10_000 }, { id: 'b', intervalMs: 5_000 }]);
    await time.advance(30_000);
    const a = runs.filter((r) => r.id === 'a');
    const b = runs.filter((r) => r.id === 'b');
    assert.equal(a.length, 3);
    assert.equal(b.length, 6);
    for (const r of a) assert.equal(r.plannedAt % 10_000, phaseOffsetMs('a', 10_000));
    for (const r of runs) assert.equal(r.startedAt - r.plannedAt, 1, 'no lateness without contention but the timer slack (1 ms)');
    await scheduler.stop(1000);
  });

  it('a timer that fires before the planned time (Node timers may, by a millisecond) does not start the check early', async () => {
    const time = new FakeTime(0);
    const early = { setTimeout: (callback: () => void, delayMs: number) => time.setTimeout(callback, Math.max(1, delayMs - 1)), clearTimeout: time.clearTimeout.bind(time) };
    const runs: { plannedAt: number; startedAt: number }[] = [];
    const scheduler = new Scheduler({ clock: time, timers: early, concurrency: 10, runCheck: async (_id, plannedAt, startedAt) => void runs.push({ plannedAt, startedAt }) });
    scheduler.start([{ id: 'a', intervalMs: 5_000 }]);
    await time.advance(30_000);
    assert.equal(runs.length, 6);
    for (const r of runs) assert.equal(r.startedAt, r.plannedAt);
    await scheduler.stop(1000);
  });

  it('after the wall clock is set back an hour, checks go on from the new time, none before its planned time', async () => {
    const time = new FakeTime(10_000_000);
    let behindMs = 0;
    // Timers keep running on the monotonic clock (FakeTime); the wall clock steps back.
    const wall = { now: () => time.now() - behindMs };
    const runs: { plannedAt: number; startedAt: number }[] = [];
    const scheduler = new Scheduler({ clock: wall, timers: time, concurrency: 10, runCheck: async (_id, plannedAt, startedAt) => void runs.push({ plannedAt, startedAt }) });
    scheduler.start([{ id: 'a', intervalMs: 5_000 }]);
    await time.advance(20_000);
    const before = runs.length;
    behindMs = 3_600_000;
    await time.advance(20_000);
    assert.ok(runs.length - before >= 3, `${runs.length - before} checks in the 20 s after the step back`);
    for (const r of runs) assert.ok(r.startedAt >= r.plannedAt, `started ${r.plannedAt - r.startedAt} ms before planned`);
    await scheduler.stop(1000);
  });

  it('never overlaps a check with itself; the missed slot is reported as skipped', async () => {
    const time = new FakeTime(0);
    let release!: () => void;
    let calls = 0;
    const skipped: number[] = [];
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 10,
      runCheck: () => {
        calls++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      onSkipped: (_id, plannedAt) => skipped.push(plannedAt),
    });
    scheduler.start([{ id: 'slow', intervalMs: 1000 }]);
    await time.advance(phaseOffsetMs('slow', 1000) + 2500);
    assert.equal(calls, 1);
    assert.equal(skipped.length, 2);
    release();
    await time.advance(1000);
    assert.equal(calls, 2);
    release();
    await stopOn(time, scheduler);
  });

  it('holds the global concurrency limit and measures lateness of queued checks', async () => {
    const time = new FakeTime(0);
    let active = 0;
    let maxActive = 0;
    const lateness: number[] = [];
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 2,
      runCheck: async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await new Promise<void>((resolve) => time.setTimeout(resolve, 100));
        active--;
      },
      onLateness: (ms) => lateness.push(ms),
    });
    // Twenty monitors on a 50 ms interval: several fall due together while each check takes 100 ms.
    scheduler.start(Array.from({ length: 20 }, (_, i) => ({ id: `m${i}`, intervalMs: 50 })));
    await time.advance(1000);
    assert.equal(maxActive, 2);
    assert.ok(lateness.some((ms) => ms > 0), 'queued checks start late and that is measured');
    assert.ok(lateness.every((ms) => ms >= 0));
    await stopOn(time, scheduler);
  });

  it('stop() drops queued checks and waits for running ones within the grace period', async () => {
    const time = new FakeTime(0);
    let finished = 0;
    let started = 0;
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 1,
      runCheck: async () => {
        started++;
        await new Promise<void>((resolve) => time.setTimeout(resolve, 500));
        finished++;
      },
    });
    scheduler.start(Array.from({ length: 5 }, (_, i) => ({ id: `m${i}`, intervalMs: 60_000 })));
    await time.advance(60_000);
    const stopping = scheduler.stop(2000);
    await time.advance(600);
    assert.equal(await stopping, 0);
    assert.equal(finished, started, 'every started check finished');
    await time.advance(120_000);
    assert.equal(started, finished, 'nothing runs after stop');
    assert.equal(time.pendingTimers, 0, 'no timers left behind');
  });

  it('stop() gives up on a hung check after the grace period', async () => {
    const time = new FakeTime(0);
    const scheduler = new Scheduler({ clock: time, timers: time, concurrency: 1, runCheck: () => new Promise<void>(() => {}) });
    scheduler.start([{ id: 'hung', intervalMs: 1000 }]);
    await time.advance(1000);
    const stopping = scheduler.stop(500);
    await time.advance(500);
    assert.equal(await stopping, 1);
  });

  it('after the clock jumps ahead, missed slots are not replayed one by one', async () => {
    const time = new FakeTime(0);
    let calls = 0;
    const skipped: number[] = [];
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 1,
      runCheck: async () => void calls++,
      onSkipped: (_id, plannedAt) => skipped.push(plannedAt),
    });
    scheduler.start([{ id: 'j', intervalMs: 60_000 }]);
    await time.advance(60_000);
    const before = calls;
    // The whole process stalls (or the machine sleeps) for an hour: timers fire late, all at once.
    time.jump(3_600_000);
    await time.advance(60_000);
    assert.ok(calls - before <= 2, `ran ${calls - before} checks after the jump`);
    assert.equal(skipped.length, 0);
    await stopOn(time, scheduler);
  });

  it('a check that throws is reported and does not stop the schedule', async () => {
    const time = new FakeTime(0);
    const errors: unknown[] = [];
    let calls = 0;
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 1,
      runCheck: async () => {
        calls++;
        throw new Error('bug');
      },
      onError: (_id, error) => errors.push(error),
    });
    scheduler.start([{ id: 'x', intervalMs: 1000 }]);
    await time.advance(3000);
    assert.equal(calls, 3);
    assert.equal(errors.length, 3);
    await stopOn(time, scheduler);
  });
});

describe('Scheduler: monitors changed at run time', () => {
  it('adds, changes and removes monitors without touching the others', async () => {
    const time = new FakeTime(0);
    const runs: { id: string; plannedAt: number }[] = [];
    const skipped: string[] = [];
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 10,
      runCheck: async (id, plannedAt) => void runs.push({ id, plannedAt }),
      onSkipped: (id) => skipped.push(id),
    });
    scheduler.start([{ id: 'a', intervalMs: 10_000 }]);
    await time.advance(25_000);
    scheduler.upsert({ id: 'b', intervalMs: 5_000 });
    scheduler.upsert({ id: 'a', intervalMs: 10_000 });
    await time.advance(20_000);
    scheduler.upsert({ id: 'b', intervalMs: 20_000 });
    await time.advance(40_000);
    scheduler.remove('b');
    await time.advance(30_000);
    await stopOn(time, scheduler);

    const planned = (id: string) => runs.filter((r) => r.id === id).map((r) => r.plannedAt);
    const offsetA = phaseOffsetMs('a', 10_000);
    // a: one check per slot of its own grid from start to end, whatever happened to b.
    assert.deepEqual(planned('a'), Array.from({ length: 12 }, (_, k) => offsetA + k * 10_000).filter((t) => t <= 115_000));
    const b = planned('b');
    // b: every 5 s while it had that interval, then on its 20 s grid, nothing after it was removed.
    const before = b.filter((t) => t < 45_000);
    const after = b.filter((t) => t >= 45_000);
    assert.ok(before.length >= 3 && before.every((t, i) => i === 0 || t - before[i - 1]! === 5_000), `b every 5 s: ${before.join(', ')}`);
    assert.ok(after.length >= 1 && after.every((t) => (t - phaseOffsetMs('b', 20_000)) % 20_000 === 0), `b on its 20 s grid: ${after.join(', ')}`);
    assert.ok(b.every((t) => t < 85_000), `b not checked after its removal: ${b.join(', ')}`);
    assert.deepEqual(skipped, []);
    assert.deepEqual(scheduler.scheduled(), ['a']);
  });

  it('keeps a running check of a changed monitor: no second check starts beside it', async () => {
    const time = new FakeTime(0);
    let release: () => void = () => undefined;
    let started = 0;
    const skipped: string[] = [];
    const scheduler = new Scheduler({
      clock: time,
      timers: time,
      concurrency: 10,
      runCheck: () => {
        started++;
        return new Promise<void>((resolve) => (release = resolve));
      },
      onSkipped: (id) => skipped.push(id),
    });
    scheduler.start([{ id: 'a', intervalMs: 10_000 }]);
    await time.advance(10_000);
    assert.equal(started, 1);
    scheduler.upsert({ id: 'a', intervalMs: 10_000 });
    await time.advance(10_000);
    assert.equal(started, 1, 'the slot stayed busy');
    assert.deepEqual(skipped, ['a']);
    release();
    await stopOn(time, scheduler);
  });
});
