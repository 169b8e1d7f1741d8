import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { initialState, setPaused, step, type MonitorEvent } from '../../src/domain/state-machine.js';
import { applyIncidentEvents, emptyChanges } from '../../src/domain/incidents.js';
import { initialMonitorState, judge } from '../../src/domain/judge.js';
import type { MonitorState, VantageState } from '../../src/domain/state.js';
import type { CheckResult } from '../../src/domain/verdict.js';
import type { ErrorKind } from '../../src/domain/observation.js';

// One character per check: '+' pass, 's' pass but slow (degraded), 'x' fail (timeout), 'r' fail (connect_refused),
// 'm' pass inside maintenance, 'M' fail inside maintenance.
const LETTER: Record<string, string> = { pending: 'p', up: 'u', degraded: 'g', down: 'd', maintenance: 'm', paused: 'z' };

// Runs the state machine, the judge (one vantage) and the incident mapping together, as ingest does.
function run(
  script: string,
  thresholds = { failureThreshold: 3, successThreshold: 2 },
  start?: { readonly vantage: VantageState; readonly monitor: MonitorState },
) {
  let vantage = start?.vantage ?? initialState('m1', 0);
  let state = start?.monitor ?? initialMonitorState('m1', 0);
  let nextId = 0;
  const changes = emptyChanges();
  const events: MonitorEvent[] = [];
  const statuses: string[] = [];
  [...script].forEach((symbol, index) => {
    const kind: ErrorKind | undefined = symbol === 'x' || symbol === 'M' ? 'timeout' : symbol === 'r' ? 'connect_refused' : undefined;
    const result: CheckResult = {
      id: `r${index}`,
      monitorId: 'm1',
      vantage: 'local',
      plannedAt: index * 1000,
      startedAt: index * 1000,
      ok: kind === undefined,
      degraded: symbol === 's',
      maintenance: symbol === 'm' || symbol === 'M',
      inconclusive: false,
      latencyMs: 10,
      phases: { total: 10 },
      ...(kind ? { error: { kind, message: kind } } : {}),
      details: { type: 'http' },
    };
    const transition = step(vantage, result, thresholds, result.maintenance);
    vantage = transition.state;
    const judgement = judge(state, [vantage], { vantage, events: transition.events, at: result.startedAt });
    state = applyIncidentEvents(judgement.state, 'M1', judgement.events, () => `id${nextId++}`, changes);
    events.push(...judgement.events);
    statuses.push(LETTER[state.status]!);
  });
  return { state, vantage, events, changes, types: events.map((e) => e.type), statuses: statuses.join('') };
}

describe('outage state machine', () => {
  const cases: { name: string; script: string; statuses: string; events: string[]; thresholds?: { failureThreshold: number; successThreshold: number } }[] = [
    { name: 'first pass makes a pending monitor up', script: '+', statuses: 'u', events: [] },
    { name: 'first failures stay pending until confirmed', script: 'xxx', statuses: 'ppd', events: ['went_down'] },
    { name: 'down only after failureThreshold consecutive failures', script: '+xx+xxx', statuses: 'uuuuuud', events: ['went_down'] },
    { name: 'flapping never confirms', script: '+x+x+x+x+x', statuses: 'uuuuuuuuuu', events: [] },
    { name: 'recovery needs successThreshold passes', script: '+xxx+x++', statuses: 'uuuddddu', events: ['went_down', 'recovered'] },
    { name: 'threshold 1 both ways reacts at once', script: '+x+', statuses: 'udu', events: ['went_down', 'recovered'], thresholds: { failureThreshold: 1, successThreshold: 1 } },
    { name: 'change of error kind while down is an event', script: '+xxxrrx', statuses: 'uuudddd', events: ['went_down', 'error_changed', 'error_changed'] },
    { name: 'slow passes degrade after failureThreshold, fast ones restore', script: '+sss++', statuses: 'uuuggu', events: ['degraded', 'degraded_recovered'] },
    { name: 'a failure during degraded counts towards down', script: '+sssxxx', statuses: 'uuugggd', events: ['degraded', 'went_down'] },
    { name: 'maintenance suppresses failures', script: '+MMMM+', statuses: 'ummmmu', events: ['maintenance_started', 'maintenance_ended'] },
    { name: 'failures right after maintenance need a full new streak', script: '+xxMxx', statuses: 'uuumpp', events: ['maintenance_started', 'maintenance_ended'] },
    { name: 'down before maintenance stays down after it until recovery', script: 'xxxmm++', statuses: 'ppdmmdu', events: ['went_down', 'maintenance_started', 'maintenance_ended', 'recovered'] },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const outcome = run(c.script, c.thresholds);
      assert.equal(outcome.statuses, c.statuses);
      assert.deepEqual(outcome.types, c.events);
    });
  }

  it('remembers the first failing check of the streak as evidence', () => {
    const { events, state } = run('+xxx');
    const wentDown = events.find((e) => e.type === 'went_down');
    assert.ok(wentDown && wentDown.type === 'went_down');
    assert.equal(wentDown.firstFailure.resultId, 'r1');
    assert.equal(wentDown.confirmation.resultId, 'r3');
    assert.equal(state.since, 1000, 'down since the first failing check');
  });

  it('paused monitors ignore results; resuming starts pending', () => {
    const paused = setPaused(initialState('m1', 0), true, 0);
    assert.equal(paused.status, 'paused');
    const { statuses } = run('xxxx', undefined, { vantage: paused, monitor: { ...initialMonitorState('m1', 0), status: 'paused' } });
    assert.equal(statuses, 'zzzz');
    assert.equal(setPaused(paused, false, 5).status, 'pending');
  });

  it('a restart restores down state: no duplicate incident, recovery still resolves it', () => {
    const before = run('xxx');
    assert.equal(before.changes.opened.length, 1);
    const incidentId = before.changes.opened[0]!.id;
    assert.equal(before.state.openIncidentId, incidentId);
    // A restart: the state is read back from storage as it was written.
    const restored = JSON.parse(JSON.stringify({ vantage: before.vantage, monitor: before.state })) as { vantage: VantageState; monitor: MonitorState };
    const after = run('xx++', undefined, restored);
    assert.deepEqual(after.types, ['recovered']);
    assert.equal(after.changes.opened.length, 0);
    assert.deepEqual(after.changes.resolved.map((r) => r.id), [incidentId]);
    assert.equal(after.state.openIncidentId, undefined);
  });

  it('inconclusive failures (impaired vantage) neither count nor confirm; the streak resumes after', () => {
    let state = initialState('m1', 0);
    const failure = (i: number): CheckResult => ({
      id: `h${i}`,
      monitorId: 'm1',
      vantage: 'local',
      plannedAt: i * 1000,
      startedAt: i * 1000,
      ok: false,
      degraded: false,
      maintenance: false,
      inconclusive: false,
      latencyMs: 1,
      phases: { total: 1 },
      error: { kind: 'connect_unreachable', message: 'no route' },
      details: { type: 'tcp' },
    });
    const t = { failureThreshold: 3, successThreshold: 2 };
    state = step(state, failure(0), t, false).state;
    for (let i = 1; i < 6; i++) {
      const held = step(state, failure(i), t, false, { inconclusive: true });
      assert.deepEqual(held.events, []);
      state = held.state;
    }
    assert.equal(state.status, 'pending');
    assert.equal(state.consecutiveFailures, 1, 'only the conclusive failure counted');
    assert.equal(step(state, failure(6), t, false).events.length, 0);
    const confirmed = step(step(state, failure(6), t, false).state, failure(7), t, false);
    assert.deepEqual(confirmed.events.map((e) => e.type), ['went_down']);
    assert.equal(confirmed.state.since, 0, 'down since the first conclusive failure of the streak');
  });

  it('counts stop at their thresholds, so a steady monitor keeps the same state check after check', () => {
    const steady = run('++++++');
    assert.equal(steady.vantage.consecutiveSuccesses, 2);
    const stillDown = run('xxxxxxx');
    assert.equal(stillDown.vantage.consecutiveFailures, 3);
    assert.equal(stillDown.vantage.firstFailure?.resultId, 'r0', 'the first failure of the streak stays');
    const thresholdOne = run('xxxx', { failureThreshold: 1, successThreshold: 1 });
    assert.equal(thresholdOne.vantage.firstFailure?.resultId, 'r0');
  });

  it('states carry no undefined-valued keys (canonical form)', () => {
    const { state, vantage } = run('+xxx++');
    for (const [key, value] of Object.entries(state)) assert.notEqual(value, undefined, key);
    for (const [key, value] of Object.entries(vantage)) assert.notEqual(value, undefined, key);
  });
});

describe('incidents from events', () => {
  it('opens one incident with first failure and confirmation, then error change and recovery', () => {
    const { state, changes } = run('+xxxr++');
    assert.equal(changes.opened.length, 1);
    const incident = changes.opened[0]!;
    assert.equal(incident.title, 'M1 is down');
    assert.equal(incident.startedAt, 1000);
    assert.deepEqual(incident.timeline.map((e) => e.kind), ['first_failure', 'confirmed_down']);
    assert.equal(incident.timeline[0]!.evidence?.resultId, 'r1');
    assert.deepEqual(changes.appended.map((e) => e.kind), ['error_changed', 'recovered']);
    assert.match(changes.appended[0]!.message, /from timeout: connect_refused/);
    assert.deepEqual(changes.resolved, [{ id: incident.id, resolvedAt: 6000 }]);
    assert.equal(state.openIncidentId, undefined);
    assert.equal(state.status, 'up');
  });

  it('a monitor resumed from a pause with its incident still open resolves it at its first passing check', () => {
    const down = run('xxx');
    const paused = setPaused(down.vantage, true, 5000);
    const resumed = setPaused(paused, false, 6000);
    const after = run('+', undefined, { vantage: resumed, monitor: down.state });
    assert.deepEqual(after.types, ['recovered']);
    assert.deepEqual(after.changes.resolved.map((r) => r.id), [down.changes.opened[0]!.id]);
  });

  it('a flapping monitor opens no incident at all', () => {
    const { changes } = run('+x+xx+x+xx+');
    assert.deepEqual(changes, { opened: [], appended: [], resolved: [] });
  });
});
