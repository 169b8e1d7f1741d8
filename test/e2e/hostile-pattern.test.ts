// A config pattern with catastrophic backtracking, against a long body, must not stall Candor: the check
// ends (well within its deadline) and the server keeps answering /healthz throughout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

interface MonitorJson {
  lastResult: { ok: boolean; error: { kind: string; message: string } | null } | null;
}

describe('catastrophic patterns (real process, loopback target)', { timeout: 90_000 }, () => {
  let target: RunningHttpServer;
  let dir: string;
  let candor: ServingCandor | undefined;
  let targetHits = 0;

  before(async () => {
    target = await startHttpServer((_request, response) => {
      targetHits++;
      // JavaScript's backtracking engine takes longer than the age of the universe on this.
      response.writeHead(200, { 'content-type': 'text/plain', 'x-long': `${'a'.repeat(4_000)}!` });
      response.end(`${'a'.repeat(500_000)}!`);
    });
    dir = mkdtempSync(join(tmpdir(), 'candor-redos-'));
    writeFileSync(
      join(dir, 'candor.yaml'),
      [
        'monitors:',
        '  - id: body',
        '    type: http',
        `    url: ${target.url}/`,
        '    interval: 5s',
        '    timeout: 4s',
        '    maxBodySize: 1MiB',
        '    expect:',
        '      bodyMatches: "^(a+)+$"',
        '  - id: header',
        '    type: http',
        `    url: ${target.url}/`,
        '    interval: 5s',
        '    timeout: 4s',
        '    expect:',
        '      header:',
        '        - { name: x-long, matches: "^(a|aa)+$" }',
        '',
      ].join('\n'),
    );
  });

  after(async () => {
    await candor?.stop('SIGKILL');
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ends the checks with a failed assertion and keeps answering /healthz', async () => {
    candor = await serveCandor(['--config', join(dir, 'candor.yaml'), '--data', join(dir, 'data'), '--log-level', 'warn']);
    const url = candor.url;
    for (const id of ['body', 'header']) {
      const result = await eventually(
        `a result for ${id}`,
        async () => {
          // Every poll is also a liveness probe: a blocked event loop would fail it with a timeout.
          const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3_000) });
          assert.equal(health.status, 200);
          const monitor = (await getJson<MonitorJson>(`${url}/api/v1/monitors/${id}`)).body;
          return monitor.lastResult ?? undefined;
        },
        30_000,
      );
      assert.equal(result.ok, false);
      assert.equal(result.error?.kind, 'assertion_failed');
      assert.match(result.error?.message ?? '', /does not match/);
    }
    assert.ok(targetHits >= 2);
    const health = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3_000) });
    assert.equal(health.status, 200);
  });
});
