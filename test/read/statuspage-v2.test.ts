// The Statuspage v2 mapping, pure: incident statuses, impact, components and page times.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { MonitorSpec, StatusPageSpec } from '../../src/domain/monitor.js';
import type { Incident, MonitorState, MonitorStatus, TimelineKind } from '../../src/domain/state.js';
import { pageStatus } from '../../src/read/components.js';
import { incidentImpact, incidentStatus, updateStatuses, v2Components, v2Incident, v2Page, type V2Context } from '../../src/read/statuspage-v2.js';
import { entry, incident, MINUTE, state, T0 } from '../storage/fixtures.js';

const spec = (id: string, component: string): MonitorSpec => ({
  id,
  name: id.toUpperCase(),
  probe: { type: 'tcp', host: '127.0.0.1', port: 9 },
  intervalMs: 60_000,
  timeoutMs: 5_000,
  failureThreshold: 3,
  successThreshold: 2,
  tags: [],
  component,
  maintenance: [],
  paused: false,
});
const MONITORS = [spec('a1', 'A'), spec('a2', 'A'), spec('b1', 'B'), spec('c1', 'C')];
const PAGE: StatusPageSpec = { slug: 'main', title: 'Main', links: [], theme: 'auto', timezone: 'UTC', components: [], isDefault: true };

function contextWith(statuses: Record<string, MonitorStatus>, page: StatusPageSpec = PAGE): V2Context {
  const states = new Map<string, MonitorState>(Object.entries(statuses).map(([id, status], n) => [id, state(id, { status, since: T0 + n * MINUTE })]));
  return { page, status: pageStatus(page, MONITORS, states), pageUrl: 'http://x.test/', incidentUrl: (id) => `http://x.test/incidents/${id}`, now: T0 + 60 * MINUTE };
}

const timeline = (id: string, kinds: readonly TimelineKind[]) => kinds.map((kind, n) => entry(`${id}-${n}`, id, T0 + n * MINUTE, { kind }));

describe('incident update statuses', () => {
  const cases: { name: string; kinds: TimelineKind[]; resolvedAtIndex?: number; expected: string[]; incident: string }[] = [
    { name: 'first failure only', kinds: ['first_failure'], expected: ['investigating'], incident: 'investigating' },
    { name: 'confirmed', kinds: ['first_failure', 'confirmed_down'], expected: ['investigating', 'identified'], incident: 'identified' },
    { name: 'error changed while down', kinds: ['first_failure', 'confirmed_down', 'error_changed'], expected: ['investigating', 'identified', 'identified'], incident: 'identified' },
    {
      name: 'maintenance keeps the status',
      kinds: ['first_failure', 'confirmed_down', 'maintenance_started', 'maintenance_ended'],
      expected: ['investigating', 'identified', 'identified', 'identified'],
      incident: 'identified',
    },
    {
      name: 'resolved by the recovery',
      kinds: ['first_failure', 'confirmed_down', 'recovered'],
      resolvedAtIndex: 2,
      expected: ['investigating', 'identified', 'resolved'],
      incident: 'resolved',
    },
    {
      name: 'one monitor recovered, another still down: monitoring, then identified again',
      kinds: ['first_failure', 'confirmed_down', 'recovered', 'confirmed_down'],
      expected: ['investigating', 'identified', 'monitoring', 'identified'],
      incident: 'identified',
    },
    { name: 'open, last word a recovery', kinds: ['first_failure', 'confirmed_down', 'recovered'], expected: ['investigating', 'identified', 'monitoring'], incident: 'monitoring' },
  ];
  for (const row of cases) {
    it(row.name, () => {
      const resolved = row.resolvedAtIndex !== undefined ? { state: 'resolved' as const, resolvedAt: T0 + row.resolvedAtIndex * MINUTE } : {};
      const subject = incident('i', T0, { timeline: timeline('i', row.kinds), ...resolved });
      assert.deepEqual(updateStatuses(subject), row.expected);
      assert.equal(incidentStatus(subject), row.incident);
    });
  }
});

describe('incident impact', () => {
  const cases: { name: string; monitorIds: string[]; statuses?: Record<string, MonitorStatus>; page?: StatusPageSpec; impact: string }[] = [
    { name: 'one of two monitors of a component: major', monitorIds: ['a1'], impact: 'major' },
    { name: 'every monitor of a component: critical', monitorIds: ['a1', 'a2'], impact: 'critical' },
    { name: 'the only monitor of a component: critical', monitorIds: ['b1'], impact: 'critical' },
    { name: 'paused monitors do not count', monitorIds: ['a1'], statuses: { a2: 'paused' }, impact: 'critical' },
    { name: 'worst component wins', monitorIds: ['a1', 'b1'], impact: 'critical' },
    { name: 'nothing on this page: none', monitorIds: ['c1'], page: { ...PAGE, components: ['A', 'B'] }, impact: 'none' },
    { name: 'a monitor no longer configured: none', monitorIds: ['gone'], impact: 'none' },
  ];
  for (const row of cases) {
    it(row.name, () => {
      const context = contextWith(row.statuses ?? {}, row.page);
      assert.equal(incidentImpact(context.status, incident('i', T0, { monitorIds: row.monitorIds })), row.impact);
    });
  }
});

describe('incident impact across vantages', () => {
  const partial = { kind: 'partial' as const, vantages: ['a1'], regions: ['eu-west'] };
  const scopeEntry = (kind: 'partial' | 'global', id: string) =>
    ({ id, incidentId: 'i', at: T0, kind: kind === 'partial' ? ('partial' as const) : ('scope_changed' as const), message: '', scope: { ...partial, kind, evidence: [] } });
  it('a partial outage of the only monitor of a component is major, not critical', () => {
    const context = contextWith({});
    assert.equal(incidentImpact(context.status, incident('i', T0, { monitorIds: ['b1'], scope: partial, timeline: [scopeEntry('partial', 'e1')] })), 'major');
  });
  it('a partial outage that became global, and back, keeps the impact it had: critical', () => {
    const context = contextWith({});
    const timeline = [scopeEntry('partial', 'e1'), scopeEntry('global', 'e2'), scopeEntry('partial', 'e3')];
    assert.equal(incidentImpact(context.status, incident('i', T0, { monitorIds: ['b1'], scope: partial, timeline })), 'critical');
  });
  it('partial and scope entries say Candor has identified what fails, and from where', () => {
    assert.deepEqual(updateStatuses(incident('i', T0, { timeline: [scopeEntry('partial', 'e1'), scopeEntry('global', 'e2')] })), ['identified', 'identified']);
  });
});

describe('v2 objects', () => {
  it('components: position from 1 in page order, times from their monitors’ states; one with nothing known is left out', () => {
    const context = contextWith({ a1: 'up', a2: 'down', b1: 'up' });
    const components = v2Components(context);
    assert.deepEqual(
      components.map((c) => [c.id, c.status, c.position, c.created_at, c.updated_at]),
      [
        ['a', 'partial_outage', 1, new Date(T0).toISOString(), new Date(T0 + MINUTE).toISOString()],
        ['b', 'operational', 2, new Date(T0 + 2 * MINUTE).toISOString(), new Date(T0 + 2 * MINUTE).toISOString()],
      ],
    );
    assert.deepEqual(
      { description: components[0]!.description, group: components[0]!.group, group_id: components[0]!.group_id, showcase: components[0]!.showcase },
      { description: null, group: false, group_id: null, showcase: true },
    );
  });

  it('page: updated at the latest component change or incident activity', () => {
    const context = contextWith({ a1: 'up' });
    assert.equal(v2Page(context, []).updated_at, new Date(T0).toISOString());
    const later: Incident = incident('i', T0, { timeline: timeline('i', ['first_failure', 'confirmed_down', 'error_changed']) });
    assert.equal(v2Page(context, [later]).updated_at, new Date(T0 + 2 * MINUTE).toISOString());
    assert.equal(v2Page(contextWith({}), []).updated_at, new Date(T0 + 60 * MINUTE).toISOString(), 'nothing known: now');
  });

  it('incident: monitoring_at at the first recovery that left it open, components touched in page order', () => {
    const subject = incident('i', T0, { monitorIds: ['b1', 'a1'], timeline: timeline('i', ['first_failure', 'confirmed_down', 'recovered', 'confirmed_down']) });
    const v2 = v2Incident(contextWith({ a1: 'down', b1: 'up' }), subject);
    assert.equal(v2.monitoring_at, new Date(T0 + 2 * MINUTE).toISOString());
    assert.deepEqual(
      v2.components.map((c) => [c.id, c.position]),
      [
        ['a', 1],
        ['b', 2],
      ],
    );
    assert.deepEqual(
      v2.incident_updates.map((u) => u.id),
      ['i-3', 'i-2', 'i-1', 'i-0'],
    );
    assert.equal(v2.shortlink, 'http://x.test/incidents/i');
  });
});
