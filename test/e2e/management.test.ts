// End to end with real `candor serve` processes: an acknowledged write (monitor created, incident
// updated) survives a kill -9 right after its answer; SIGHUP reloads the config, and refuses an
// invalid one with its line and column while the running config stays.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';
import { adminToken } from '../support/admin-token.js';

interface MonitorJson {
  id: string;
  source: string;
  state: string;
  name: string;
}

let authorization = '';
const post = async (url: string, body?: unknown) => {
  const response = await fetch(url, { method: 'POST', headers: { authorization, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('candor serve: management writes and reload (real processes)', { timeout: 120_000 }, () => {
  let target: RunningHttpServer;
  let dir: string;
  let configFile: string;
  let candor: ServingCandor | undefined;
  const config = (extra: string[] = [], title = 'Managed') =>
    [`title: ${title}`, 'api: { allowPrivateTargets: true }', 'monitors:', `  - { id: web, type: http, url: "${target.url}/web", interval: 5s, timeout: 2s, component: Website }`, ...extra, ''].join('\n');

  before(async () => {
    target = await startHttpServer((_request, response) => response.end('ok'));
    dir = mkdtempSync(join(tmpdir(), 'candor-e2e-management-'));
    configFile = join(dir, 'candor.yaml');
    writeFileSync(configFile, config());
    authorization = (await adminToken(join(dir, 'data'))).authorization;
  });
  after(async () => {
    await candor?.stop('SIGKILL');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const serve = () => serveCandor(['--config', configFile, '--data', join(dir, 'data'), '--log-level', 'warn']);

  it('loses no acknowledged write to a kill -9', async () => {
    candor = await serve();
    const created = await post(`${candor.url}/api/v1/monitors`, { id: 'made', type: 'http', url: `${target.url}/made`, interval: '5s', timeout: '2s', component: 'Website' });
    assert.equal(created.status, 201);
    candor.process.kill('SIGKILL');
    await candor.stop();

    candor = await serve();
    const made = await getJson<MonitorJson>(`${candor.url}/api/v1/monitors/made`);
    assert.equal(made.status, 200);
    assert.equal(made.body.source, 'api');
    await eventually('made is checked after the restart', async () => ((await getJson<MonitorJson>(`${candor!.url}/api/v1/monitors/made`)).body.state === 'up' ? true : undefined));

    const incident = await post(`${candor.url}/api/v1/incidents`, { title: 'Slow pages', components: ['Website'], message: 'Looking into it' });
    assert.equal(incident.status, 201);
    const id = incident.body['id'] as string;
    const updated = await post(`${candor.url}/api/v1/incidents/${id}/updates`, { status: 'identified', message: 'A slow disk' });
    assert.equal(updated.status, 201);
    assert.equal((await post(`${candor.url}/api/v1/monitors/made/pause`)).status, 200);
    const window = await post(`${candor.url}/api/v1/maintenance`, { monitors: ['made'], cron: '0 3 * * 0', duration: '1h', title: 'Weekly' });
    assert.equal(window.status, 201);
    candor.process.kill('SIGKILL');
    await candor.stop();

    candor = await serve();
    const after = await getJson<{ status: string; timeline: { message: string }[] }>(`${candor.url}/api/v1/incidents/${id}`);
    assert.equal(after.body.status, 'identified');
    assert.deepEqual(after.body.timeline.map((entry) => entry.message), ['Looking into it', 'A slow disk']);
    assert.equal((await getJson<MonitorJson & { paused: boolean }>(`${candor.url}/api/v1/monitors/made`)).body.paused, true);
    const windows = await getJson<{ maintenance: { id: string; title: string }[] }>(`${candor.url}/api/v1/maintenance`);
    assert.deepEqual(windows.body.maintenance.map((w) => [w.id, w.title]), [[window.body['id'], 'Weekly']]);
  });

  it('reloads on SIGHUP; refuses an invalid config with its line and column and keeps running the old one', async () => {
    candor ??= await serve();
    writeFileSync(configFile, config([`  - { id: added, type: http, url: "${target.url}/added", interval: 5s, timeout: 2s }`], 'Reloaded'));
    candor.process.kill('SIGHUP');
    await eventually('the added monitor', async () => ((await getJson(`${candor!.url}/api/v1/monitors/added`)).status === 200 ? true : undefined), 10_000);
    assert.match(await (await fetch(`${candor.url}/`)).text(), /Reloaded/);

    writeFileSync(configFile, config(['  - { id: broken, type: http, url: "ftp://nope", interval: 5s }'], 'Broken'));
    candor.process.kill('SIGHUP');
    await eventually('the refusal', async () => (/config reload refused/.test(candor!.output()) ? true : undefined), 10_000);
    assert.match(candor.output(), /candor\.yaml:5:\d+ monitors\[1\]\.url: expected an http:\/\/ or https:\/\/ URL/);
    assert.equal((await getJson(`${candor.url}/api/v1/monitors/broken`)).status, 404);
    assert.equal((await getJson(`${candor.url}/api/v1/monitors/added`)).status, 200, 'the running config stays');

    const viaApi = await post(`${candor.url}/api/v1/config/reload`);
    assert.equal(viaApi.status, 400);
    assert.equal(viaApi.body['code'], 'config_invalid');
    const problems = viaApi.body['problems'] as { line: number; col: number; path: string }[];
    assert.deepEqual(problems.map((p) => [p.line, p.path]), [[5, 'monitors[1].url']]);
    assert.equal(await candor.stop(), 0);
    candor = undefined;
  });
});
