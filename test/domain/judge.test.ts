import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialMonitorState, judge, monitorStatus } from '../../src/domain/judge.js';
import type { MonitorEvent } from '../../src/domain/state-machine.js';
import type { MonitorState, MonitorStatus, VantageState } from '../../src/domain/state.js';

const vantage = (name: string, status: MonitorStatus, extra: Partial<VantageState> = {}): VantageState => ({
  monitorId: 'm1',
  vantage: name,
  status,
  since: 0,
  consecutiveFailures: 0,
  consecutiveSuccesses: 0,
  consecutiveSlow: 0,
  updatedAt: 0,
  ...extra,
});

// One letter per vantage: u up, g degraded, d down, p pending, m maintenance, z paused.
const STATUS: Record<string, MonitorStatus> = { u: 'up', g: 'degraded', d: 'down', p: 'pending', m: 'maintenance', z: 'paused' };
const vantages = (letters: string) => [...letters].map((l, i) => vantage(`v${i}`, STATUS[l]!));

describe('monitor status across vantages', () => {
  const cases: { name: string; vantages: string; previous?: MonitorStatus; expected: MonitorStatus }[] = [
    { name: 'one vantage is the monitor', vantages: 'd', expected: 'down' },
    { name: 'a majority down is down', vantages: 'ddu', expected: 'down' },
    { name: 'a tie is not down but partial', vantages: 'du', expected: 'partial' },
    { name: 'one of three down is partial', vantages: 'duu', expected: 'partial' },
    { name: 'down from one of three beats degraded: partial', vantages: 'dgu', expected: 'partial' },
    { name: 'a majority slow is degraded', vantages: 'ggu', expected: 'degraded' },
    { name: 'pending vantages do not vote', vantages: 'ppd', expected: 'down' },
    { name: 'nothing confirmed yet is pending', vantages: 'pp', expected: 'pending' },
    { name: 'vantages in maintenance do not vote', vantages: 'mmu', expected: 'up' },
    { name: 'all in maintenance is maintenance', vantages: 'mm', expected: 'maintenance' },
    { name: 'all paused is paused', vantages: 'zz', expected: 'paused' },
    { name: 'paused vantages are left out', vantages: 'zzd', expected: 'down' },
    { name: 'no vantage keeps the previous status', vantages: '', previous: 'down', expected: 'down' },
  ];
  for (const c of cases) {
    it(c.name, () => assert.equal(monitorStatus(vantages(c.vantages), c.previous ?? 'pending'), c.expected));
  }
});

describe('judge', () => {
  const evidence = (v: string, at: number) => ({ resultId: `r-${v}-${at}`, vantage: v, at });
  const previous = (status: MonitorStatus, extra: Partial<MonitorState> = {}): MonitorState => ({ ...initialMonitorState('m1', 0), status, ...extra });

  it('one vantage: its events pass through unchanged', () => {
    const events: MonitorEvent[] = [{ type: 'went_down', at: 30, firstFailure: evidence('local', 10), confirmation: evidence('local', 30) }];
    const one = vantage('local', 'down', { since: 10, lastErrorKind: 'timeout' });
    const judged = judge(previous('up'), [one], { vantage: one, events, at: 30 });
    assert.deepEqual(judged.events, events);
    assert.deepEqual(judged.state, { monitorId: 'm1', status: 'down', since: 10, lastErrorKind: 'timeout', updatedAt: 30 });
    const withResult = { ...one, lastResultId: 'r-30' };
    assert.equal(judge(previous('up'), [withResult], { vantage: withResult, events, at: 30 }).state.lastResultId, 'r-30');
  });

  it('a second vantage going down makes a majority: went_down with that vantage evidence', () => {
    const b = vantage('b', 'down', { since: 20 });
    const events: MonitorEvent[] = [{ type: 'went_down', at: 40, firstFailure: evidence('b', 20), confirmation: evidence('b', 40) }];
    const judged = judge(previous('up'), [vantage('a', 'down'), b, vantage('c', 'up')], { vantage: b, events, at: 40 });
    assert.deepEqual(judged.events.map((e) => e.type), ['went_down']);
    assert.equal(judged.state.status, 'down');
    assert.equal(judged.state.since, 20, 'down since the first failure of the confirming vantage');
  });

  it('one vantage of three going down makes the monitor partial, naming that vantage', () => {
    const a = vantage('a', 'down', { lastResultId: 'r-a-40', updatedAt: 40, consecutiveFailures: 3, lastErrorKind: 'timeout' });
    const events: MonitorEvent[] = [{ type: 'went_down', at: 40, firstFailure: evidence('a', 20), confirmation: evidence('a', 40) }];
    const judged = judge(previous('up', { since: 5 }), [a, vantage('b', 'up'), vantage('c', 'up')], { vantage: a, events, at: 40 });
    assert.deepEqual(judged.events.map((e) => e.type), ['partial']);
    assert.equal(judged.state.status, 'partial');
    assert.deepEqual(judged.state.scope, { vantages: ['a'], regions: [] });
    const partial = judged.events[0] as Extract<MonitorEvent, { type: 'partial' }>;
    assert.deepEqual(partial.evidence.map((e) => [e.vantage, e.errorKind]), [['a', 'timeout'], ['b', undefined], ['c', undefined]], "each counted vantage's latest result");
  });

  it('recovering below a majority narrows the outage to partial: a scope change, not a recovery', () => {
    const a = vantage('a', 'up');
    const events: MonitorEvent[] = [{ type: 'recovered', at: 90, evidence: evidence('a', 90), downSince: 20 }];
    const judged = judge(previous('down', { since: 20, openIncidentId: 'i1', scope: { vantages: ['a', 'c'], regions: [] } }), [a, vantage('b', 'up'), vantage('c', 'down')], { vantage: a, events, at: 90 });
    assert.deepEqual(judged.events.map((e) => e.type), ['scope_changed']);
    assert.equal(judged.state.status, 'partial');
    assert.equal(judged.state.openIncidentId, 'i1');
    const all = [vantage('a', 'up'), vantage('b', 'up'), vantage('c', 'up')];
    const over = judge(judged.state, all, { vantage: all[2]!, events: [{ type: 'recovered', at: 95, evidence: evidence('c', 95), downSince: 20 }], at: 95 });
    assert.deepEqual(over.events.map((e) => e.type), ['recovered'], 'every vantage passing ends it');
    assert.equal(over.state.openIncidentId, 'i1', 'the incident mapping resolves it, not the judge');
  });

  it('while down, an error change of a down vantage is passed on; of an up vantage it is not', () => {
    const change: MonitorEvent = { type: 'error_changed', at: 50, evidence: evidence('a', 50), previousKind: 'timeout' };
    const down = vantage('a', 'down', { lastErrorKind: 'connect_refused' });
    const both = [down, vantage('b', 'down')];
    assert.deepEqual(judge(previous('down'), both, { vantage: down, events: [change], at: 50 }).events, [change]);
  });

  it('a vantage leaving (paused) can end a majority without an event of its own: down becomes partial', () => {
    const leaving = vantage('b', 'paused');
    const judged = judge(previous('down', { since: 20 }), [vantage('a', 'up'), leaving, vantage('c', 'down')], { vantage: leaving, events: [], at: 70 });
    assert.equal(judged.state.status, 'partial');
    assert.deepEqual(judged.events.map((e) => e.type), ['scope_changed']);
  });

  it('vantages all pending again (resumed after a pause) end no outage', () => {
    const a = vantage('a', 'pending');
    const judged = judge(previous('down', { since: 20, openIncidentId: 'i1' }), [a, vantage('b', 'pending')], { vantage: a, events: [], at: 80 });
    assert.equal(judged.state.status, 'pending');
    assert.deepEqual(judged.events, []);
    const back = vantage('a', 'up');
    const recovered = judge(judged.state, [back, vantage('b', 'up')], { vantage: back, events: [], at: 90 });
    assert.deepEqual(recovered.events.map((e) => e.type), ['recovered'], 'passing again ends the outage still open');
  });

  it('a vantage joining mid-outage and failing keeps it down; joining and passing can end it', () => {
    const joining = vantage('c', 'pending');
    assert.equal(judge(previous('down'), [vantage('a', 'down'), vantage('b', 'down'), joining], { vantage: joining, events: [], at: 60 }).state.status, 'down');
    const passing = vantage('c', 'up');
    const judged = judge(previous('down'), [vantage('a', 'down'), vantage('b', 'up'), passing], { vantage: passing, events: [], at: 61 });
    assert.equal(judged.state.status, 'partial', 'one of three failing is no longer down for everyone');
    assert.deepEqual(judged.events.map((e) => e.type), ['scope_changed']);
    const back = vantage('a', 'up');
    const over = judge(judged.state, [back, vantage('b', 'up'), passing], { vantage: back, events: [], at: 62 });
    assert.deepEqual(over.events.map((e) => e.type), ['recovered']);
  });
});
