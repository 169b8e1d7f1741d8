// End to end: a real `candor serve` whose database goes away (PostgreSQL refusing connections, a full
// disk under SQLite) keeps checking, says so on /healthz with 503, and writes everything once it is back.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { eventually, getJson, serveCandor, type ServingCandor } from '../support/candor-process.js';
import { startHttpServer, type RunningHttpServer } from '../support/loopback-servers.js';

interface Health {
  status: string;
  storage: string;
  reason?: string;
  since?: string;
}
interface ResultJson {
  startedAt: string;
}

const INTERVAL_MS = 5_000;

function configFor(dir: string, targetUrl: string): string {
  const file = join(dir, 'candor.yaml');
  const monitor = (id: string) => [`  - id: ${id}`, `    type: http`, `    url: ${targetUrl}/${id}`, '    interval: 5s', '    timeout: 2s'];
  writeFileSync(file, ['title: Faults', 'monitors:', ...monitor('one'), ...monitor('two'), ''].join('\n'));
  return file;
}

/** Every planned check of the window is there: no gap between stored results longer than an interval and a half. */
async function assertNoGaps(candor: ServingCandor, monitorId: string, from: number, to: number): Promise<void> {
  const { body } = await getJson<{ results: ResultJson[] }>(`${candor.url}/api/v1/monitors/${monitorId}/results?limit=1000`);
  const times = body.results.map((r) => Date.parse(r.startedAt)).sort((a, b) => a - b);
  const inside = times.filter((t) => t >= from - INTERVAL_MS && t <= to + INTERVAL_MS);
  assert.ok(inside.length >= Math.floor((to - from) / INTERVAL_MS), `${monitorId}: ${inside.length} results over ${to - from} ms`);
  for (let i = 1; i < inside.length; i++) {
    assert.ok(inside[i]! - inside[i - 1]! < INTERVAL_MS * 1.5, `${monitorId}: a gap from ${new Date(inside[i - 1]!).toISOString()} to ${new Date(inside[i]!).toISOString()}`);
  }
}

async function waitForResults(candor: ServingCandor, monitorId: string, count: number): Promise<void> {
  await eventually(`${count} results of ${monitorId}`, async () => {
    const { body } = await getJson<{ results: ResultJson[] }>(`${candor.url}/api/v1/monitors/${monitorId}/results`);
    return body.results.length >= count ? true : undefined;
  });
}

const adminUrl = process.env.CANDOR_TEST_DATABASE_URL;

describe('storage faults', { timeout: 180_000 }, () => {
  let target: RunningHttpServer;
  before(async () => {
    target = await startHttpServer((_request, response) => response.end('ok'));
  });
  after(() => target.close());

  if (adminUrl === undefined || adminUrl === '') {
    it('PostgreSQL connection loss skipped: CANDOR_TEST_DATABASE_URL not set', { skip: true }, () => {});
  } else {
    it('PostgreSQL refusing and dropping connections: the process lives, /healthz says 503 and why, nothing is lost', async () => {
      const name = `candor_fault_${randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: adminUrl });
      await admin.connect();
      const dir = mkdtempSync(join(tmpdir(), 'candor-pg-fault-'));
      let candor: ServingCandor | undefined;
      try {
        await admin.query(`create database ${name}`);
        const url = new URL(adminUrl);
        url.pathname = `/${name}`;
        candor = await serveCandor(['--config', configFor(dir, target.url), '--data', dir, '--database-url', url.href]);
        await waitForResults(candor, 'one', 2);
        assert.equal((await getJson<Health>(`${candor.url}/healthz`)).status, 200);

        const cutAt = Date.now();
        await admin.query(`alter database ${name} allow_connections false`);
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [name]);
        const failing = await eventually('/healthz to fail', async () => {
          const health = await getJson<Health>(`${candor!.url}/healthz`);
          return health.status === 503 ? health.body : undefined;
        });
        assert.equal(failing.storage, 'failing');
        assert.ok(failing.reason && failing.reason.length > 0, 'the reason is given');
        const read = await fetch(`${candor.url}/api/v1/monitors/one/results`);
        assert.equal(read.status, 503, `reads say the database is unavailable, not a 500: ${await read.clone().text()}`);
        assert.match(read.headers.get('content-type') ?? '', /problem\+json/);
        const metrics = await (await fetch(`${candor.url}/metrics`)).text();
        assert.match(metrics, /candor_storage_errors_total\{operation="batch"\} [1-9]/);
        // Checks go on meanwhile; two more rounds at least.
        await new Promise((resolve) => setTimeout(resolve, 2 * INTERVAL_MS));

        await admin.query(`alter database ${name} allow_connections true`);
        await eventually('/healthz to recover', async () => ((await getJson<Health>(`${candor!.url}/healthz`)).status === 200 ? true : undefined));
        const backAt = Date.now();
        await waitForResults(candor, 'two', 6);
        await assertNoGaps(candor, 'one', cutAt, backAt);
        await assertNoGaps(candor, 'two', cutAt, backAt);
        assert.equal(candor.process.exitCode, null, 'still running');
        assert.equal(await candor.stop('SIGTERM'), 0);
        assert.doesNotMatch(candor.output(), /uncaught|unhandled/i);
      } finally {
        await candor?.stop('SIGKILL');
        await admin.query(`alter database ${name} allow_connections true`).catch(() => undefined);
        await admin.query(`select pg_terminate_backend(pid) from pg_stat_activity where datname = $1`, [name]).catch(() => undefined);
        await admin.query(`drop database if exists ${name}`);
        await admin.end();
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  const root = process.getuid?.() === 0;
  it('a full disk under SQLite: /healthz says 503 until space is back, then every result is written', { skip: root ? false : 'needs root to mount a small tmpfs' }, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'candor-disk-fault-'));
    const disk = join(dir, 'disk');
    mkdirSync(disk);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tmpfs', disk]);
    let candor: ServingCandor | undefined;
    try {
      candor = await serveCandor(['--config', configFor(dir, target.url), '--data', join(disk, 'data')]);
      await waitForResults(candor, 'one', 2);
      const cutAt = Date.now();
      // Fill what is left of the disk.
      execFileSync('sh', ['-c', `dd if=/dev/zero of=${join(disk, 'filler')} bs=64k 2>/dev/null || true`]);
      const failing = await eventually('/healthz to fail', async () => {
        const health = await getJson<Health>(`${candor!.url}/healthz`);
        return health.status === 503 ? health.body : undefined;
      });
      assert.match(failing.reason ?? '', /full|SQLITE_FULL|space/i, JSON.stringify(failing));
      await new Promise((resolve) => setTimeout(resolve, INTERVAL_MS));
      rmSync(join(disk, 'filler'));
      await eventually('/healthz to recover', async () => ((await getJson<Health>(`${candor!.url}/healthz`)).status === 200 ? true : undefined));
      const backAt = Date.now();
      await waitForResults(candor, 'one', 5);
      await assertNoGaps(candor, 'one', cutAt, backAt);
      assert.equal(await candor.stop('SIGTERM'), 0);
    } finally {
      await candor?.stop('SIGKILL');
      execFileSync('umount', ['-l', disk]);
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
