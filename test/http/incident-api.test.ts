// A whole incident driven through the API (create, three updates, resolve, postmortem), seen at once in
// GET /api/v1/incidents/:id, on the status page, in the feeds and in /api/v2; Markdown shown safely.
// Also: an API monitor aimed at 127.0.0.1 without api.allowPrivateTargets records `target_forbidden`.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { startApp, type RunningApp } from '../../src/app.js';
import { adminToken } from '../support/admin-token.js';
import { parseConfig } from '../../src/config/load.js';
import { eventually } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

interface IncidentJson {
  id: string;
  title: string;
  state: string;
  status: string;
  impact: string | null;
  source: string;
  components: string[] | null;
  monitorIds: string[];
  postmortem: { markdown: string; html: string } | null;
  timeline: { kind: string; status: string | null; message: string; html: string | null }[];
}

describe('incidents through the API', { timeout: 90_000 }, () => {
  let target: RunningHttpServer;
  let requests = 0;
  let app: RunningApp;
  let authorization: string;
  let dir: string;

  before(async () => {
    target = await startHttpServer((_request, response) => {
      requests++;
      response.end('ok');
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-incidents-'));
    // The config's own monitor is trusted (it checks loopback); API monitors are not (no allowPrivateTargets).
    const config = parseConfig(
      ['title: Example status', 'monitors:', `  - { id: web, name: Website, type: http, url: "${target.url}/", interval: 5s, timeout: 2s, component: Website }`, ''].join('\n'),
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

  const send = async (method: 'GET' | 'POST', url: string, payload?: object) => {
    const response = await app.server.inject({ method, url, headers: { authorization }, ...(payload ? { payload } : {}) });
    return { status: response.statusCode, body: response.body, json: () => response.json() };
  };

  it('drives an incident from creation to postmortem and shows it everywhere at once', async () => {
    // Rendered (and cached) before the incident exists.
    assert.doesNotMatch((await send('GET', '/')).body, /Login trouble/);

    const created = await send('POST', '/api/v1/incidents', {
      title: 'Login trouble',
      components: ['Website'],
      impact: 'major',
      message: 'We are **investigating** failed logins. <script>alert(1)</script> [details](javascript:alert(1))',
    });
    assert.equal(created.status, 201, created.body);
    const incident = created.json() as IncidentJson;
    assert.equal(incident.source, 'manual');
    assert.equal(incident.status, 'investigating');
    assert.deepEqual(incident.monitorIds, ['web']);

    const home = (await send('GET', '/')).body;
    assert.match(home, /Login trouble/, 'the cached page was rendered again at once');

    for (const [status, message] of [
      ['identified', 'The session store is full.'],
      ['monitoring', 'A fix is out; watching.'],
      [undefined, 'Still watching.'],
    ] as const) {
      const update = await send('POST', `/api/v1/incidents/${incident.id}/updates`, { ...(status ? { status } : {}), message });
      assert.equal(update.status, 201, update.body);
    }
    const resolved = await send('POST', `/api/v1/incidents/${incident.id}/updates`, { status: 'resolved', message: 'All logins work again.' });
    assert.equal((resolved.json() as IncidentJson).state, 'resolved');
    assert.equal((await send('POST', `/api/v1/incidents/${incident.id}/updates`, { message: 'too late' })).json().code, 'incident_resolved');
    const postmortem = await send('POST', `/api/v1/incidents/${incident.id}/postmortem`, { message: '## What happened\n\nThe store filled up.' });
    assert.equal(postmortem.status, 201, postmortem.body);

    const api = (await send('GET', `/api/v1/incidents/${incident.id}`)).json() as IncidentJson;
    assert.equal(api.state, 'resolved');
    assert.equal(api.status, 'resolved');
    assert.equal(api.impact, 'major');
    assert.deepEqual(api.components, ['Website']);
    assert.deepEqual(
      api.timeline.map((entry) => [entry.kind, entry.status]),
      [
        ['update', 'investigating'],
        ['update', 'identified'],
        ['update', 'monitoring'],
        ['update', 'monitoring'],
        ['update', 'resolved'],
        ['postmortem', null],
      ],
    );
    assert.match(api.postmortem!.html, /<h2>What happened<\/h2>/);
    const first = api.timeline[0]!.html!;
    assert.match(first, /<strong>investigating<\/strong>/);
    assert.doesNotMatch(first, /<script|href="javascript:/, 'raw HTML and script links never become markup');
    assert.match(first, /&lt;script&gt;/);
    assert.match(first, /\[details\]\(javascript:alert\(1\)\)/, 'the refused link stays as text');

    const page = (await send('GET', `/incidents/${incident.id}`)).body;
    for (const text of ['Login trouble', 'The session store is full.', 'All logins work again.', 'What happened', 'Postmortem']) assert.ok(page.includes(text), `incident page shows "${text}"`);
    assert.doesNotMatch(page, /<script>alert|href="javascript:/);
    assert.match((await send('GET', '/history')).body, /Login trouble/);

    const atom = (await send('GET', '/feed.atom')).body;
    assert.match(atom, /Login trouble/);
    assert.match(atom, /All logins work again\./);
    const jsonFeed = (await send('GET', '/feed.json')).json() as { items: { title: string; content_html: string }[] };
    const item = jsonFeed.items.find((i) => i.title.startsWith('Login trouble'));
    assert.ok(item);
    assert.match(item.content_html, /<strong>investigating<\/strong>/);
    assert.doesNotMatch(item.content_html, /<script>|href="javascript:/);

    const v2 = (await send('GET', '/api/v2/incidents.json')).json() as { incidents: { id: string; status: string; impact: string; incident_updates: { status: string; body: string }[] }[] };
    const v2Incident = v2.incidents.find((i) => i.id === incident.id);
    assert.ok(v2Incident);
    assert.equal(v2Incident.status, 'postmortem');
    assert.equal(v2Incident.impact, 'major');
    assert.deepEqual(v2Incident.incident_updates.map((u) => u.status), ['postmortem', 'resolved', 'monitoring', 'monitoring', 'identified', 'investigating']);
  });

  it("an operator's impact shows on the banner, the component and /api/v2 until it is lowered or resolved", async () => {
    const summary = async () => (await send('GET', '/api/v2/summary.json')).json() as { status: { indicator: string }; components: { name: string; status: string }[] };
    const website = async () => (await summary()).components.find((c) => c.name === 'Website')?.status;
    // The checks see nothing wrong (once the first one is in).
    assert.equal(await eventually('the website checked', async () => (await website()) ?? undefined, 15_000), 'operational');
    const created = (await send('POST', '/api/v1/incidents', { title: 'Payments failing', components: ['Website'], impact: 'critical', message: 'Card payments fail.' })).json() as IncidentJson;
    assert.equal(await website(), 'major_outage');
    assert.equal((await summary()).status.indicator, 'critical');
    assert.match((await send('GET', '/')).body, /Major System Outage/);
    await send('POST', `/api/v1/incidents/${created.id}/updates`, { status: 'monitoring', impact: 'minor', message: 'Most payments work again.' });
    assert.equal(await website(), 'degraded_performance');
    await send('POST', `/api/v1/incidents/${created.id}/updates`, { status: 'resolved', message: 'All payments work.' });
    assert.equal(await website(), 'operational');
    assert.equal((await summary()).status.indicator, 'none');
  });

  it('refuses incidents on unknown components and updates of unknown incidents', async () => {
    const unknown = await send('POST', '/api/v1/incidents', { title: 'x', components: ['Nope'], message: 'm' });
    assert.equal(unknown.status, 400);
    assert.match(unknown.json().detail, /unknown component "Nope"; known: "Website"/);
    assert.equal((await send('POST', '/api/v1/incidents/01NOSUCHINCIDENT/updates', { message: 'm' })).status, 404);
    assert.equal((await send('POST', '/api/v1/incidents', { title: 'x', components: ['Website'], message: 'm', status: 'fine' })).status, 400);
  });

  it('records target_forbidden for an API monitor aimed at 127.0.0.1 without api.allowPrivateTargets', async () => {
    const before = requests;
    const created = await send('POST', '/api/v1/monitors', { id: 'sneaky', type: 'http', url: `${target.url}/admin`, interval: '5s', timeout: '2s' });
    assert.equal(created.status, 201, created.body);
    const result = await eventually('a result of sneaky', async () => {
      const { results } = (await send('GET', '/api/v1/monitors/sneaky/results')).json() as { results: { ok: boolean; error: { kind: string; message: string } | null }[] };
      return results[0];
    });
    assert.equal(result.ok, false);
    assert.equal(result.error?.kind, 'target_forbidden');
    // Only the trusted config monitor's own checks reached the target meanwhile.
    const { results: webResults } = (await send('GET', '/api/v1/monitors/web/results')).json() as { results: unknown[] };
    assert.ok(requests - before <= webResults.length);
    assert.ok(!target.url.endsWith('/admin'));
  });
});
