import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { consensus, defaultQuorum, noVantageSees, scopeOf, type VantageCondition, type VantageFacts } from '../../src/domain/consensus.js';
import { applyIncidentEvents, emptyChanges, type IncidentChanges } from '../../src/domain/incidents.js';
import { initialMonitorState, judge } from '../../src/domain/judge.js';
import type { MonitorEvent } from '../../src/domain/state-machine.js';
import type { MonitorState, MonitorStatus, VantageState } from '../../src/domain/state.js';

// One letter per vantage v0, v1, ...: u up, g degraded, d down, p pending, m maintenance, z paused.
const STATUS: Record<string, MonitorStatus> = { u: 'up', g: 'degraded', d: 'down', p: 'pending', m: 'maintenance', z: 'paused' };
// One letter per vantage: o ok, i impaired, x offline.
const CONDITION: Record<string, VantageCondition> = { o: 'ok', i: 'impaired', x: 'offline' };
const REGION: Record<string, string> = { v0: 'eu-west', v1: 'eu-west', v2: 'us-east', v3: 'ap-south', v4: 'us-east' };

const vantage = (name: string, status: MonitorStatus, at = 0): VantageState => ({
  monitorId: 'm1',
  vantage: name,
  status,
  since: 0,
  consecutiveFailures: status === 'down' ? 3 : 0,
  consecutiveSuccesses: status === 'up' ? 2 : 0,
  consecutiveSlow: 0,
  lastResultId: `r-${name}-${at}`,
  ...(status === 'down' ? { lastErrorKind: 'timeout' as const, firstFailure: { resultId: `r-${name}-first`, vantage: name, at: 1 } } : {}),
  updatedAt: at,
});
const states = (letters: string, at = 0) => [...letters].map((l, i) => vantage(`v${i}`, STATUS[l]!, at));
const factsOf = (conditions = ''): VantageFacts => ({
  condition: (v) => CONDITION[conditions[Number(v.slice(1))] ?? 'o']!,
  region: (v) => REGION[v],
});

describe('defaultQuorum: a majority of the vantages counted', () => {
  for (const [counted, quorum] of [[1, 1], [2, 2], [3, 2], [4, 3], [5, 3]] as const) {
    it(`${quorum} of ${counted}`, () => assert.equal(defaultQuorum(counted), quorum));
  }
});

describe('consensus across vantages', () => {
  const rows: { name: string; vantages: string; conditions?: string; quorum?: number; previous?: MonitorStatus; expected: MonitorStatus; failing?: string[] }[] = [
    // One vantage: exactly what it sees.
    { name: 'one vantage up', vantages: 'u', expected: 'up' },
    { name: 'one vantage down', vantages: 'd', expected: 'down', failing: ['v0'] },
    // Quorum by default: a majority of those counted.
    { name: 'all three down', vantages: 'ddd', expected: 'down', failing: ['v0', 'v1', 'v2'] },
    { name: 'two of three down is down', vantages: 'ddu', expected: 'down', failing: ['v0', 'v1'] },
    { name: 'one of three down is partial', vantages: 'duu', expected: 'partial', failing: ['v0'] },
    // Ties: half is not a majority.
    { name: 'a tie of two is partial', vantages: 'du', expected: 'partial', failing: ['v0'] },
    { name: 'a tie of four is partial', vantages: 'dduu', expected: 'partial', failing: ['v0', 'v1'] },
    { name: 'three of four is down', vantages: 'dddu', expected: 'down', failing: ['v0', 'v1', 'v2'] },
    // Quorum given by the monitor.
    { name: 'quorum 1: one failing vantage is down for everyone', vantages: 'duu', quorum: 1, expected: 'down', failing: ['v0'] },
    { name: 'quorum 3: two of three failing is partial', vantages: 'ddu', quorum: 3, expected: 'partial', failing: ['v0', 'v1'] },
    { name: 'quorum 3 reached', vantages: 'dddu', quorum: 3, expected: 'down', failing: ['v0', 'v1', 'v2'] },
    { name: 'quorum larger than the vantages: never down, at most partial', vantages: 'dd', quorum: 3, expected: 'partial', failing: ['v0', 'v1'] },
    // Impaired and offline vantages are set aside, for and against.
    { name: 'an impaired vantage failing everything is set aside', vantages: 'duu', conditions: 'ioo', expected: 'up' },
    { name: 'an offline vantage last seen down does not count', vantages: 'duu', conditions: 'xoo', expected: 'up' },
    { name: 'an offline vantage last seen up does not count either', vantages: 'udd', conditions: 'xoo', expected: 'down', failing: ['v1', 'v2'] },
    { name: 'set aside, the rest makes the quorum: 2 of 2', vantages: 'ddu', conditions: 'ooi', expected: 'down', failing: ['v0', 'v1'] },
    { name: 'set aside, a tie is left', vantages: 'ddu', conditions: 'xoo', expected: 'partial', failing: ['v1'] },
    { name: 'every vantage set aside: the status stays', vantages: 'dd', conditions: 'ix', previous: 'up', expected: 'up' },
    { name: 'every vantage set aside while paused before: pending', vantages: 'd', conditions: 'x', previous: 'paused', expected: 'pending' },
    // Pending, paused and maintenance vantages do not vote.
    { name: 'pending vantages do not vote', vantages: 'ppd', expected: 'down', failing: ['v2'] },
    { name: 'a vantage joining (pending) does not dilute an outage', vantages: 'ddp', expected: 'down', failing: ['v0', 'v1'] },
    { name: 'paused vantages are left out', vantages: 'zdu', expected: 'partial', failing: ['v1'] },
    { name: 'maintenance everywhere', vantages: 'mm', expected: 'maintenance' },
    { name: 'nothing confirmed yet', vantages: 'pp', expected: 'pending' },
    // Degraded.
    { name: 'most slow is degraded', vantages: 'ggu', expected: 'degraded' },
    { name: 'a tie of slow is up', vantages: 'gu', expected: 'up' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const decided = consensus(states(row.vantages), row.previous ?? 'pending', factsOf(row.conditions), row.quorum);
      assert.equal(decided.status, row.expected);
      assert.deepEqual(decided.failing.map((v) => v.vantage), row.failing ?? []);
    });
  }
});

describe('scopes name the failing vantages and their regions', () => {
  it('sorted, regions once each', () => {
    const failing = [vantage('v2', 'down'), vantage('v0', 'down'), vantage('v1', 'down')];
    assert.deepEqual(scopeOf(failing, factsOf()), { vantages: ['v0', 'v1', 'v2'], regions: ['eu-west', 'us-east'] });
  });
  it('a vantage without a region is named, its region left out', () => {
    assert.deepEqual(scopeOf([vantage('v9', 'down')], factsOf()), { vantages: ['v9'], regions: [] });
  });
});

/**
 * A story: each step sets the vantages' statuses (and conditions) as after one check of `trigger`,
 * judges and maps events to incidents, as ingest does. Returns the events and incident changes of all steps.
 */
function story(steps: readonly { vantages: string; conditions?: string; trigger: number; quorum?: number }[]) {
  let state: MonitorState = initialMonitorState('m1', 0);
  const changes: IncidentChanges = emptyChanges();
  const events: MonitorEvent[][] = [];
  let id = 0;
  steps.forEach((step, i) => {
    const at = (i + 1) * 1000;
    const all = states(step.vantages, at);
    const facts = factsOf(step.conditions);
    const judged = judge(state, all, { vantage: all[step.trigger]!, events: [], at }, { facts, ...(step.quorum !== undefined ? { quorum: step.quorum } : {}) });
    state = applyIncidentEvents(judged.state, 'M1', judged.events, () => `id${++id}`, changes, (v) => REGION[v]);
    events.push(judged.events.map((e) => e) as MonitorEvent[]);
  });
  return { state, changes, types: events.map((list) => list.map((e) => e.type).join(',')) };
}

describe('incidents across vantages', () => {
  it('partial, then global, then partial again, then over: one incident, its scope changes on the timeline', () => {
    const { changes, types, state } = story([
      { vantages: 'uuu', trigger: 0 },
      { vantages: 'duu', trigger: 0 },
      { vantages: 'ddu', trigger: 1 },
      { vantages: 'udu', trigger: 0 },
      { vantages: 'uuu', trigger: 1 },
    ]);
    assert.deepEqual(types, ['', 'partial', 'scope_changed,went_down', 'scope_changed', 'recovered']);
    assert.equal(changes.opened.length, 1, 'partial to global and back are one incident');
    const incident = changes.opened[0]!;
    assert.equal(incident.title, 'M1 is partly down (eu-west)');
    assert.deepEqual(incident.scope, { kind: 'partial', vantages: ['v0'], regions: ['eu-west'] });
    assert.deepEqual(incident.timeline.map((e) => e.kind), ['partial']);
    assert.deepEqual(incident.timeline[0]!.scope?.evidence.map((e) => e.resultId), ['r-v0-2000', 'r-v1-2000', 'r-v2-2000'], 'result ids per vantage');
    assert.deepEqual(changes.appended.map((e) => e.kind), ['scope_changed', 'confirmed_down', 'scope_changed', 'recovered']);
    assert.match(changes.appended[0]!.message, /v0 \(eu-west\), v1 \(eu-west\): down for everyone/);
    assert.match(changes.appended[2]!.message, /now fails from v1 \(eu-west\) only \(was v0 \(eu-west\), v1 \(eu-west\)\)/);
    assert.deepEqual(changes.rescoped, [
      { id: incident.id, scope: { kind: 'global', vantages: ['v0', 'v1'], regions: ['eu-west'] }, title: 'M1 is down' },
      { id: incident.id, scope: { kind: 'partial', vantages: ['v1'], regions: ['eu-west'] }, title: 'M1 is partly down (eu-west)' },
    ]);
    assert.deepEqual(changes.resolved, [{ id: incident.id, resolvedAt: 5000 }]);
    assert.equal(state.openIncidentId, undefined);
    assert.equal(state.scope, undefined);
  });

  it('global from the start: a down incident whose scope is global', () => {
    const { changes, types } = story([
      { vantages: 'uuu', trigger: 0 },
      { vantages: 'ddd', trigger: 2 },
    ]);
    assert.deepEqual(types, ['', 'went_down']);
    assert.equal(changes.opened[0]!.title, 'M1 is down');
    assert.deepEqual(changes.opened[0]!.scope, { kind: 'global', vantages: ['v0', 'v1', 'v2'], regions: ['eu-west', 'us-east'] });
  });

  it('an impaired vantage failing opens nothing, and is not named when the target fails for real', () => {
    const { changes, types } = story([
      { vantages: 'uuu', trigger: 0 },
      { vantages: 'duu', conditions: 'ioo', trigger: 0 },
      { vantages: 'ddu', conditions: 'ioo', trigger: 1 },
    ]);
    assert.deepEqual(types, ['', '', 'partial']);
    assert.deepEqual(changes.opened[0]!.scope, { kind: 'partial', vantages: ['v1'], regions: ['eu-west'] }, 'v0 is set aside');
  });

  it('an offline vantage leaves mid-incident: the scope narrows; when the last failing one leaves, it is over', () => {
    const { changes, types } = story([
      { vantages: 'uuuu', trigger: 0 },
      { vantages: 'dduu', trigger: 1 },
      { vantages: 'dduu', conditions: 'xooo', trigger: 2 },
      { vantages: 'dduu', conditions: 'xxoo', trigger: 2 },
    ]);
    assert.deepEqual(types, ['', 'partial', 'scope_changed', 'recovered']);
    assert.equal(changes.opened.length, 1);
    assert.deepEqual(changes.rescoped?.map((r) => r.scope.vantages), [['v1']]);
  });

  it('vantages joining mid-outage: pending ones change nothing; once they pass, down narrows to partial', () => {
    const { types, changes } = story([
      { vantages: 'dd', trigger: 0 },
      { vantages: 'ddp', trigger: 2 },
      { vantages: 'ddu', trigger: 2 },
      { vantages: 'dduu', trigger: 3 },
    ]);
    assert.deepEqual(types, ['went_down', '', '', 'scope_changed']);
    assert.equal(changes.opened.length, 1);
    assert.deepEqual(changes.rescoped, [{ id: changes.opened[0]!.id, scope: { kind: 'partial', vantages: ['v0', 'v1'], regions: ['eu-west'] }, title: 'M1 is partly down (eu-west)' }]);
  });

  it('a vantage joining a partial outage and failing too: the scope widens, still partial below the quorum', () => {
    const { types, changes } = story([
      { vantages: 'uuuu', trigger: 0 },
      { vantages: 'duuu', trigger: 0 },
      { vantages: 'duuud', trigger: 4, quorum: 3 },
    ]);
    assert.deepEqual(types, ['', 'partial', 'scope_changed']);
    assert.deepEqual(changes.rescoped?.[0]!.scope, { kind: 'partial', vantages: ['v0', 'v4'], regions: ['eu-west', 'us-east'] });
  });

  it('every vantage set aside while down: nothing changes, the incident stays open', () => {
    const { types, state } = story([
      { vantages: 'dd', trigger: 0 },
      { vantages: 'uu', conditions: 'ii', trigger: 0 },
    ]);
    assert.deepEqual(types, ['went_down', '']);
    assert.equal(state.status, 'down');
    assert.notEqual(state.openIncidentId, undefined);
  });

  it('one vantage, impaired: judged as set aside, not as what it sees', () => {
    const { types } = story([
      { vantages: 'u', trigger: 0 },
      { vantages: 'd', conditions: 'i', trigger: 0 },
    ]);
    assert.deepEqual(types, ['', '']);
  });
});

describe('noVantageSees: when the pages claim nothing', () => {
  const rows: { name: string; hubImpaired: boolean; others: VantageCondition[]; expected: boolean }[] = [
    { name: 'the hub alone, impaired', hubImpaired: true, others: [], expected: true },
    { name: 'the hub alone, fine', hubImpaired: false, others: [], expected: false },
    { name: 'the hub impaired, an agent ok: its checks are current', hubImpaired: true, others: ['offline', 'ok'], expected: false },
    { name: 'the hub impaired, agents impaired or offline', hubImpaired: true, others: ['impaired', 'offline'], expected: true },
    { name: 'the hub fine, agents all away', hubImpaired: false, others: ['offline', 'impaired'], expected: false },
  ];
  for (const row of rows) it(row.name, () => assert.equal(noVantageSees(row.hubImpaired, row.others), row.expected));
});
