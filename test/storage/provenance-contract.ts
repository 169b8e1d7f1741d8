// The provenance part of the storage contract (run by contract.ts on SQLite and PostgreSQL).
import { it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import type { Store } from '../../src/storage/store.js';
import type { MonitorSpec } from '../../src/domain/monitor.js';
import type { PolicySpec } from '../../src/domain/policies.js';
import { ProvenanceRecorder } from '../../src/provenance/recorder.js';
import { ledgerStep } from '../../src/provenance/ledger-step.js';
import { CERT_B, movedToB, snapshot } from '../provenance/snapshots.js';
import { MINUTE, T0, incident } from './fixtures.js';

const silent = pino({ level: 'silent' });

function counter(prefix: string): { next(): string } {
  let n = 0;
  // Sortable ids, like ULIDs, so "newest first" ties break the same way on both engines.
  return { next: () => `${prefix}${String(++n).padStart(8, '0')}` };
}

const web = { id: 'web', name: 'Website', component: 'Website', tags: ['eu'] } as unknown as MonitorSpec;
const EU_ONLY: PolicySpec = { id: 'eu-only', appliesTo: { tags: ['eu'] }, allow: { countries: ['NL', 'DE'] } };

export function provenanceContract(store: () => Store): void {
  it('keeps provenance as changes only: an unchanged day of 10-minute snapshots is one row', async () => {
    const recorder = new ProvenanceRecorder({ store: store(), ids: counter('p'), log: silent, monitors: new Map([['web', web]]), policies: [] });
    for (let i = 0; i < 144; i++) await recorder.record({ monitorId: 'web', vantage: 'local', at: T0 + i * 10 * MINUTE, snapshot: snapshot() });
    const history = await store().provenance.history('web', T0, T0 + 86_400_000, 100);
    assert.equal(history.length, 1);
    assert.equal(history[0]!.observations, 144);
    assert.equal(history[0]!.firstSeen, T0);
    assert.equal(history[0]!.lastSeen, T0 + 143 * 10 * MINUTE);
    assert.deepEqual(history[0]!.snapshot, snapshot());
    assert.deepEqual(await store().provenance.changes({ limit: 10 }), []);
  });

  it('records a move and its return as entries, change events and one policy incident, per vantage', async () => {
    const recorder = new ProvenanceRecorder({ store: store(), ids: counter('p'), log: silent, monitors: new Map([['web', web]]), policies: [EU_ONLY] });
    const at = (minutes: number) => T0 + minutes * MINUTE;
    await recorder.record({ monitorId: 'web', vantage: 'local', at: at(0), snapshot: snapshot() });
    await recorder.record({ monitorId: 'web', vantage: 'eu-west', at: at(1), snapshot: snapshot() });
    await recorder.record({ monitorId: 'web', vantage: 'local', at: at(10), snapshot: movedToB() });
    await recorder.record({ monitorId: 'web', vantage: 'local', at: at(20), snapshot: movedToB() });
    const open = await store().listIncidents({ state: 'open', limit: 10 });
    assert.equal(open.length, 1);
    assert.equal(open[0]!.kind, 'policy_violation');
    assert.deepEqual(open[0]!.monitorIds, ['web']);
    assert.match(open[0]!.timeline[0]!.message, /seen from local: allow\.countries: US is not allowed/);
    const [violation] = await store().provenance.violations();
    assert.deepEqual({ ...violation, ledgerEntryId: undefined }, { policyId: 'eu-only', monitorId: 'web', vantage: 'local', since: at(10), incidentId: open[0]!.id, breaches: [{ rule: 'allow.countries', value: 'US' }], ledgerEntryId: undefined });
    assert.deepEqual(await store().listIncidents({ kind: 'outage', limit: 10 }), [], 'a policy incident is no outage');

    await recorder.record({ monitorId: 'web', vantage: 'local', at: at(30), snapshot: snapshot({ certificate: CERT_B }) });
    assert.deepEqual(await store().provenance.violations(), []);
    const resolved = await store().getIncident(open[0]!.id);
    assert.equal(resolved?.state, 'resolved');
    assert.equal(resolved?.resolvedAt, at(30));
    assert.deepEqual(resolved?.timeline.map((e) => e.kind), ['policy_violated', 'policy_complied']);

    const changes = await store().provenance.changes({ limit: 100 });
    // Newest first; within one snapshot, the newest id first.
    assert.deepEqual(
      changes.map((c) => `${(c.at - T0) / MINUTE}:${c.kind}`),
      ['30:certificate', '30:certificate_issuer', '30:country', '30:network', '30:addresses', '10:country', '10:network', '10:addresses'],
    );
    assert.deepEqual(changes.find((c) => c.kind === 'country' && c.at === at(10))?.previous, ['NL']);
    assert.deepEqual((await store().provenance.changes({ since: at(30), limit: 100 })).length, 5);
    assert.deepEqual((await store().provenance.changes({ monitorId: 'other', limit: 100 })).length, 0);
    const page = await store().provenance.changes({ limit: 3 });
    const rest = await store().provenance.changes({ before: { at: page.at(-1)!.at, id: page.at(-1)!.id }, limit: 100 });
    assert.deepEqual([...page, ...rest], changes, 'pages follow on');

    const current = await store().provenance.current('web');
    assert.deepEqual(current.map((e) => [e.vantage, e.firstSeen, e.lastSeen]), [['eu-west', at(1), at(1)], ['local', at(30), at(30)]]);
    assert.deepEqual((await store().provenance.current()).length, 2);
    const history = await store().provenance.history('web', at(5), at(25), 100);
    assert.deepEqual(history.map((e) => [e.vantage, e.firstSeen, e.observations]), [['local', at(0), 1], ['eu-west', at(1), 1], ['local', at(10), 2]]);
  });

  it('ignores a snapshot older than the ledger already holds', async () => {
    const recorder = new ProvenanceRecorder({ store: store(), ids: counter('p'), log: silent, monitors: new Map([['web', web]]), policies: [] });
    await recorder.record({ monitorId: 'web', vantage: 'local', at: T0 + 10, snapshot: snapshot() });
    await recorder.record({ monitorId: 'web', vantage: 'local', at: T0 + 5, snapshot: movedToB() });
    const [entry] = await store().provenance.current('web');
    assert.equal(entry?.lastSeen, T0 + 10);
    assert.deepEqual(await store().provenance.changes({ limit: 10 }), []);
  });

  it('writes nothing of the ledger when its transaction fails', async () => {
    const step = ledgerStep(undefined, { monitorId: 'web', vantage: 'local', at: T0, snapshot: snapshot() }, counter('x').next);
    await assert.rejects(
      store().transact(async (tx) => {
        await tx.provenance.write(step.write!);
        throw new Error('boom');
      }),
    );
    assert.deepEqual(await store().provenance.current(), []);
  });

  it('closes the violations of a policy removed from the config at reconcile', async () => {
    const ids = counter('p');
    const withPolicy = new ProvenanceRecorder({ store: store(), ids, log: silent, monitors: new Map([['web', web]]), policies: [EU_ONLY] });
    await withPolicy.record({ monitorId: 'web', vantage: 'local', at: T0, snapshot: movedToB() });
    assert.equal((await store().provenance.violations()).length, 1);
    const again = await withPolicy.reconcile(T0 + 1);
    assert.deepEqual(again.incidents, { opened: [], appended: [], resolved: [] }, 'unchanged config: nothing to do');
    const without = new ProvenanceRecorder({ store: store(), ids, log: silent, monitors: new Map([['web', web]]), policies: [] });
    const outcome = await without.reconcile(T0 + 2);
    assert.equal(outcome.incidents.resolved.length, 1);
    assert.deepEqual(await store().provenance.violations(), []);
    assert.deepEqual(await store().listIncidents({ state: 'open', limit: 10 }), []);
  });

  it('keeps the kind of an incident, outages without one', async () => {
    await store().commit({ incidentsOpened: [incident('outage-1', T0), { ...incident('policy-1', T0 + 1), kind: 'policy_violation' }] });
    assert.equal((await store().getIncident('outage-1'))?.kind, undefined);
    assert.equal((await store().getIncident('policy-1'))?.kind, 'policy_violation');
    assert.deepEqual((await store().listIncidents({ kind: 'outage', limit: 10 })).map((i) => i.id), ['outage-1']);
    assert.deepEqual((await store().listIncidents({ kind: 'policy_violation', limit: 10 })).map((i) => i.id), ['policy-1']);
  });
}
