import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { dayLabel } from '../../src/web/uptime-bars.js';
import { API_OUTAGE_START } from './scenario.js';
import { startScenario } from './scenario.js';
import { DAY, HOUR, NOW, TODAY, mainText, upState, type PageServer } from './support.js';


describe('status pages', () => {
  let server: PageServer;
  before(async () => {
    server = await startScenario();
  });
  after(() => server.close());

  it('/ is the default page: banner, ongoing incident first, components with their monitors', async () => {
    const response = await server.get('/');
    assert.equal(response.statusCode, 200);
    assert.match(String(response.headers['content-type']), /^text\/html; charset=utf-8/);
    const text = mainText(response.body);
    assert.match(text, /Major System Outage/);
    const ongoing = text.indexOf('Ongoing incidents');
    const components = text.indexOf('Components');
    assert.ok(ongoing > 0 && ongoing < components, 'open incidents come before components');
    assert.match(text, /Website is down Started 10 Mar 2026, 10:40 CET · ongoing for 20 min/);
    for (const name of ['Backend', 'API', 'Database', 'Website']) assert.ok(text.includes(name), name);
    assert.match(text, /API 105 ms latest response time Operational/);
    // Its latest check timed out: that duration is not a response time.
    assert.match(text, /Website Down/);
    assert.doesNotMatch(text, /10\.0 s latest response time/);
    assert.match(response.body, /<title>Acme status<\/title>/);
    assert.match(response.body, /<a href="https:\/\/example.org\/docs" rel="noopener">Docs<\/a>/);
    assert.match(response.body, /Times are shown in Europe\/Berlin \(CET\)/);
  });

  it('has landmarks, one h1, a skip link and a live region', async () => {
    const { body } = await server.get('/');
    assert.match(body, /<html lang="en" data-theme="auto">/);
    assert.match(body, /<a class="skip" href="#main">Skip to content<\/a>/);
    assert.match(body, /<header class="site">/);
    assert.match(body, /<nav aria-label="Status page">/);
    assert.match(body, /<main id="main" tabindex="-1">/);
    assert.match(body, /<footer>/);
    assert.equal(body.match(/<h1[ >]/g)?.length, 1);
    assert.match(body, /<div id="live-region" class="sr-only" aria-live="polite" aria-atomic="true"><\/div>/);
  });

  it('shows 90 uptime bars per monitor, labelled with date, uptime, downtime and incidents', async () => {
    const { body } = await server.get('/');
    const svgs = [...body.matchAll(/<div class="bars" role="img" aria-label="([^"]*)">([\s\S]*?)<\/div>/g)];
    assert.equal(svgs.length, 3);
    // A perfect day's bar has no class (the stylesheet's default colour); the others name their tone.
    for (const [, , bars] of svgs) assert.equal(bars?.match(/<i(?: class="u-(?:warn|partial|down|none)")? title="[^"]+"><\/i>/g)?.length, 90);
    assert.ok(body.includes('<i title="9 Mar 2026: 100% uptime"></i>'));
    // API on 7 Mar: 23 hourly passing checks and 6 failing ones; the incident lasted 30 minutes.
    assert.ok(body.includes('<i class="u-down" title="7 Mar 2026: 79.31% uptime, 30 min down, 1 incident (API is down)"></i>'));
    // Database started 80 days ago: the 10 days before have no data.
    const database = svgs[1];
    assert.equal(database?.[2]?.match(/no data/g)?.length, 10);
    assert.equal(database?.[1], 'Daily uptime over the last 90 days: 80 at 100%, 0 with failures, 10 without data.');
    assert.equal(svgs[0]?.[1], 'Daily uptime over the last 90 days: 89 at 100%, 1 with failures, 0 without data.');
    // Screen readers get the days with failures as a list.
    assert.ok(body.includes('<ul class="sr-only"><li>7 Mar 2026: 79.31% uptime, 30 min down, 1 incident (API is down)</li></ul>'));
    assert.equal(dayLabel({ start: API_OUTAGE_START - 14 * HOUR, checks: 29, okChecks: 23, uptime: 23 / 29, downtimeMs: 30 * 60_000, incidents: [{ id: 'i-api', title: 'API is down' }] }), '7 Mar 2026: 79.31% uptime, 30 min down, 1 incident (API is down)');
  });

  it('shows uptime over 24 hours, 30 and 90 days, and a 24-hour response-time chart', async () => {
    const text = mainText((await server.get('/')).body);
    assert.match(text, /API .*24 hours 100% 30 days 99\.\d\d% 90 days 99\.\d\d%/);
    assert.match(text, /Website .*24 hours 85\.18%/);
    const { body } = await server.get('/');
    const charts = [...body.matchAll(/<figure class="chart">\s*<svg[^>]*role="img" aria-label="([^"]*)"/g)].map((m) => m[1]);
    assert.equal(charts.length, 3);
    assert.match(charts[0] ?? '', /^Response time, last 24 hours: median \(p50\) latest \d+ ms, lowest \d+ ms, highest \d+ ms; p95 highest \d+ ms\.$/);
  });

  it('another page shows only its components, in its own time zone', async () => {
    const response = await server.get('/s/backend');
    assert.equal(response.statusCode, 200);
    const text = mainText(response.body);
    assert.ok(text.includes('API') && text.includes('Database'));
    assert.ok(!text.includes('Website'), 'Website is not on the backend page');
    assert.match(text, /All Systems Operational/);
    assert.match(text, /Updated 10 Mar 2026, 06:00 GMT-4/);
    assert.match(response.body, /<a class="brand" href="\/s\/backend">/);
    assert.match(response.body, /href="\/s\/backend\/monitors\/api"/);
    assert.match(response.body, /data-live-url="\/s\/backend\/live.json"/);
  });

  it('the default page is also served under its slug', async () => {
    const response = await server.get('/s/public');
    assert.equal(response.statusCode, 200);
    assert.match(mainText(response.body), /Major System Outage/);
  });

  it('/incidents/:id shows the whole timeline with evidence, the duration and the monitors affected', async () => {
    const response = await server.get('/incidents/i-api');
    assert.equal(response.statusCode, 200);
    const text = mainText(response.body);
    assert.match(text, /API is down/);
    assert.match(text, /Resolved Started 7 Mar 2026, 15:00 CET · lasted 30 min · resolved 7 Mar 2026, 15:30 CET/);
    assert.match(text, /Affected API/);
    assert.match(text, /First failed check: connect_refused Seen from local Error connect_refused Detail connect ECONNREFUSED 192\.0\.2\.7:443 Timings DNS 3 ms · total 5 ms Peer IP 192\.0\.2\.7/);
    assert.match(text, /Recovered/);
    assert.match(response.body, /<a href="\/monitors\/api">API<\/a>/);
  });

  it('/history lists incidents newest first, paged with before', async () => {
    const extra = Array.from({ length: 25 }, (_, i) => {
      const startedAt = TODAY - 40 * DAY + i * HOUR;
      return {
        id: `h${String(i).padStart(3, '0')}`,
        title: `Old incident ${i}`,
        state: 'resolved' as const,
        monitorIds: ['db'],
        startedAt,
        resolvedAt: startedAt + 600_000,
        timeline: [],
      };
    });
    await server.store.commit({ results: [], states: [], incidentsOpened: extra, timelineAppended: [], incidentsResolved: [] });
    const first = await server.get('/history');
    assert.equal(first.statusCode, 200);
    const titles = [...first.body.matchAll(/<h2><a href="\/incidents\/([^"]+)">/g)].map((m) => m[1]);
    assert.equal(titles.length, 20);
    assert.deepEqual(titles.slice(0, 3), ['i-web', 'i-api', 'h024']);
    const next = /href="\/history\?before=([^"]+)" rel="next"/.exec(first.body)?.[1];
    assert.equal(next, 'h007');
    const second = await server.get(`/history?before=${next}`);
    const older = [...second.body.matchAll(/<h2><a href="\/incidents\/([^"]+)">/g)].map((m) => m[1]);
    assert.deepEqual(older, ['h006', 'h005', 'h004', 'h003', 'h002', 'h001', 'h000']);
    assert.doesNotMatch(second.body, /rel="next"/);
    // A page showing only some components lists only their incidents.
    const backend = await server.get('/s/backend/history');
    assert.doesNotMatch(backend.body, /Website is down/);
    assert.match(backend.body, /API is down/);
  });

  it('/monitors/:id shows uptime per day, latency charts and recent failures', async () => {
    const response = await server.get('/monitors/api');
    assert.equal(response.statusCode, 200);
    const text = mainText(response.body);
    assert.match(text, /Uptime per day, last 90 days \(days in Europe\/Berlin\)/);
    assert.match(text, /7 Mar 2026 79\.31% 29 30 min API is down/);
    // Days of the page's zone: 10 Mar in Berlin began at 23:00 UTC on the 9th, so it holds 11 hourly checks by 10:00 UTC.
    assert.match(text, /10 Mar 2026 100% 11 —/);
    assert.match(text, /Response time, last 24 hours/);
    assert.match(text, /Response time, last 7 days/);
    assert.match(text, /Response time, last 30 days/);
    assert.match(text, /Recent failed checks/);
    assert.match(text, /7 Mar 2026, 15:29 CET connect_refused connect ECONNREFUSED 192\.0\.2\.7:443 local 192\.0\.2\.7 5 ms/);
  });

  const notFound: ReadonlyArray<[string, RegExp]> = [
    ['/s/nope', /There is no status page &quot;nope&quot;\./],
    ['/incidents/nope', /There is no such incident on this page\./],
    ['/s/backend/incidents/i-web', /There is no such incident on this page\./],
    ['/monitors/nope', /There is no such monitor on this page\./],
    ['/s/backend/monitors/web', /There is no such monitor on this page\./],
    ['/s/nope/history', /There is no status page/],
    ['/no/such/page', /No route for GET \/no\/such\/page/],
    ['/assets/app.0000000000.css', /There is no such file\./],
  ];
  for (const [url, detail] of notFound) {
    it(`${url} is an HTML 404 page`, async () => {
      const response = await server.get(url);
      assert.equal(response.statusCode, 404);
      assert.match(String(response.headers['content-type']), /^text\/html/);
      assert.match(response.body, /^<!doctype html>/);
      assert.match(response.body, /<h1 class="page-title">Page not found<\/h1>/);
      assert.match(response.body, detail);
      assert.doesNotMatch(response.body, /\bat .*\.js:\d+/);
    });
  }

  it('API paths and non-HTML clients keep problem+json', async () => {
    for (const [url, accept] of [
      ['/api/v1/nope', 'text/html'],
      ['/no/such/page', 'application/json'],
      ['/s/nope/live.json', 'application/json'],
      ['/s/nope', 'application/json'],
      ['/incidents/nope', '*/*'],
      ['/assets/app.0000000000.css', 'text/css,*/*;q=0.1'],
    ] as const) {
      const response = await server.get(url, { accept });
      assert.equal(response.statusCode, 404, url);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/, url);
      assert.equal(response.json().code, 'not_found');
    }
  });

  it('sends an ETag and a short Cache-Control, and 304 for a matching If-None-Match', async () => {
    for (const url of ['/', '/incidents/i-api', '/history', '/monitors/api']) {
      const first = await server.get(url);
      assert.equal(first.headers['cache-control'], 'public, max-age=15', url);
      const etag = String(first.headers.etag);
      assert.match(etag, /^W\/"/, url);
      const again = await server.get(url, { 'if-none-match': etag });
      assert.equal(again.statusCode, 304, url);
      assert.equal(again.body, '', url);
    }
  });

  it('never answers 304 for an error page, whatever If-None-Match says', async () => {
    const first = await server.get('/incidents/nope');
    assert.equal(first.statusCode, 404);
    const etag = first.headers.etag;
    const again = await server.get('/incidents/nope', etag ? { 'if-none-match': String(etag) } : {});
    assert.equal(again.statusCode, 404);
  });

  it('compresses with br or gzip when accepted', async () => {
    const plain = await server.get('/');
    for (const url of ['/', '/monitors/api']) {
      const br = await server.get(url, { 'accept-encoding': 'br' });
      assert.equal(br.headers['content-encoding'], 'br', url);
      const gzip = await server.get(url, { 'accept-encoding': 'gzip' });
      assert.equal(gzip.headers['content-encoding'], 'gzip', url);
      assert.match(String(gzip.headers.vary), /accept-encoding/i, url);
      if (url === '/') {
        assert.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body);
        assert.equal(gunzipSync(gzip.rawPayload).toString(), plain.body);
      }
    }
  });

  it('serves fingerprinted assets with a long cache', async () => {
    const { body } = await server.get('/');
    const css = /<link rel="stylesheet" href="(\/assets\/app\.[0-9a-f]{10}\.css)">/.exec(body)?.[1];
    const js = /<script src="(\/assets\/app\.[0-9a-f]{10}\.js)" defer><\/script>/.exec(body)?.[1];
    assert.ok(css && js);
    for (const [url, type] of [
      [css, /^text\/css/],
      [js, /^text\/javascript/],
    ] as const) {
      const response = await server.get(url, { 'accept-encoding': 'gzip' });
      assert.equal(response.statusCode, 200);
      assert.match(String(response.headers['content-type']), type);
      assert.equal(response.headers['cache-control'], 'public, max-age=31536000, immutable');
      assert.equal(response.headers['content-encoding'], 'gzip');
    }
  });

  it('sends a Content-Security-Policy that allows no inline script', async () => {
    const response = await server.get('/');
    assert.match(String(response.headers['content-security-policy']), /script-src 'self'/);
    assert.doesNotMatch(response.body, /<script>/);
  });

  it('live.json: the page carries the fingerprint, which changes with a state and shows at once on /', async () => {
    const page = await server.get('/?refresh=1');
    assert.match(page.body, /<body data-live-url="\/s\/public\/live.json" data-fingerprint="([^"]+)" data-refresh-seconds="2">/);
    const fingerprint = /data-fingerprint="([^"]+)"/.exec(page.body)?.[1];
    const live = await server.get('/s/public/live.json', { accept: 'application/json' });
    assert.equal(live.statusCode, 200);
    assert.equal(live.headers['cache-control'], 'no-store');
    assert.deepEqual(live.json(), { slug: 'public', indicator: 'critical', description: 'Major System Outage', vantageImpaired: false, fingerprint });

    server.states.set('web', upState('web', { since: NOW }));
    const changed = (await server.get('/s/public/live.json')).json();
    assert.equal(changed.indicator, 'none');
    assert.notEqual(changed.fingerprint, fingerprint);
    // The rendered page is cached briefly, but never across a change of the fingerprint.
    const fresh = await server.get('/?refresh=1');
    assert.match(fresh.body, new RegExp(`data-fingerprint="${changed.fingerprint}"`));
    assert.match(mainText(fresh.body), /All Systems Operational/);
    server.states.set('web', upState('web', { status: 'down', since: NOW, openIncidentId: 'i-web', lastErrorKind: 'timeout' }));
  });
});
