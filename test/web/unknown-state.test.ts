// The page never claims what it does not know: before any confirmed state and while the checker is
// offline, the page, /api/v2, the badges and live.json say "no data" (neutral), and no figure is shown
// without a measurement behind it.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SCENARIO_YAML, scenarioSeed, scenarioStates, startScenario } from './scenario.js';
import { DAY, HOUR, MINUTE, NOW, TODAY, batch, incident, mainText, result, startPageServer, upState, type PageServer } from './support.js';

const json = async (server: PageServer, url: string) => (await server.get(url, { accept: 'application/json' })).json();
const badgeText = async (server: PageServer, id: string) => /<title>([^<]*)<\/title>/.exec((await server.get(`/badge/${id}/status.svg`)).body)?.[1];

describe('before any state is confirmed', () => {
  let server: PageServer;
  before(async () => {
    // Checks ran and failed before reaching anything (a refused connection after 1 ms): not confirmed yet.
    const failures = ['api', 'web'].map((id) => result(id, NOW - MINUTE, { ok: false, latencyMs: 1, phases: { total: 1 }, error: { kind: 'connect_refused', message: 'connect ECONNREFUSED' } }));
    server = await startPageServer({ configYaml: SCENARIO_YAML, seed: [batch({ results: failures })] });
  });
  after(() => server.close());

  it('the page says "No data" in neutral, never "Operational", and shows no response time', async () => {
    const body = (await server.get('/')).body;
    const text = mainText(body);
    assert.doesNotMatch(text, /Operational/);
    assert.match(body, /<section class="banner t-none" aria-labelledby="overall">/);
    assert.match(text, /No data yet/);
    assert.match(body, /<h3 id="c-backend">Backend<\/h3><span class="st t-none">/);
    assert.doesNotMatch(body, /class="st t-ok"/);
    assert.doesNotMatch(text, /latest response time/, 'a refused connection after 1 ms is not a response time');
    // Uptime over a window without counted checks (the database was never checked) is no figure either.
    assert.match(text, /Database No data yet 90 days ago Today 24 hours No data 30 days No data 90 days No data/);
    // An empty chart says so instead of drawing axes and a scale.
    assert.match(body, /<figure class="chart empty"><p class="no-data">No data<\/p>/);
    assert.doesNotMatch(text, /top line/);
  });

  it('/api/v2, badges and live.json agree', async () => {
    const summary = await json(server, '/api/v2/summary.json');
    assert.deepEqual(summary.status, { indicator: 'none', description: 'No data yet' });
    assert.deepEqual(summary.components, []);
    assert.equal(await badgeText(server, 'api'), 'API: unknown');
    const live = await json(server, '/s/public/live.json');
    assert.equal(live.indicator, 'unknown');
    assert.equal(live.description, 'No data yet');
  });

  it('the monitor page names the failed check without a response time', async () => {
    const text = mainText((await server.get('/monitors/api')).body);
    assert.match(text, /No data yet · last check 10 Mar 2026, 10:59 CET , no answer/);
  });
});

describe('while the checker is offline', () => {
  let server: PageServer;
  before(async () => {
    server = await startScenario();
    server.vantage.impaired = true;
  });
  after(() => server.close());

  it('no verdict is repeated as current: banner, components and monitors say "No data"', async () => {
    const body = (await server.get('/')).body;
    const text = mainText(body);
    assert.match(text, /No current data: this checker is offline/);
    assert.match(text, /This checker is offline/);
    assert.doesNotMatch(text, /Operational|Major System Outage| Down /);
    assert.match(text, /Ongoing incidents Open when this checker went offline; not re-checked since\./);
    assert.match(body, /<section class="banner t-none"/);
    assert.doesNotMatch(body, /class="st t-(ok|down|partial|warn)"/);
    // Past figures are facts and stay: bars and uptime.
    assert.match(text, /90 days 99\.72%/);
  });

  it('/api/v2 describes no component, badges say unknown, live.json says why', async () => {
    const summary = await json(server, '/api/v2/summary.json');
    assert.deepEqual(summary.status, { indicator: 'none', description: 'No current data: this checker is offline' });
    assert.deepEqual(summary.components, []);
    assert.equal(await badgeText(server, 'web'), 'Website: unknown');
    const live = await json(server, '/s/public/live.json');
    assert.equal(live.indicator, 'unknown');
    assert.equal(live.vantageImpaired, true);
    const monitor = mainText((await server.get('/monitors/web')).body);
    assert.match(monitor, /^ Status · Website Website No data · last check/);
  });
});

describe('incidents and the live fingerprint', () => {
  let server: PageServer;
  const LONG_START = TODAY - 120 * DAY;
  const LONG_END = TODAY - 88 * DAY + 6 * HOUR;
  before(async () => {
    const long = incident('i-long', ['db'], LONG_START, LONG_END, 'Database was down for a month');
    server = await startPageServer({ configYaml: SCENARIO_YAML, seed: [...scenarioSeed(), batch({ incidentsOpened: [long] })], states: scenarioStates() });
  });
  after(() => server.close());

  it('a resolved incident that started before the 90 days but ran into them shows in the bars and the day table', async () => {
    const home = (await server.get('/')).body;
    assert.match(home, / title="11 Dec 2025: no data, \d+ min down, 1 incident \(Database was down for a month\)"><\/i>/);
    const monitor = mainText((await server.get('/monitors/db')).body);
    assert.match(monitor, /11 Dec 2025 No data 0 \d+ min Database was down for a month/);
  });

  it('an incident update (a new error kind) and a new state change the fingerprint, so open pages follow', async () => {
    const fingerprint = async () => (await json(server, '/s/public/live.json')).fingerprint as string;
    const first = await fingerprint();
    const web = server.states.get('web')!;
    server.states.set('web', { ...web, lastErrorKind: 'connect_refused' });
    const second = await fingerprint();
    assert.notEqual(second, first, 'error_changed appends a timeline entry');
    server.states.set('web', { ...web, lastErrorKind: 'connect_refused', since: web.since + MINUTE });
    assert.notEqual(await fingerprint(), second);
    server.states.set('api', upState('api'));
    server.vantage.impaired = true;
    assert.notEqual(await fingerprint(), second, 'the offline notice');
    server.vantage.impaired = false;
  });
});
