// The Statuspage v2 compatible API over a real SQLite store: shapes (validated with ajv against the documented
// Statuspage format), status indicators as monitors go down, incidents and per-page variants.
import { after, before, beforeEach, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Ajv } from 'ajv';
import type { MonitorStatus } from '../../src/domain/state.js';
import { batch, DAY, entry, incident, MINUTE, state, T0 } from '../storage/fixtures.js';
import { startPublicServer, statusPage, type PublicServer } from './public-server.js';
import {
  componentsResponseShape,
  incidentsResponseShape,
  scheduledMaintenancesResponseShape,
  statusResponseShape,
  summaryShape,
} from './statuspage-v2-schema.js';

const MONITORS = `
  - { id: api-1, name: API (eu), type: tcp, host: 127.0.0.1, port: 9, component: API }
  - { id: api-2, name: API (us), type: tcp, host: 127.0.0.1, port: 9, component: API }
  - { id: web, name: "Web <script>alert(1)</script>", type: tcp, host: 127.0.0.1, port: 9, component: Website }
`;
const NOW = T0 + 2 * 60 * MINUTE;

const resolvedApi = incident('inc-old', T0 - DAY, {
  title: 'API (eu) is down',
  monitorIds: ['api-1'],
  state: 'resolved',
  resolvedAt: T0 - DAY + 10 * MINUTE,
  timeline: [
    entry('o1', 'inc-old', T0 - DAY, { kind: 'first_failure', monitorId: 'api-1', message: 'First failed check: connect_refused' }),
    entry('o2', 'inc-old', T0 - DAY + 2 * MINUTE, { kind: 'confirmed_down', monitorId: 'api-1', message: 'API (eu) confirmed down' }),
    entry('o3', 'inc-old', T0 - DAY + 10 * MINUTE, { kind: 'recovered', monitorId: 'api-1', message: 'API (eu) recovered' }),
  ],
});
const openWeb = incident('inc-web', T0 + 30 * MINUTE, {
  title: 'Web <script>alert(1)</script> is down',
  monitorIds: ['web'],
  timeline: [
    entry('w1', 'inc-web', T0 + 30 * MINUTE, { kind: 'first_failure', monitorId: 'web', message: 'First failed check: http_status (<script>x</script>)' }),
    entry('w2', 'inc-web', T0 + 32 * MINUTE, { kind: 'confirmed_down', monitorId: 'web', message: 'Web confirmed down' }),
  ],
});

function setStatuses(server: PublicServer, statuses: Record<string, MonitorStatus>): void {
  server.states.clear();
  for (const [id, status] of Object.entries(statuses)) server.states.set(id, state(id, { status, since: T0 + 45 * MINUTE }));
}

describe('Statuspage v2 API', () => {
  let server: PublicServer;
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const check = (shape: object, body: unknown) => {
    const validate = ajv.compile(shape);
    assert.ok(validate(body), ajv.errorsText(validate.errors, { separator: '\n' }));
  };

  before(async () => {
    server = await startPublicServer({
      monitorsYaml: MONITORS,
      now: NOW,
      statusPages: [statusPage('main', { title: 'Main & co', isDefault: true, timezone: 'Europe/Paris' }), statusPage('web', { components: ['Website'] })],
      seed: [batch({ incidentsOpened: [resolvedApi, openWeb], incidentsResolved: [{ id: 'inc-old', resolvedAt: T0 - DAY + 10 * MINUTE }] })],
    });
  });
  after(() => server.close());
  beforeEach(() => setStatuses(server, { 'api-1': 'up', 'api-2': 'up', web: 'down' }));

  it('summary.json has the documented Statuspage v2 shape', async () => {
    const response = await server.get('/api/v2/summary.json');
    assert.equal(response.statusCode, 200);
    assert.match(response.headers['content-type'] as string, /^application\/json/);
    const body = response.json();
    check(summaryShape, body);
    assert.deepEqual(body.page, {
      id: 'main',
      name: 'Main & co',
      url: 'http://status.example.test/',
      time_zone: 'Europe/Paris',
      updated_at: new Date(T0 + 45 * MINUTE).toISOString(),
    });
    assert.deepEqual(
      body.components.map((c: { id: string; name: string; status: string; position: number; page_id: string }) => [c.id, c.name, c.status, c.position, c.page_id]),
      [
        ['api', 'API', 'operational', 1, 'main'],
        ['website', 'Website', 'major_outage', 2, 'main'],
      ],
    );
    assert.deepEqual(body.status, { indicator: 'critical', description: 'Major System Outage' });
    assert.deepEqual(body.scheduled_maintenances, []);
    assert.deepEqual(
      body.incidents.map((i: { id: string }) => i.id),
      ['inc-web'],
      'summary lists unresolved incidents only',
    );
  });

  it('every other endpoint has its documented shape', async () => {
    const cases: [string, object][] = [
      ['/api/v2/status.json', statusResponseShape],
      ['/api/v2/components.json', componentsResponseShape],
      ['/api/v2/incidents.json', incidentsResponseShape],
      ['/api/v2/incidents/unresolved.json', incidentsResponseShape],
      ['/api/v2/scheduled-maintenances.json', scheduledMaintenancesResponseShape],
      ['/api/v2/scheduled-maintenances/upcoming.json', scheduledMaintenancesResponseShape],
      ['/api/v2/scheduled-maintenances/active.json', scheduledMaintenancesResponseShape],
      ['/s/web/api/v2/summary.json', summaryShape],
    ];
    for (const [url, shape] of cases) {
      const response = await server.get(url);
      assert.equal(response.statusCode, 200, url);
      check(shape, response.json());
    }
  });

  const indicatorCases: { name: string; statuses: Record<string, MonitorStatus>; api: string | undefined; indicator: string; description: string }[] = [
    { name: 'all up', statuses: { 'api-1': 'up', 'api-2': 'up', web: 'up' }, api: 'operational', indicator: 'none', description: 'All Systems Operational' },
    { name: 'one of two API monitors down', statuses: { 'api-1': 'down', 'api-2': 'up', web: 'up' }, api: 'partial_outage', indicator: 'major', description: 'Partial System Outage' },
    { name: 'both API monitors down', statuses: { 'api-1': 'down', 'api-2': 'down', web: 'up' }, api: 'major_outage', indicator: 'critical', description: 'Major System Outage' },
    { name: 'one API monitor degraded', statuses: { 'api-1': 'degraded', 'api-2': 'up', web: 'up' }, api: 'degraded_performance', indicator: 'minor', description: 'Degraded Performance' },
    { name: 'everything in maintenance', statuses: { 'api-1': 'maintenance', 'api-2': 'maintenance', web: 'maintenance' }, api: 'under_maintenance', indicator: 'maintenance', description: 'Service Under Maintenance' },
    // Statuspage has no "unknown": nothing is claimed, the component is left out and the words say why.
    { name: 'nothing checked yet', statuses: {}, api: undefined, indicator: 'none', description: 'No data yet' },
    { name: 'API not confirmed yet, web up', statuses: { 'api-1': 'pending', web: 'up' }, api: undefined, indicator: 'none', description: 'No known issues; some components have no data yet' },
  ];
  for (const row of indicatorCases) {
    it(`status.json and components.json follow the monitors: ${row.name}`, async () => {
      setStatuses(server, row.statuses);
      const status = (await server.get('/api/v2/status.json')).json();
      assert.deepEqual(status.status, { indicator: row.indicator, description: row.description });
      const { components } = (await server.get('/api/v2/components.json')).json();
      assert.equal(components.find((c: { id: string }) => c.id === 'api')?.status, row.api);
    });
  }

  it('while the checker is offline: no component is described and the status says so', async () => {
    setStatuses(server, { 'api-1': 'up', 'api-2': 'up', web: 'down' });
    server.impaired = true;
    try {
      const summary = (await server.get('/api/v2/summary.json')).json();
      check(summaryShape, summary);
      assert.deepEqual(summary.status, { indicator: 'none', description: 'No current data: this checker is offline' });
      assert.deepEqual(summary.components, []);
      for (const incident of summary.incidents) assert.deepEqual(incident.components, []);
    } finally {
      server.impaired = false;
    }
  });

  it('incidents.json lists incidents newest first with updates newest first', async () => {
    const { incidents } = (await server.get('/api/v2/incidents.json')).json();
    assert.deepEqual(
      incidents.map((i: { id: string; status: string; impact: string }) => [i.id, i.status, i.impact]),
      [
        ['inc-web', 'identified', 'critical'],
        ['inc-old', 'resolved', 'major'],
      ],
    );
    const [web, old] = incidents;
    assert.equal(web.name, 'Web <script>alert(1)</script> is down', 'JSON carries names as they are');
    assert.equal(web.shortlink, 'http://status.example.test/incidents/inc-web');
    assert.equal(web.started_at, new Date(T0 + 30 * MINUTE).toISOString());
    assert.equal(web.created_at, web.started_at);
    assert.equal(web.updated_at, new Date(T0 + 32 * MINUTE).toISOString());
    assert.equal(web.resolved_at, null);
    assert.equal(web.page_id, 'main');
    assert.deepEqual(
      web.components.map((c: { id: string; status: string }) => [c.id, c.status]),
      [['website', 'major_outage']],
    );
    assert.deepEqual(
      web.incident_updates.map((u: { id: string; status: string; body: string }) => [u.id, u.status, u.body]),
      [
        ['w2', 'identified', 'Web confirmed down'],
        ['w1', 'investigating', 'First failed check: http_status (<script>x</script>)'],
      ],
    );
    assert.equal(web.incident_updates[0].incident_id, 'inc-web');
    assert.deepEqual(
      old.incident_updates.map((u: { id: string; status: string }) => [u.id, u.status]),
      [
        ['o3', 'resolved'],
        ['o2', 'identified'],
        ['o1', 'investigating'],
      ],
    );
    assert.equal(old.resolved_at, new Date(T0 - DAY + 10 * MINUTE).toISOString());
  });

  it('incidents/unresolved.json lists only open incidents', async () => {
    const { incidents } = (await server.get('/api/v2/incidents/unresolved.json')).json();
    assert.deepEqual(
      incidents.map((i: { id: string }) => i.id),
      ['inc-web'],
    );
  });

  it('per-page variants show only that page’s components and incidents', async () => {
    const summary = (await server.get('/s/web/api/v2/summary.json')).json();
    assert.equal(summary.page.id, 'web');
    assert.equal(summary.page.url, 'http://status.example.test/s/web');
    assert.deepEqual(
      summary.components.map((c: { id: string }) => c.id),
      ['website'],
    );
    const { incidents } = (await server.get('/s/web/api/v2/incidents.json')).json();
    assert.deepEqual(
      incidents.map((i: { id: string }) => i.id),
      ['inc-web'],
    );
    setStatuses(server, { 'api-1': 'down', 'api-2': 'down', web: 'up' });
    const status = (await server.get('/s/web/api/v2/status.json')).json();
    assert.equal(status.status.indicator, 'none', 'the API outage is not on this page');
  });

  it('an unknown page is a 404 problem', async () => {
    const response = await server.get('/s/nope/api/v2/summary.json');
    assert.equal(response.statusCode, 404);
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
    assert.equal(response.json().code, 'not_found');
  });

  it('is cacheable briefly, has an ETag (304 on If-None-Match) and is readable from any origin', async () => {
    const response = await server.get('/api/v2/summary.json');
    assert.equal(response.headers['cache-control'], 'public, max-age=60');
    assert.equal(response.headers['access-control-allow-origin'], '*');
    const etag = response.headers.etag as string;
    assert.ok(etag);
    const again = await server.get('/api/v2/summary.json', { 'if-none-match': etag });
    assert.equal(again.statusCode, 304);
    assert.equal(again.body, '');
  });

  it('is documented in /openapi.json with its response schemas', async () => {
    const { paths } = (await server.get('/openapi.json')).json();
    for (const path of ['/api/v2/summary.json', '/api/v2/status.json', '/api/v2/incidents/unresolved.json', '/s/{slug}/api/v2/components.json']) {
      const schema = paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema;
      assert.ok(schema?.properties?.page, `${path} documents its response`);
    }
  });
});
