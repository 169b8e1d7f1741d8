import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { ProvenanceRecorder } from '../../src/provenance/recorder.js';
import { CERT_B, movedToB, snapshot } from '../provenance/snapshots.js';
import { startPublicServer, type PublicServer } from './public-server.js';

const NOW = Date.UTC(2026, 2, 10, 12);
const MINUTE = 60_000;

describe('provenance API', () => {
  let server: PublicServer;
  before(async () => {
    server = await startPublicServer({
      monitorsYaml: '  - { id: web, name: Website, type: http, url: "https://app.test/", tags: [eu] }\n  - { id: api, type: http, url: "https://api.test/" }\n',
      extraYaml: 'policies:\n  - { id: eu-only, appliesTo: { tags: [eu] }, allow: { countries: [NL] } }\n',
      now: NOW,
    });
    let n = 0;
    const recorder = new ProvenanceRecorder({
      store: server.store,
      ids: { next: () => `01K${String(++n).padStart(23, '0')}` },
      log: pino({ level: 'silent' }),
      monitors: new Map(server.config.monitors.map((m) => [m.id, m])),
      policies: server.config.policies ?? [],
    });
    const at = (minutes: number) => NOW - 60 * MINUTE + minutes * MINUTE;
    await recorder.record({ monitorId: 'web', vantage: 'local', at: at(0), snapshot: snapshot() });
    await recorder.record({ monitorId: 'web', vantage: 'eu-west', at: at(1), snapshot: snapshot() });
    await recorder.record({ monitorId: 'web', vantage: 'local', at: at(10), snapshot: movedToB() });
    await recorder.record({ monitorId: 'web', vantage: 'local', at: at(20), snapshot: movedToB({ certificate: CERT_B }) });
  });
  after(() => server.close());

  it('tells where a monitor is served from now, per vantage, with its violations', async () => {
    const response = await server.get('/api/v1/monitors/web/provenance');
    assert.equal(response.statusCode, 200);
    const body = response.json();
    assert.deepEqual(body.vantages.map((v: { vantage: string; view: { countries: string[] } }) => [v.vantage, v.view.countries]), [['eu-west', ['NL']], ['local', ['US']]]);
    const local = body.vantages[1];
    assert.deepEqual(local.view.networks, [{ asn: 64501, org: 'Example Net B' }]);
    assert.equal(local.view.certificate.issuer, CERT_B.issuer);
    assert.equal(local.snapshot.connectedAddress, '127.0.0.3');
    assert.deepEqual(body.violations.map((v: { policyId: string; vantage: string; breaches: unknown }) => [v.policyId, v.vantage, v.breaches]), [['eu-only', 'local', [{ rule: 'allow.countries', value: 'US' }]]]);
  });

  it('gives the history of a window and the changes in it', async () => {
    const body = (await server.get(`/api/v1/monitors/web/provenance/history?from=${new Date(NOW - 55 * MINUTE).toISOString()}&to=${NOW}`)).json();
    assert.deepEqual(body.entries.map((e: { vantage: string; firstSeen: string }) => [e.vantage, e.firstSeen]), [
      ['local', new Date(NOW - 60 * MINUTE).toISOString()],
      ['eu-west', new Date(NOW - 59 * MINUTE).toISOString()],
      ['local', new Date(NOW - 50 * MINUTE).toISOString()],
      ['local', new Date(NOW - 40 * MINUTE).toISOString()],
    ]);
    assert.deepEqual(body.changes.map((c: { kind: string }) => c.kind), ['certificate', 'certificate_issuer', 'country', 'network', 'addresses']);
    assert.equal((await server.get('/api/v1/monitors/web/provenance/history?from=2026-03-10T12:00:00Z&to=2026-03-10T11:00:00Z')).statusCode, 400);
    assert.equal((await server.get('/api/v1/monitors/nope/provenance/history')).statusCode, 404);
  });

  it('lists every change, newest first, paged', async () => {
    const first = (await server.get('/api/v1/provenance/changes?limit=2')).json();
    assert.deepEqual(first.changes.map((c: { kind: string }) => c.kind), ['certificate', 'certificate_issuer']);
    assert.equal(first.changes[1].message, `New certificate issuer: ${snapshot().certificate!.issuer} → ${CERT_B.issuer}`);
    const rest = (await server.get(`/api/v1/provenance/changes?limit=100&before=${first.nextBefore}`)).json();
    assert.deepEqual(rest.changes.map((c: { kind: string }) => c.kind), ['country', 'network', 'addresses']);
    assert.equal(rest.nextBefore, null);
    const since = (await server.get(`/api/v1/provenance/changes?since=${NOW - 45 * MINUTE}`)).json();
    assert.equal(since.changes.length, 2);
    const bad = await server.get('/api/v1/provenance/changes?before=nonsense!');
    assert.equal(bad.statusCode, 400);
    assert.match(bad.headers['content-type'] as string, /problem\+json/);
  });

  it('lists the policies with the monitors they cover and their violations', async () => {
    const { policies } = (await server.get('/api/v1/policies')).json();
    assert.equal(policies.length, 1);
    assert.deepEqual(policies[0].monitorIds, ['web']);
    assert.deepEqual(policies[0].allow, { countries: ['NL'] });
    assert.equal(policies[0].violations.length, 1);
    const incident = (await server.get(`/api/v1/incidents/${policies[0].violations[0].incidentId}`)).json();
    assert.equal(incident.kind, 'policy_violation');
    assert.equal(incident.state, 'open');
  });

  it('is in the OpenAPI document', async () => {
    const { paths } = (await server.get('/openapi.json')).json();
    for (const path of ['/api/v1/monitors/{id}/provenance', '/api/v1/monitors/{id}/provenance/history', '/api/v1/provenance/changes', '/api/v1/policies']) assert.ok(paths[path], path);
  });
});
