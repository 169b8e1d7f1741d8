// Secrets stay secret: a token from the environment (in a URL's query, a header, echoed back by the
// target, carried through redirects and kept `location` headers) is searched for in the output of
// every route, the feeds, the pages and the log of a real `candor serve`. It must appear nowhere.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

const TOKEN = 'tok-5ecret-A1B2C3D4E5';
const API_KEY = 'key-0f9e8d7c6b5a';
const BASIC = 'dXNlcjpodW50ZXIy';
const SECRETS = [TOKEN, API_KEY, BASIC, encodeURIComponent(TOKEN)];

interface MonitorJson {
  id: string;
  target: string;
  openIncidentId: string | null;
  lastResult: { ok: boolean; error: { message: string } | null; details: Record<string, unknown> } | null;
}

describe('secrets from the environment are never shown (real process)', { timeout: 120_000 }, () => {
  let target: RunningHttpServer;
  let dir: string;
  let candor: ServingCandor | undefined;

  before(async () => {
    target = await startHttpServer((request, response) => {
      const url = new URL(request.url ?? '/', 'http://127.0.0.1');
      if (url.pathname === '/hop') {
        // Redirects carry the token along, as sign-in flows do.
        response.writeHead(302, { location: `/echo?token=${url.searchParams.get('token')}&next=1`, 'set-cookie': `session=${TOKEN}` });
        response.end();
        return;
      }
      if (url.pathname === '/loop') {
        response.writeHead(302, { location: `/loop?token=${url.searchParams.get('token')}` });
        response.end();
        return;
      }
      // A target that echoes the request (URL and headers) in a failing body.
      response.writeHead(503, { 'content-type': 'text/plain', 'x-echo-auth': String(request.headers['authorization']) });
      response.end(`request ${request.url}\n${JSON.stringify(request.headers)}`);
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-secrets-'));
    const monitor = (id: string, path: string, extra: string[] = []) => [
      `  - id: ${id}`,
      '    type: http',
      `    url: "${target.url}${path}"`,
      '    interval: 5s',
      '    timeout: 2s',
      '    failureThreshold: 1',
      '    headers:',
      '      Authorization: "Bearer ${CANDOR_TEST_TOKEN}"',
      '      X-Api-Key: "${CANDOR_TEST_API_KEY}"',
      `      Proxy-Authorization: "Basic ${BASIC}"`,
      '    keepHeaders: [location, set-cookie, x-echo-auth, content-type]',
      ...extra,
    ];
    writeFileSync(
      join(dir, 'candor.yaml'),
      [
        'title: Secrets',
        'monitors:',
        ...monitor('echo', '/echo?token=${CANDOR_TEST_TOKEN}&page=1'),
        ...monitor('echo-public', '/echo?token=${CANDOR_TEST_TOKEN}', ['    public: { excerpt: true }']),
        ...monitor('hop', '/hop?token=${CANDOR_TEST_TOKEN}'),
        ...monitor('kept-location', '/hop?token=${CANDOR_TEST_TOKEN}', ['    maxRedirects: 0', '    expect: { status: [200] }']),
        ...monitor('loop', '/loop?token=${CANDOR_TEST_TOKEN}', ['    maxRedirects: 2']),
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    await candor?.stop('SIGKILL');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('redacts targets, redirects, kept headers, messages and excerpts everywhere', async () => {
    const env = { ...process.env, CANDOR_TEST_TOKEN: TOKEN, CANDOR_TEST_API_KEY: API_KEY };
    candor = await serveCandor(['--config', join(dir, 'candor.yaml'), '--data', join(dir, 'data'), '--log-level', 'debug'], 20_000, env);
    const url = candor.url;
    const ids = ['echo', 'echo-public', 'hop', 'kept-location', 'loop'];
    await eventually(
      'every monitor checked and an incident open for each',
      async () => {
        const { monitors } = (await getJson<{ monitors: MonitorJson[] }>(`${url}/api/v1/monitors`)).body;
        return monitors.every((monitor) => monitor.lastResult && monitor.openIncidentId) ? true : undefined;
      },
      30_000,
    );

    // The redaction is there to see, so the search below is not vacuous.
    const echo = (await getJson<MonitorJson>(`${url}/api/v1/monitors/echo`)).body;
    assert.equal(echo.target, `${target.url}/echo?token=[redacted]&page=1`);
    assert.equal(echo.lastResult?.details['bodyExcerpt'], undefined, 'no excerpt unless the monitor makes it public');
    // The whole configured Authorization value is a secret, so its echo goes whole.
    assert.equal((echo.lastResult?.details['headers'] as Record<string, string>)['x-echo-auth'], '[redacted]');
    const echoPublic = (await getJson<MonitorJson>(`${url}/api/v1/monitors/echo-public`)).body;
    const excerpt = String(echoPublic.lastResult?.details['bodyExcerpt']);
    assert.match(excerpt, /^request \/echo\?token=\[redacted\]/);
    assert.match(excerpt, /"authorization":"\[redacted\]"/);
    assert.match(excerpt, /"x-api-key":"\[redacted\]"/);
    const hop = (await getJson<MonitorJson>(`${url}/api/v1/monitors/hop`)).body;
    assert.deepEqual(hop.lastResult?.details['redirects'], [`${target.url}/echo?token=[redacted]&next=1`]);
    const kept = (await getJson<MonitorJson>(`${url}/api/v1/monitors/kept-location`)).body;
    assert.equal((kept.lastResult?.details['headers'] as Record<string, string>)['location'], '/echo?token=[redacted]&next=1');
    assert.equal((kept.lastResult?.details['headers'] as Record<string, string>)['set-cookie'], '[redacted]');
    const loop = (await getJson<MonitorJson>(`${url}/api/v1/monitors/loop`)).body;
    assert.match(loop.lastResult?.error?.message ?? '', /next would be \/loop\?token=\[redacted\]/);

    const { incidents } = (await getJson<{ incidents: { id: string }[] }>(`${url}/api/v1/incidents`)).body;
    const paths = [
      '/healthz',
      '/metrics',
      '/openapi.json',
      '/api/v1/monitors',
      '/api/v1/incidents',
      ...ids.flatMap((id) => [`/api/v1/monitors/${id}`, `/api/v1/monitors/${id}/results`, `/api/v1/monitors/${id}/uptime`, `/monitors/${id}`, `/badge/${id}/status.svg`]),
      ...incidents.flatMap((incident) => [`/api/v1/incidents/${incident.id}`, `/incidents/${incident.id}`]),
      '/',
      '/history',
      '/feed.atom',
      '/feed.rss',
      '/feed.json',
      '/s/main/live.json',
      '/api/v2/summary.json',
      '/api/v2/status.json',
      '/api/v2/components.json',
      '/api/v2/incidents.json',
      '/api/v2/incidents/unresolved.json',
    ];
    assert.ok(incidents.length >= ids.length);
    for (const path of paths) {
      const response = await fetch(`${url}${path}`, { headers: { 'accept-encoding': 'identity' } });
      const body = await response.text();
      assert.ok(response.status < 500, `${path}: ${response.status}`);
      for (const secret of SECRETS) assert.ok(!body.includes(secret), `${path} shows a secret (${secret}):\n${body.slice(0, 2000)}`);
    }

    await candor.stop('SIGTERM');
    const log = candor.output();
    assert.match(log, /candor listening on/);
    for (const secret of SECRETS) assert.ok(!log.includes(secret), `the log shows a secret (${secret})`);
  });
});
