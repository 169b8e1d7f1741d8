// The write API over a real hub (startApp on loopback, SQLite in a temp dir, a loopback HTTP target):
// monitors made, changed, paused and removed at run time without touching the others; config monitors
// read-only; bodies refused with the config's own messages; maintenance windows by API.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { adminToken } from '../support/admin-token.js';
import { parseConfig } from '../../src/config/load.js';
import { ConfigError } from '../../src/config/problems.js';
import { eventually } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

interface MonitorJson {
  id: string;
  state: string;
  since: string | null;
  source: string;
  paused: boolean;
  intervalSeconds: number;
  name: string;
}
interface ResultJson {
  plannedAt: string;
  ok: boolean;
  maintenance: boolean;
  error: { kind: string; message: string } | null;
}

describe('management API: monitors and maintenance at run time', { timeout: 120_000 }, () => {
  let target: RunningHttpServer;
  const hits = new Map<string, number>();
  let app: RunningApp;
  let authorization: string;
  let dir: string;

  before(async () => {
    target = await startHttpServer((request, response) => {
      hits.set(request.url ?? '', (hits.get(request.url ?? '') ?? 0) + 1);
      response.writeHead(request.url === '/fail' ? 500 : 200).end('ok');
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-management-'));
    const config = parseConfig(
      [
        'api: { allowPrivateTargets: true }',
        'monitors:',
        `  - { id: steady, type: http, url: "${target.url}/steady", interval: 5s, timeout: 2s, successThreshold: 1, component: Core }`,
        '',
      ].join('\n'),
      'candor.yaml',
      {},
    );
    authorization = (await adminToken(dir)).authorization;
    app = await startApp({ config, log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0, ingest: { flushIntervalMs: 100 } });
  });
  after(async () => {
    await app.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, payload?: unknown) => {
    const response = await app.server.inject({ method, url, headers: { authorization }, ...(payload !== undefined ? { payload: payload as object } : {}) });
    return { status: response.statusCode, type: String(response.headers['content-type']), body: response.body ? response.json() : undefined };
  };
  const monitor = async (id: string) => (await call('GET', `/api/v1/monitors/${id}`)).body as MonitorJson;
  const results = async (id: string) => ((await call('GET', `/api/v1/monitors/${id}/results?limit=1000`)).body as { results: ResultJson[] }).results;

  it('runs a monitor made through the API at once, changes and removes it, and leaves the config monitor untouched', async () => {
    const steadyUp = await eventually('steady up', async () => ((await monitor('steady')).state === 'up' ? monitor('steady') : undefined));
    assert.equal(steadyUp.source, 'config');

    const created = await call('POST', '/api/v1/monitors', { id: 'extra', type: 'http', url: `${target.url}/extra`, interval: '5s', timeout: '2s', successThreshold: 1, component: 'Shop' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal((created.body as MonitorJson).source, 'api');
    await eventually('extra checked', async () => ((await monitor('extra')).state === 'up' ? true : undefined));

    const changed = await call('PUT', '/api/v1/monitors/extra', { type: 'http', name: 'Extra shop', url: `${target.url}/extra-2`, interval: '10s', timeout: '2s', successThreshold: 1, component: 'Shop' });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal((changed.body as MonitorJson).name, 'Extra shop');
    assert.equal((changed.body as MonitorJson).intervalSeconds, 10);
    await eventually('the changed target is checked', async () => ((hits.get('/extra-2') ?? 0) > 0 ? true : undefined));

    assert.equal((await call('DELETE', '/api/v1/monitors/extra')).status, 204);
    assert.equal((await call('GET', '/api/v1/monitors/extra')).status, 404);
    const extraHits = (hits.get('/extra-2') ?? 0) + (hits.get('/extra') ?? 0);
    const steadyBefore = (await results('steady')).length;
    await eventually('two more checks of steady', async () => ((await results('steady')).length >= steadyBefore + 2 ? true : undefined), 20_000);
    assert.equal((hits.get('/extra-2') ?? 0) + (hits.get('/extra') ?? 0), extraHits, 'a removed monitor is no longer checked');

    // The config monitor kept its state (same `since`) and its schedule: one check per 5 s grid slot, none skipped or doubled.
    const steady = await monitor('steady');
    assert.equal(steady.state, 'up');
    assert.equal(steady.since, steadyUp.since);
    const planned = (await results('steady')).map((r) => Date.parse(r.plannedAt)).sort((a, b) => a - b);
    for (let i = 1; i < planned.length; i++) assert.equal(planned[i]! - planned[i - 1]!, 5_000, `steady's checks stay 5 s apart: ${planned.join(', ')}`);
  });

  it('pauses and resumes a monitor made through the API', async () => {
    assert.equal((await call('POST', '/api/v1/monitors', { id: 'pausable', type: 'http', url: `${target.url}/pausable`, interval: '5s', timeout: '2s' })).status, 201);
    const paused = await call('POST', '/api/v1/monitors/pausable/pause');
    assert.equal(paused.status, 200);
    assert.equal((paused.body as MonitorJson).paused, true);
    assert.equal((await monitor('pausable')).state, 'paused');
    // A monitor made through the API is checked at once: that first check may have started before the
    // pause and reach the target after it. It is over within its timeout (2 s); count from then.
    await new Promise((resolve) => setTimeout(resolve, 2_500));
    const hitsWhilePaused = hits.get('/pausable') ?? 0;
    await new Promise((resolve) => setTimeout(resolve, 5_500));
    assert.equal(hits.get('/pausable') ?? 0, hitsWhilePaused, 'a paused monitor is not checked');
    const resumed = await call('POST', '/api/v1/monitors/pausable/resume');
    assert.equal((resumed.body as MonitorJson).paused, false);
    assert.notEqual((await monitor('pausable')).state, 'paused');
    await eventually('checked again', async () => ((hits.get('/pausable') ?? 0) > hitsWhilePaused ? true : undefined));
  });

  it('refuses writes to config monitors with 409 problem+json and a stable code', async () => {
    for (const [method, url, payload] of [
      ['PUT', '/api/v1/monitors/steady', { type: 'tcp', host: '127.0.0.1', port: 1 }],
      ['DELETE', '/api/v1/monitors/steady', undefined],
      ['POST', '/api/v1/monitors/steady/pause', undefined],
      ['POST', '/api/v1/monitors', { id: 'steady', type: 'tcp', host: '127.0.0.1', port: 1 }],
    ] as const) {
      const response = await call(method, url, payload);
      assert.equal(response.status, 409, `${method} ${url}`);
      assert.match(response.type, /application\/problem\+json/);
      assert.equal((response.body as { code: string }).code, 'monitor_from_config');
    }
    assert.equal((await monitor('steady')).source, 'config');
  });

  it('refuses a body with the same problems, at the same JSON paths, as the config file would give', async () => {
    const body = { id: 'Bad Id', type: 'http', url: 'ftp://x', interval: '1s', expect: { status: ['abc'] } };
    const response = await call('POST', '/api/v1/monitors', body);
    assert.equal(response.status, 400);
    const problem = response.body as { code: string; problems: { path: string; message: string }[] };
    assert.equal(problem.code, 'config_invalid');
    // The same monitor in a config file, problem for problem.
    let fromFile: ConfigError | undefined;
    try {
      parseConfig(`monitors:\n  - ${JSON.stringify(body)}\n`, 'candor.yaml', {});
    } catch (error) {
      fromFile = error as ConfigError;
    }
    assert.ok(fromFile instanceof ConfigError);
    assert.deepEqual(
      problem.problems.map((p) => [p.path, p.message]).sort(),
      fromFile.problems.map((p) => [p.path.replace(/^monitors\[0\]\./, ''), p.message]).sort(),
    );
    assert.deepEqual(problem.problems.map((p) => p.path).sort(), ['expect.status[0]', 'id', 'interval', 'url']);
    assert.equal((await call('GET', '/api/v1/monitors/bad-id')).status, 404, 'nothing was created');
  });

  it('plans, lists and deletes maintenance windows over a component; covered checks are counted as maintenance', async () => {
    const now = Date.now();
    const window = { components: ['Core'], start: new Date(now - 60_000).toISOString(), end: new Date(now + 3_600_000).toISOString(), title: 'Upgrade' };
    const created = await call('POST', '/api/v1/maintenance', window);
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const record = created.body as { id: string; active: boolean; components: string[] };
    assert.equal(record.active, true);
    assert.deepEqual(record.components, ['Core']);
    assert.deepEqual(((await call('GET', '/api/v1/maintenance')).body as { maintenance: { id: string }[] }).maintenance.map((m) => m.id), [record.id]);
    await eventually('steady in maintenance', async () => ((await monitor('steady')).state === 'maintenance' ? true : undefined), 20_000);
    assert.ok((await results('steady')).some((r) => r.maintenance));

    const refused = await call('POST', '/api/v1/maintenance', { components: ['Nope'], cron: '0 3 * * *', duration: '1h' });
    assert.equal(refused.status, 400);
    const invalid = await call('POST', '/api/v1/maintenance', { monitors: ['steady'], start: '2026-02-30T00:00:00Z', end: 'soon' });
    assert.equal(invalid.status, 400);
    assert.deepEqual(((invalid.body as { problems: { path: string }[] }).problems).map((p) => p.path).sort(), ['end', 'start']);

    assert.equal((await call('DELETE', `/api/v1/maintenance/${record.id}`)).status, 204);
    assert.equal((await call('DELETE', `/api/v1/maintenance/${record.id}`)).status, 404);
    await eventually('steady out of maintenance', async () => ((await monitor('steady')).state === 'up' ? true : undefined), 20_000);
  });

  it('ends the open incident of a monitor deleted while down', async () => {
    assert.equal((await call('POST', '/api/v1/monitors', { id: 'failing', type: 'http', url: `${target.url}/fail`, interval: '5s', timeout: '2s', failureThreshold: 1 })).status, 201);
    const incidentId = await eventually('failing down with an incident', async () => {
      const body = (await call('GET', '/api/v1/monitors/failing')).body as { state: string; openIncidentId: string | null };
      return body.state === 'down' && body.openIncidentId ? body.openIncidentId : undefined;
    }, 20_000);
    assert.equal((await call('DELETE', '/api/v1/monitors/failing')).status, 204);
    const incident = (await call('GET', `/api/v1/incidents/${incidentId}`)).body as { state: string; timeline: { kind: string; message: string }[] };
    assert.equal(incident.state, 'resolved');
    assert.deepEqual(incident.timeline.at(-1), { ...incident.timeline.at(-1), kind: 'note', message: 'failing was deleted; the incident ends here' });
  });

  it('describes every write route with its request and response schemas in /openapi.json', async () => {
    const document = (await call('GET', '/openapi.json')).body as { paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>> };
    for (const [path, method, withBody] of [
      ['/api/v1/monitors', 'post', true],
      ['/api/v1/monitors/{id}', 'put', true],
      ['/api/v1/monitors/{id}', 'delete', false],
      ['/api/v1/monitors/{id}/pause', 'post', false],
      ['/api/v1/monitors/{id}/resume', 'post', false],
      ['/api/v1/maintenance', 'post', true],
      ['/api/v1/maintenance/{id}', 'delete', false],
      ['/api/v1/incidents', 'post', true],
      ['/api/v1/incidents/{id}/updates', 'post', true],
      ['/api/v1/incidents/{id}/postmortem', 'post', true],
    ] as const) {
      const operation = document.paths[path]?.[method];
      assert.ok(operation, `${method} ${path} is documented`);
      if (withBody) assert.ok(operation.requestBody, `${method} ${path} has a request body schema`);
      assert.ok(Object.keys(operation.responses).some((code) => code.startsWith('2')), `${method} ${path} has a success response`);
    }
  });
});
