// End to end: one real `candor serve` declares another's /api/v2/summary.json as its platform's status
// page, reads what it says about a component, and compares it with what it sees itself.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

interface DeclaredJson {
  sources: { id: string; url: string; overall: { status: string }; components: { name: string; status: string; reason: string | null }[]; lastPoll: { ok: boolean } | null }[];
}

describe('candor reads another candor (/api/v2/summary.json as a declared source)', { timeout: 120_000 }, () => {
  let target: RunningHttpServer;
  let dir: string;
  let platform: ServingCandor | undefined;
  let observer: ServingCandor | undefined;
  let healthy = false;

  before(async () => {
    target = await startHttpServer((_request, response) => {
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(healthy ? 'ok' : 'down');
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-reads-candor-'));
  });
  after(async () => {
    await observer?.stop('SIGKILL');
    await platform?.stop('SIGKILL');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("shows the platform's declared component status, and a source that stops answering as unavailable", async () => {
    // The "platform": a Candor whose own status page says its API is down.
    writeFileSync(
      join(dir, 'platform.yaml'),
      ['title: Platform', 'monitors:', `  - { id: api, name: API, component: API, type: http, url: "${target.url}/", interval: 5s, timeout: 2s, failureThreshold: 1, successThreshold: 1 }`, ''].join('\n'),
    );
    platform = await serveCandor(['--config', join(dir, 'platform.yaml'), '--data', join(dir, 'platform-data'), '--log-level', 'warn']);
    await eventually('platform says API is down', async () => {
      const summary = await getJson<{ components: { name: string; status: string }[] }>(`${platform!.url}/api/v2/summary.json`);
      return summary.body.components.find((c) => c.name === 'API')?.status === 'major_outage' ? true : undefined;
    });

    writeFileSync(
      join(dir, 'observer.yaml'),
      [
        'title: Observer',
        'monitors:',
        `  - id: platform-api`,
        `    type: http`,
        `    url: "${target.url}/"`,
        `    interval: 5s`,
        `    timeout: 2s`,
        `    declared: { type: statuspage, url: "${platform.url}/api/v2/summary.json", component: API, interval: 5s }`,
        '',
      ].join('\n'),
    );
    observer = await serveCandor(['--config', join(dir, 'observer.yaml'), '--data', join(dir, 'observer-data'), '--log-level', 'warn']);
    const declared = await eventually('observer read the platform', async () => {
      const body = (await getJson<DeclaredJson>(`${observer!.url}/api/v1/declared`)).body;
      return body.sources[0]?.lastPoll ? body : undefined;
    });
    assert.equal(declared.sources.length, 1);
    assert.equal(declared.sources[0]!.lastPoll?.ok, true);
    assert.equal(declared.sources[0]!.overall.status, 'major_outage');
    assert.deepEqual(declared.sources[0]!.components.map((c) => [c.name, c.status]), [['API', 'major_outage']]);

    const history = await getJson<{ statuses: { status: string }[]; component: string }>(`${observer.url}/api/v1/monitors/platform-api/declared/history`);
    assert.equal(history.status, 200);
    assert.equal(history.body.component, 'API');
    assert.equal(history.body.statuses.at(-1)?.status, 'major_outage');

    const transparency = await getJson<{ method: { version: string }; platforms: { sourceId: string; windows: { windowDays: number }[] }[] }>(`${observer.url}/api/v1/transparency`);
    assert.equal(transparency.status, 200);
    assert.equal(transparency.body.method.version, 'candor-transparency/1');
    assert.deepEqual(transparency.body.platforms[0]!.windows.map((w) => w.windowDays), [30, 90]);

    // The platform goes away: the observer records it as unavailable, never as operational.
    await platform.stop('SIGKILL');
    platform = undefined;
    const gone = await eventually(
      'source unavailable',
      async () => {
        const body = (await getJson<DeclaredJson>(`${observer!.url}/api/v1/declared`)).body;
        return body.sources[0]?.components[0]?.status === 'unavailable' ? body : undefined;
      },
      20_000,
    );
    assert.equal(gone.sources[0]!.overall.status, 'unavailable');
    assert.match(gone.sources[0]!.components[0]!.reason ?? '', /^connect_failed/);

    const unknown = await getJson<{ code: string }>(`${observer.url}/api/v1/monitors/nope/declared/history`);
    assert.equal(unknown.status, 404);
    const badRange = await getJson<{ code: string }>(`${observer.url}/api/v1/monitors/platform-api/declared/history?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`);
    assert.equal(badRange.status, 400);
  });
});
