// Live reload over a real hub: a valid config is applied without touching unchanged monitors' state;
// an invalid one is refused with its problems, line and column, and the running config stays.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { adminToken } from '../support/admin-token.js';
import { loadConfig } from '../../src/config/load.js';
import { eventually } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

describe('live reload', { timeout: 60_000 }, () => {
  let target: RunningHttpServer;
  let app: RunningApp;
  let authorization: string;
  let dir: string;
  let file: string;
  const write = (title: string, extra: string[] = []) =>
    writeFileSync(file, [`title: ${title}`, 'api: { allowPrivateTargets: true }', 'monitors:', `  - { id: steady, type: http, url: "${target.url}/", interval: 5s, timeout: 2s, successThreshold: 1 }`, ...extra, ''].join('\n'));

  before(async () => {
    target = await startHttpServer((_request, response) => response.end('ok'));
    dir = mkdtempSync(join(tmpdir(), 'candor-reload-'));
    file = join(dir, 'candor.yaml');
    write('Before');
    authorization = (await adminToken(dir)).authorization;
    app = await startApp({ config: loadConfig(file, {}), loadConfig: () => loadConfig(file, {}), log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0, ingest: { flushIntervalMs: 100 } });
  });
  after(async () => {
    await app.close();
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await app.server.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, json: () => response.json() };
  };

  it('applies a valid config: monitors added, titles changed, unchanged monitors keep their state', async () => {
    const up = await eventually('steady up', async () => {
      const body = (await call('GET', '/api/v1/monitors/steady')).json() as { state: string; since: string };
      return body.state === 'up' ? body : undefined;
    });
    write('After', [`  - { id: second, type: http, url: "${target.url}/second", interval: 5s, timeout: 2s }`]);
    const reloaded = await call('POST', '/api/v1/config/reload');
    assert.equal(reloaded.status, 200);
    assert.deepEqual(reloaded.json(), { added: ['second'], changed: [], removed: [], unchanged: 1, restartNeeded: [] });
    const steady = (await call('GET', '/api/v1/monitors/steady')).json() as { state: string; since: string };
    assert.deepEqual([steady.state, steady.since], ['up', up.since]);
    assert.equal(((await call('GET', '/api/v2/status.json')).json() as { page: { name: string } }).page.name, 'After');
    await eventually('second checked', async () => (((await call('GET', '/api/v1/monitors/second')).json() as { state: string }).state !== 'pending' ? true : undefined));
  });

  it('refuses an invalid config with every problem located, and keeps the running one', async () => {
    writeFileSync(file, 'title: Broken\nmonitors:\n  - { id: steady, type: http, url: "nope", interval: 1s }\n');
    const refused = await call('POST', '/api/v1/config/reload');
    assert.equal(refused.status, 400);
    const problem = refused.json() as { code: string; problems: { file: string; line: number; col: number; path: string; message: string }[] };
    assert.equal(problem.code, 'config_invalid');
    assert.deepEqual(problem.problems.map((p) => [p.line, p.path]), [[3, 'monitors[0].url'], [3, 'monitors[0].interval']]);
    assert.ok(problem.problems.every((p) => p.file === file && p.col > 1));
    assert.equal(((await call('GET', '/api/v2/status.json')).json() as { page: { name: string } }).page.name, 'After');
    assert.equal((await call('GET', '/api/v1/monitors/second')).status, 200);
  });

  it('refuses a config that takes the id of a monitor made through the API', async () => {
    write('After', [`  - { id: second, type: http, url: "${target.url}/second", interval: 5s, timeout: 2s }`]);
    assert.equal((await call('POST', '/api/v1/monitors', { id: 'mine', type: 'http', url: `${target.url}/mine`, interval: '5s', timeout: '2s' })).status, 201);
    write('After', [`  - { id: mine, type: http, url: "${target.url}/mine", interval: 5s, timeout: 2s }`]);
    const refused = await call('POST', '/api/v1/config/reload');
    assert.equal(refused.status, 409);
    assert.equal(refused.json().code, 'config_conflict');
    assert.equal(((await call('GET', '/api/v1/monitors/mine')).json() as { source: string }).source, 'api');
    assert.equal((await call('GET', '/api/v1/monitors/second')).status, 200, 'the running config stays');
  });
});
