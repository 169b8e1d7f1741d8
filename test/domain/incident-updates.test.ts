import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentStatus, decidePostmortem, decideUpdate, openManualIncident, postmortemOf } from '../../src/domain/incident-updates.js';
import type { Incident } from '../../src/domain/state.js';

const ids = () => {
  let n = 0;
  return () => `id${++n}`;
};
const manual = openManualIncident({ title: 'Slow logins', status: 'investigating', impact: 'minor', components: ['Login'], message: 'Looking' }, ['login'], 1000, ids());
const automatic: Incident = { id: 'auto', title: 'Shop is down', state: 'open', monitorIds: ['shop'], startedAt: 0, timeline: [] };
const resolved: Incident = { ...manual, state: 'resolved', resolvedAt: 2000, status: 'resolved' };

describe('manual incidents', () => {
  it('opens with its first update carrying the status', () => {
    assert.equal(manual.state, 'open');
    assert.equal(manual.source, 'manual');
    assert.deepEqual(manual.timeline.map((e) => [e.kind, e.status, e.message]), [['update', 'investigating', 'Looking']]);
    assert.equal(openManualIncident({ title: 't', status: 'resolved', impact: 'none', components: [], message: 'm' }, [], 5, ids()).resolvedAt, 5);
  });

  const rows: { name: string; incident: Incident; input: Parameters<typeof decideUpdate>[1]; expected: string }[] = [
    { name: 'an update keeps the status when none is given', incident: manual, input: { message: 'still' }, expected: 'investigating' },
    { name: 'an update moves the status', incident: manual, input: { status: 'identified', message: 'found' }, expected: 'identified' },
    { name: 'resolving a manual incident', incident: manual, input: { status: 'resolved', message: 'fixed' }, expected: 'resolved+' },
    { name: 'an automatic incident takes updates', incident: automatic, input: { status: 'monitoring', message: 'watching' }, expected: 'monitoring' },
    { name: 'an automatic incident is not resolved by hand', incident: automatic, input: { status: 'resolved', message: 'fixed?' }, expected: 'incident_follows_checks' },
    { name: 'a resolved incident takes no more updates', incident: resolved, input: { message: 'late' }, expected: 'incident_resolved' },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const decision = decideUpdate(row.incident, row.input, 3000, ids());
      if ('refused' in decision) return assert.equal(decision.refused.code, row.expected);
      const got = decision.amendment.status + (decision.amendment.resolvedAt === 3000 ? '+' : '');
      assert.equal(got, row.expected);
      assert.equal(decision.entry.kind, 'update');
      assert.equal(decision.entry.status, decision.amendment.status);
    });
  }

  it('a postmortem needs a resolved incident; the latest one counts', () => {
    assert.equal((decidePostmortem(manual, 'why', 3000, ids()) as { refused: { code: string } }).refused.code, 'incident_open');
    const first = decidePostmortem(resolved, 'first', 3000, ids()) as { entry: Incident['timeline'][number] };
    const second = decidePostmortem(resolved, 'second', 4000, () => 'later') as { entry: Incident['timeline'][number] };
    assert.equal(postmortemOf({ ...resolved, timeline: [...resolved.timeline, first.entry, second.entry] })?.message, 'second');
    assert.equal(currentStatus(resolved), 'resolved');
    assert.equal(currentStatus(automatic), 'investigating');
  });
});
