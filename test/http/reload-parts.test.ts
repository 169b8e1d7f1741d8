// Live reload reaches every part that reads the config, over a real hub (startApp on loopback, SQLite
// in a temp dir): channels and routes (a new monitor's outage is delivered to a loopback receiver; a
// removed channel's pending notifications are cancelled), policies (judged at once against the
// ledger), declared sources (polled from a loopback status page, from the file and from the API), and
// what cannot change without a restart is named.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/load.js';
import { ProvenanceRecorder } from '../../src/provenance/recorder.js';
import { openStore } from '../../src/storage/open.js';
import { adminToken } from '../support/admin-token.js';
import { eventually } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';
import { startHttpReceiver, type HttpReceiver } from '../support/receivers.js';
import { startStatusPageServer, type StatusPageServer } from '../support/status-page-server.js';
import { movedToB } from '../provenance/snapshots.js';

interface NotificationJson {
  id: string;
  kind: string;
  state: string;
  attempts: number;
  lastError: string | null;
}

describe('live reload of alerting, provenance and declared sources', { timeout: 90_000 }, () => {
  let healthy: RunningHttpServer;
  let broken: RunningHttpServer;
  let hook: HttpReceiver;
  let flaky: HttpReceiver;
  let platform: StatusPageServer;
  let app: RunningApp;
  let authorization: string;
  let dir: string;
  let file: string;
  const base = () => [
    'title: Reload parts',
    'api: { allowPrivateTargets: true }',
    'alerting: { groupWindow: 0s, retryMinDelay: 60s, retryMaxDelay: 120s, maxAttempts: 5 }',
    'monitors:',
    `  - { id: steady, type: http, url: "${healthy.url}/", interval: 5s, timeout: 2s, successThreshold: 1 }`,
    // Checked from an address literal: no snapshots of its own; its ledger row is seeded below.
    `  - { id: web, type: tcp, host: 127.0.0.1, port: ${new URL(healthy.url).port}, interval: 5s, timeout: 2s, tags: [eu] }`,
  ];
  const write = (lines: string[]) => writeFileSync(file, [...lines, ''].join('\n'));

  before(async () => {
    healthy = await startHttpServer((_request, response) => response.end('ok'));
    broken = await startHttpServer((_request, response) => response.writeHead(500).end('broken'));
    hook = await startHttpReceiver({ status: 200, body: 'accepted' });
    flaky = await startHttpReceiver({ status: 500, body: 'not now' });
    platform = await startStatusPageServer({ indicator: 'none', components: [{ name: 'API', status: 'operational', updatedAt: Date.now() }], incidents: [], updatedAt: Date.now() });
    dir = mkdtempSync(join(tmpdir(), 'candor-reload-parts-'));
    file = join(dir, 'candor.yaml');
    write(base());
    authorization = (await adminToken(dir)).authorization;
    // The ledger already knows `web` is served from the US (as a snapshot from an earlier run would).
    const config = loadConfig(file, {});
    const store = await openStore({ dataDir: dir });
    await store.migrate();
    let n = 0;
    const recorder = new ProvenanceRecorder({ store, ids: { next: () => `01K${String(++n).padStart(23, '0')}` }, log: pino({ level: 'silent' }), monitors: new Map(config.monitors.map((m) => [m.id, m])), policies: [] });
    await recorder.record({ monitorId: 'web', vantage: 'local', at: Date.now() - 60_000, snapshot: movedToB() });
    await store.close();
    app = await startApp({ config, loadConfig: () => loadConfig(file, {}), log: pino({ level: 'silent' }), dataDir: dir, host: '127.0.0.1', port: 0, ingest: { flushIntervalMs: 100 } });
  });
  after(async () => {
    await app?.close();
    await Promise.all([healthy.close(), broken.close(), hook.close(), flaky.close(), platform.close()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const call = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await app.server.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, json: () => response.json() };
  };
  const reload = async () => {
    const reloaded = await call('POST', '/api/v1/config/reload');
    assert.equal(reloaded.status, 200, JSON.stringify(reloaded.json()));
    return reloaded.json() as { added: string[]; restartNeeded: string[] };
  };
  const notifications = async (channel: string) => ((await call('GET', `/api/v1/notifications?channel=${channel}`)).json() as { notifications: NotificationJson[] }).notifications;
  const violations = async () => ((await call('GET', '/api/v1/policies')).json() as { policies: { id: string; violations: { incidentId: string }[] }[] }).policies;

  it('a channel and a route added by reload deliver a new monitor\'s outage to a loopback receiver', async () => {
    assert.equal(hook.requests.length, 0);
    write([
      ...base(),
      `  - { id: shop, type: http, url: "${broken.url}/health", interval: 5s, timeout: 2s, failureThreshold: 1 }`,
      'channels:',
      `  - { id: hook, type: webhook, url: "${hook.url}/in" }`,
      `  - { id: flaky, type: webhook, url: "${flaky.url}/in" }`,
      'routes:',
      '  - { events: [went_down], monitors: [shop], channels: [hook, flaky] }',
    ]);
    const outcome = await reload();
    assert.deepEqual([outcome.added, outcome.restartNeeded], [['shop'], []]);
    const request = await eventually('the outage delivered to the new channel', async () => hook.requests.find((r) => r.body.includes('went_down') && r.body.includes('shop')));
    assert.equal(request.method, 'POST');
    const [delivered] = await notifications('hook');
    assert.deepEqual([delivered?.kind, delivered?.state], ['went_down', 'delivered']);
  });

  it('a channel removed by reload has its pending notifications cancelled with the reason', async () => {
    // The flaky receiver refused the first attempt; the retry is a minute away: pending.
    const pending = await eventually('a refused attempt on the flaky channel', async () => {
      const [notification] = await notifications('flaky');
      return notification?.state === 'pending' && notification.attempts === 1 ? notification : undefined;
    });
    write([
      ...base(),
      `  - { id: shop, type: http, url: "${broken.url}/health", interval: 5s, timeout: 2s, failureThreshold: 1 }`,
      'channels:',
      `  - { id: hook, type: webhook, url: "${hook.url}/in" }`,
      'routes:',
      '  - { events: [went_down], monitors: [shop], channels: [hook] }',
    ]);
    await reload();
    const [cancelled] = await notifications('flaky');
    assert.deepEqual([cancelled?.id, cancelled?.state, cancelled?.lastError], [pending.id, 'cancelled', 'the channel was removed from the config']);
    assert.equal((await notifications('hook'))[0]?.state, 'delivered', 'the other channel\'s notifications are untouched');
    assert.equal(flaky.requests.length, 1, 'nothing more is sent to the removed channel');
  });

  it('a policy added by reload is judged at once against the ledger: its violation opens and is notified', async () => {
    assert.deepEqual(await violations(), []);
    write([
      ...base(),
      'channels:',
      `  - { id: hook, type: webhook, url: "${hook.url}/in" }`,
      'routes:',
      '  - { events: [policy_violation], channels: [hook] }',
      'policies:',
      '  - { id: eu-only, appliesTo: { tags: [eu] }, allow: { countries: [NL] } }',
    ]);
    await reload();
    const [policy] = await violations();
    assert.equal(policy?.id, 'eu-only');
    assert.equal(policy?.violations.length, 1);
    const incident = (await call('GET', `/api/v1/incidents/${policy!.violations[0]!.incidentId}`)).json() as { status: string };
    assert.notEqual(incident.status, 'resolved');
    await eventually('the violation notified', async () => hook.requests.find((r) => r.body.includes('policy_violation')));
    // Removing the policy resolves it, again without a restart.
    write(base());
    await reload();
    assert.deepEqual(await violations(), []);
  });

  it('a declared source added by reload, or by a monitor made through the API, is polled', async () => {
    const polls = (path: string) => platform.requests.filter((r) => r.path === path).length;
    assert.equal(polls('/api/v2/summary.json'), 0);
    write([...base(), `  - { id: platform, type: http, url: "${healthy.url}/p", interval: 5s, timeout: 2s, declared: { type: statuspage, url: "${platform.url}/api/v2/summary.json", component: API, interval: 60s } }`]);
    await reload();
    await eventually('the new source polled', async () => (polls('/api/v2/summary.json') > 0 ? true : undefined));
    const declared = await eventually('the poll recorded', async () => {
      const body = (await call('GET', '/api/v1/declared')).json() as { sources: { url: string; monitors?: unknown }[] };
      return body.sources.find((s) => s.url.endsWith('/api/v2/summary.json'));
    });
    assert.ok(declared);
    const made = await call('POST', '/api/v1/monitors', { id: 'feedwatch', type: 'http', url: `${healthy.url}/f`, interval: '5s', timeout: '2s', declared: { type: 'feed', url: `${platform.url}/history.atom` } });
    assert.equal(made.status, 201, JSON.stringify(made.json()));
    await eventually('the API monitor\'s source polled', async () => (polls('/history.atom') > 0 ? true : undefined));
  });

  it('names what only a restart can change, and keeps it as started', async () => {
    write([...base().map((line) => (line.startsWith('api:') ? 'api: { allowPrivateTargets: true, publicRead: false }' : line)), 'server: { publicUrl: "https://status.example" }']);
    const outcome = await reload();
    assert.deepEqual(outcome.restartNeeded, ['server.publicUrl', 'api.publicRead']);
    // Reads stay public as started.
    const anonymous = await app.server.inject({ method: 'GET', url: '/api/v1/monitors' });
    assert.equal(anonymous.statusCode, 200);
  });
});
