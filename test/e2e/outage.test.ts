// End to end: a real `candor serve` process watching a real loopback target that goes 200 → 500 → 200.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

interface MonitorJson {
  id: string;
  state: string;
  openIncidentId: string | null;
  lastResult: { ok: boolean; peerAddress: string | null; phases: { total: number }; error: { kind: string } | null } | null;
}
interface IncidentJson {
  id: string;
  state: string;
  monitorIds: string[];
  resolvedAt: string | null;
  timeline: { kind: string; evidence: { errorKind?: string; peerAddress?: string } | null }[];
}

describe('candor serve: outage lifecycle (real process, loopback target)', { timeout: 120_000 }, () => {
  let target: RunningHttpServer;
  let status = 200;
  let dir: string;
  let configFile: string;
  let candor: ServingCandor | undefined;

  before(async () => {
    target = await startHttpServer((_request, response) => {
      response.writeHead(status, { 'content-type': 'text/plain' });
      response.end(status === 200 ? 'all good' : 'broken');
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-e2e-'));
    configFile = join(dir, 'candor.yaml');
    writeFileSync(
      configFile,
      [
        'title: E2E',
        'monitors:',
        '  - id: shop',
        '    name: Shop',
        '    type: http',
        `    url: ${target.url}/health`,
        '    interval: 5s',
        '    timeout: 2s',
        '    failureThreshold: 2',
        '    successThreshold: 1',
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    await candor?.stop('SIGKILL');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const monitor = async () => (await getJson<MonitorJson>(`${candor!.url}/api/v1/monitors/shop`)).body;
  const incidents = async () => (await getJson<{ incidents: IncidentJson[] }>(`${candor!.url}/api/v1/incidents`)).body.incidents;

  it('goes up, then down after failureThreshold checks, survives a restart, and recovers with exactly one incident', async () => {
    candor = await serveCandor(['--config', configFile, '--data', join(dir, 'data'), '--log-level', 'warn']);
    await eventually('monitor up', async () => ((await monitor()).state === 'up' ? true : undefined), 20_000);
    const up = await monitor();
    assert.equal(up.lastResult?.ok, true);
    assert.equal(up.lastResult?.peerAddress, '127.0.0.1');
    assert.ok(up.lastResult!.phases.total >= 0);

    status = 500;
    await eventually('monitor down', async () => ((await monitor()).state === 'down' ? true : undefined), 30_000);
    const open = await incidents();
    assert.equal(open.length, 1);
    assert.equal(open[0]!.state, 'open');
    assert.deepEqual(open[0]!.monitorIds, ['shop']);
    assert.deepEqual(open[0]!.timeline.map((e) => e.kind), ['first_failure', 'confirmed_down']);
    assert.equal(open[0]!.timeline[0]!.evidence?.errorKind, 'http_status');
    assert.equal(open[0]!.timeline[0]!.evidence?.peerAddress, '127.0.0.1');

    // A clean restart while down keeps the open incident and does not open a second one.
    assert.equal(await candor.stop('SIGTERM'), 0, 'SIGTERM exits 0');
    candor = await serveCandor(['--config', configFile, '--data', join(dir, 'data'), '--log-level', 'warn']);
    const restored = await monitor();
    assert.equal(restored.state, 'down');
    assert.equal(restored.openIncidentId, open[0]!.id);

    status = 200;
    await eventually('monitor recovered', async () => ((await monitor()).state === 'up' ? true : undefined), 30_000);
    const all = await incidents();
    assert.equal(all.length, 1, 'exactly one incident');
    assert.equal(all[0]!.id, open[0]!.id);
    assert.equal(all[0]!.state, 'resolved');
    assert.ok(all[0]!.resolvedAt);
    assert.equal(all[0]!.timeline.at(-1)!.kind, 'recovered');
    const resolved = await getJson<{ incidents: IncidentJson[] }>(`${candor.url}/api/v1/incidents?state=open`);
    assert.equal(resolved.body.incidents.length, 0);

    const uptime = await getJson<{ checks: number; okChecks: number; uptime: number; downtimeSeconds: number }>(
      `${candor.url}/api/v1/monitors/shop/uptime?window=24h`,
    );
    assert.equal(uptime.status, 200);
    assert.ok(uptime.body.checks >= 4, `checks ${uptime.body.checks}`);
    assert.ok(uptime.body.okChecks < uptime.body.checks);
    assert.ok(uptime.body.downtimeSeconds >= 5);

    const metrics = await (await fetch(`${candor.url}/metrics`)).text();
    assert.match(metrics, /candor_monitor_up\{monitor="shop"\} 1/);
    assert.match(metrics, /candor_checks_total\{type="http",result="ok"\} \d+/);
    assert.match(metrics, /candor_scheduler_lateness_seconds_bucket/);
    assert.match(metrics, /candor_probe_duration_seconds_bucket\{le="[^"]+",type="http",phase="ttfb"\}/);
    assert.equal(await candor.stop('SIGTERM'), 0);
  });
});
