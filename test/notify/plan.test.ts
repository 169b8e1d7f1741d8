// Routing and planning are pure: table tests over routes, events and agents.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NoticeKind, RouteSpec } from '../../src/domain/alerting.js';
import type { MonitorSpec } from '../../src/domain/monitor.js';
import { planAgentOffline } from '../../src/notify/agent-offline.js';
import { planPolicyNotices } from '../../src/notify/policy-notices.js';
import { planDeclaredMismatches } from '../../src/notify/declared-notices.js';
import type { Incident, MonitorState } from '../../src/domain/state.js';
import type { DeclaredPoll, DeclaredStatus } from '../../src/domain/declared.js';
import { planConfigOf } from '../../src/notify/alerting.js';
import { noticesOfEvent } from '../../src/notify/events.js';
import { routeMatches } from '../../src/notify/plan.js';
import { parse, yaml } from '../config/support.js';

const monitor = { id: 'api', name: 'API', component: 'Core', tags: ['core', 'eu'] } as unknown as MonitorSpec;
const global = undefined;
const euPartial = { vantages: ['a1'], regions: ['eu-west'] };

describe('routeMatches', () => {
  const cases: ReadonlyArray<{ name: string; route: Partial<RouteSpec>; kind?: NoticeKind; scope?: typeof euPartial; matches: boolean }> = [
    { name: 'no selectors: every monitor', route: {}, matches: true },
    { name: 'kind not listed', route: { events: ['recovered'] }, matches: false },
    { name: 'by monitor id', route: { monitors: ['api'] }, matches: true },
    { name: 'another monitor', route: { monitors: ['web'] }, matches: false },
    { name: 'by component', route: { components: ['Core'] }, matches: true },
    { name: 'by tag', route: { tags: ['eu'] }, matches: true },
    { name: 'any selector may match', route: { monitors: ['web'], tags: ['core'] }, matches: true },
    { name: 'no selector matches', route: { monitors: ['web'], components: ['Site'] }, matches: false },
    { name: 'scopes: a global outage concerns every region', route: { scopes: ['us-east'] }, scope: global, matches: true },
    { name: 'scopes: a partial outage in the region', route: { scopes: ['eu-west'] }, kind: 'partial', scope: euPartial, matches: true },
    { name: 'scopes: by vantage name', route: { scopes: ['a1'] }, kind: 'partial', scope: euPartial, matches: true },
    { name: 'scopes: a partial outage elsewhere', route: { scopes: ['us-east'] }, kind: 'partial', scope: euPartial, matches: false },
  ];
  for (const { name, route, kind, scope, matches } of cases) {
    it(name, () => assert.equal(routeMatches({ events: ['went_down', 'partial'], channels: ['x'], ...route }, kind ?? 'went_down', monitor, scope), matches));
  }
});

describe('noticesOfEvent', () => {
  const cases: ReadonlyArray<{ event: Record<string, unknown>; expected: unknown }> = [
    { event: { type: 'went_down', at: 1, confirmation: { errorKind: 'timeout', errorMessage: 'no answer' } }, expected: [{ kind: 'went_down', at: 1, monitors: [{ id: 'api', name: 'API', component: 'Core', errorKind: 'timeout', errorMessage: 'no answer' }] }] },
    { event: { type: 'recovered', at: 9, downSince: 1 }, expected: [{ kind: 'recovered', at: 9, monitors: [{ id: 'api', name: 'API', component: 'Core', downSince: 1 }] }] },
    { event: { type: 'degraded', at: 2 }, expected: [{ kind: 'degraded', at: 2, monitors: [{ id: 'api', name: 'API', component: 'Core' }] }] },
    { event: { type: 'partial', at: 3, scope: { vantages: ['a1'], regions: [] } }, expected: [{ kind: 'partial', at: 3, monitors: [{ id: 'api', name: 'API', component: 'Core', scope: { vantages: ['a1'], regions: ['eu-west'] } }] }] },
    { event: { type: 'error_changed', at: 4 }, expected: [] },
    { event: { type: 'maintenance_started', at: 5 }, expected: [] },
    { event: { type: 'scope_changed', at: 6 }, expected: [] },
  ];
  for (const { event, expected } of cases) {
    it(String(event['type']), () => assert.deepEqual(noticesOfEvent(event as never, monitor, (vantage) => (vantage === 'a1' ? 'eu-west' : undefined)), expected));
  }
});

describe('planAgentOffline', () => {
  const config = parse(yaml`
    monitors: [{ id: api, type: tcp, host: localhost, port: 22 }]
    channels: [{ id: ops, url: "ntfy://alerts" }, { id: eu, url: "ntfy://eu" }]
    routes:
      - { events: [agent_offline], channels: [ops] }
      - { events: [agent_offline], scopes: [eu-west], channels: [eu] }
  `);
  const plan = planConfigOf(config, new Map(config.monitors.map((m) => [m.id, m])));
  it('announces offline agents once per silence, to the routes of their region', () => {
    const entries = planAgentOffline(plan, [
      { name: 'local', kind: 'hub', connection: 'online' },
      { name: 'a1', kind: 'agent', region: 'eu-west', connection: 'offline', lastSeenAt: 1000 },
      { name: 'a2', kind: 'agent', region: 'us-east', connection: 'offline', lastSeenAt: 2000 },
      { name: 'a3', kind: 'agent', connection: 'online', lastSeenAt: 3000 },
    ], 5000);
    assert.deepEqual(entries.map((e) => [e.channelId, e.dedup]), [['ops', 'agent_offline:a1:1000'], ['eu', 'agent_offline:a1:1000'], ['ops', 'agent_offline:a2:2000']]);
    assert.deepEqual(entries[0]?.notice, { kind: 'agent_offline', at: 5000, monitors: [], agent: { name: 'a1', lastSeenAt: 1000 } });
  });
});

describe('planPolicyNotices', () => {
  const config = parse(yaml`
    monitors:
      - { id: api, name: API, type: tcp, host: localhost, port: 22, component: Core }
      - { id: web, type: tcp, host: localhost, port: 80 }
    channels: [{ id: ops, url: "ntfy://alerts" }, { id: sov, url: "ntfy://sovereignty" }]
    routes:
      - { events: [went_down], channels: [ops] }
      - { events: [policy_violation], monitors: [api], channels: [sov] }
  `);
  const plan = planConfigOf(config, new Map(config.monitors.map((m) => [m.id, m])));
  const incident = (id: string, monitorIds: string[], kind?: 'policy_violation'): Incident => ({
    id,
    title: 'API breaks policy eu-only: AS64501 Example Net B (US)',
    state: 'open',
    startedAt: 1000,
    monitorIds,
    timeline: [],
    ...(kind ? { kind } : {}),
  });
  it('one notice per routed channel and monitor, deduplicated by incident; outages and unrouted monitors send none', () => {
    const entries = planPolicyNotices(plan, [incident('i1', ['api'], 'policy_violation'), incident('i2', ['web'], 'policy_violation'), incident('i3', ['api'])], 5000);
    assert.deepEqual(entries, [
      {
        channelId: 'sov',
        dedup: 'policy_violation:i1:api',
        notice: { kind: 'policy_violation', at: 1000, monitors: [{ id: 'api', name: 'API', component: 'Core' }], detail: 'API breaks policy eu-only: AS64501 Example Net B (US)' },
        createdAt: 5000,
        dueAt: 5000,
      },
    ]);
  });
});

describe('planDeclaredMismatches', () => {
  const config = parse(yaml`
    monitors:
      - { id: api, name: API, type: tcp, host: localhost, port: 22, component: Core }
    channels: [{ id: ops, url: "ntfy://alerts" }]
    routes:
      - { events: [declared_mismatch], channels: [ops] }
  `);
  const plan = planConfigOf(config, new Map(config.monitors.map((m) => [m.id, m])));
  const now = 100 * 60_000;
  const poll = (status: DeclaredStatus): DeclaredPoll => ({ sourceId: 's', at: now, statuses: [{ scope: '', status }], incidents: [] });
  const state = (status: MonitorState['status'], minutesAgo: number): MonitorState => ({ monitorId: 'api', status, since: now - minutesAgo * 60_000, updatedAt: now });
  const cases: ReadonlyArray<{ name: string; declared: DeclaredStatus; observed: MonitorState; notified: boolean }> = [
    { name: 'operational while down for 10 minutes', declared: 'operational', observed: state('down', 10), notified: true },
    { name: 'operational while partial for an hour', declared: 'operational', observed: state('partial', 60), notified: true },
    { name: 'operational while down for 9 minutes: too early to tell', declared: 'operational', observed: state('down', 9), notified: false },
    { name: 'major outage while up for an hour', declared: 'major_outage', observed: state('up', 60), notified: true },
    { name: 'degraded performance while up: not a contradiction', declared: 'degraded_performance', observed: state('up', 60), notified: false },
    { name: 'an unreadable page is never a mismatch', declared: 'unavailable', observed: state('down', 60), notified: false },
    { name: 'maintenance declared while down', declared: 'under_maintenance', observed: state('down', 60), notified: false },
    { name: 'agreeing: major outage while down', declared: 'major_outage', observed: state('down', 60), notified: false },
  ];
  for (const { name, declared, observed, notified } of cases) {
    it(name, () => {
      const entries = planDeclaredMismatches(plan, poll(declared), [{ monitorId: 'api', scope: '' }], () => observed, now);
      assert.equal(entries.length, notified ? 1 : 0);
      if (notified) {
        assert.equal(entries[0]?.dedup, `declared_mismatch:api:${observed.status}:${observed.since}:${declared}`);
        assert.match(entries[0]?.notice.detail ?? '', new RegExp(`The platform says ${declared.replace(/_/g, ' ')} on its status page; Candor sees it ${observed.status}`));
      }
    });
  }
});
