// Upgrading a database written by release 0.1 (schema 1): everything it held is there afterwards, on
// both engines. fixtures-v1/candor.db was written by 0.1 itself watching loopback targets; rows.json is
// the same rows, loaded into PostgreSQL through 0.1's own migration.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import Sqlite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect } from 'kysely';
import pg from 'pg';
import { migrationProvider } from '../../src/storage/migrations/index.js';
import { openSqliteStore } from '../../src/storage/sqlite.js';
import { openPostgresStore } from '../../src/storage/postgres.js';
import type { Store } from '../../src/storage/store.js';
import { uptimeOf } from '../../src/domain/uptime.js';
import { StorageError } from '../../src/domain/errors.js';

const here = fileURLToPath(new URL('.', import.meta.url));
// Compiled tests run from dist/test/storage; the fixtures stay in the source tree.
const fixtures = join(here, '..', '..', '..', 'test', 'storage', 'fixtures-v1');
type Row = Record<string, unknown>;
const v1 = JSON.parse(readFileSync(join(fixtures, 'rows.json'), 'utf8')) as Record<string, Row[]>;
const monitorIds = [...new Set(v1.monitor_states!.map((s) => String(s.monitor_id)))];

/** What schema 1 held, checked against what the migrated store answers. */
async function assertCarriedOver(store: Store): Promise<void> {
  for (const monitorId of monitorIds) {
    const before = v1.results!.filter((r) => r.monitor_id === monitorId).sort((a, b) => Number(b.started_at) - Number(a.started_at));
    const after = await store.listResults(monitorId, { limit: 1000 });
    assert.equal(after.length, before.length, `results of ${monitorId}`);
    after.forEach((result, i) => {
      const old = before[i]!;
      assert.equal(result.startedAt, old.started_at);
      assert.equal(result.plannedAt, old.planned_at);
      assert.equal(result.ok, old.ok === 1);
      assert.equal(result.degraded, old.degraded === 1);
      assert.equal(result.latencyMs, old.latency_ms);
      assert.deepEqual(result.phases, JSON.parse(String(old.phases)));
      assert.equal(result.peerAddress, old.peer_address ?? undefined);
      assert.deepEqual(result.error, old.error_kind === null ? undefined : { kind: old.error_kind, message: old.error_message });
      const { type, ...details } = result.details as unknown as Row;
      assert.deepEqual(details, JSON.parse(String(old.details)));
      assert.ok(type === 'http' || type === 'tcp', `details typed: ${String(type)}`);
    });
    // Ids handed out by 0.1 (links, cursors, incident evidence) still find their result.
    for (const old of before) assert.equal((await store.getResult(String(old.id)))?.startedAt, old.started_at, `old id ${String(old.id)}`);
    const oldest = before.at(-1)!;
    assert.deepEqual((await store.listResults(monitorId, { limit: 1000, before: String(before[0]!.id) })).length, before.length - 1);
    assert.equal((await store.listResults(monitorId, { limit: 1000, before: String(oldest.id) })).length, 0);

    // Rollups, and so every uptime figure, are the same.
    for (const granularity of ['hour', 'day'] as const) {
      const old = v1.rollups!.filter((r) => r.monitor_id === monitorId && r.granularity === granularity);
      const now = await store.listRollups(monitorId, granularity, 0, Number.MAX_SAFE_INTEGER);
      assert.deepEqual(
        now.map((r) => [r.bucketStart, r.count, r.okCount, r.degradedCount, r.latencyMinMs, r.latencyMaxMs, r.latencySumMs, r.histogram]),
        old.map((r) => [r.bucket_start, r.count, r.ok_count, r.degraded_count, r.latency_min_ms, r.latency_max_ms, r.latency_sum_ms, JSON.parse(String(r.histogram))]),
      );
      assert.deepEqual(uptimeOf(now), uptimeOf(old.map((r) => ({ count: Number(r.count), okCount: Number(r.ok_count) }))));
    }
  }

  // Incidents with their timelines, exactly.
  for (const old of v1.incidents!) {
    const incident = await store.getIncident(String(old.id));
    assert.ok(incident, `incident ${String(old.id)}`);
    assert.equal(incident.title, old.title);
    assert.equal(incident.state, old.state);
    assert.equal(incident.startedAt, old.started_at);
    assert.equal(incident.resolvedAt, old.resolved_at ?? undefined);
    const entries = v1.timeline_entries!.filter((e) => e.incident_id === old.id).sort((a, b) => Number(a.at) - Number(b.at));
    assert.deepEqual(
      incident.timeline.map((e) => [e.id, e.at, e.kind, e.message, e.evidence ?? null]),
      entries.map((e) => [e.id, e.at, e.kind, e.message, e.evidence === null ? null : JSON.parse(String(e.evidence))]),
    );
  }

  // States: the judged state per monitor, the state machine's per vantage ("local").
  const states = await store.listStates();
  const vantages = await store.listVantageStates();
  for (const old of v1.monitor_states!) {
    const state = states.find((s) => s.monitorId === old.monitor_id);
    assert.deepEqual(
      [state?.status, state?.since, state?.openIncidentId, state?.lastResultId],
      [old.status, old.since, old.open_incident_id ?? undefined, old.last_result_id ?? undefined],
    );
    const machine = vantages.find((s) => s.monitorId === old.monitor_id);
    assert.deepEqual(
      [machine?.vantage, machine?.status, machine?.consecutiveFailures, machine?.consecutiveSuccesses, machine?.lastResultId],
      ['local', old.status, old.consecutive_failures, old.consecutive_successes, old.last_result_id ?? undefined],
    );
  }
}

describe('upgrading a schema-1 database (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-migrate-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every result, incident, timeline entry, rollup and state', async () => {
    const file = join(dir, 'upgrade.db');
    copyFileSync(join(fixtures, 'candor.db'), file);
    const store = await openSqliteStore(file);
    try {
      await store.migrate();
      await assertCarriedOver(store);
      await store.migrate();
    } finally {
      await store.close();
    }
  });

  it('a migration that fails leaves the database as it was, and says why', async () => {
    const file = join(dir, 'broken.db');
    copyFileSync(join(fixtures, 'candor.db'), file);
    const raw = new Sqlite(file);
    raw.prepare("update results set details = '{not json' where id = ?").run(String(v1.results![5]!.id));
    const before = raw.prepare('select count(*) as n from results').get() as { n: number };
    raw.close();

    const store = await openSqliteStore(file);
    const failure = await store.migrate().then(
      () => undefined,
      (error: unknown) => error,
    );
    await store.close();
    assert.ok(failure instanceof StorageError);
    assert.equal(failure.code, 'storage_migration_failed');
    assert.match(failure.message, /002_evidence_model.*nothing was changed/);

    const check = new Sqlite(file, { readonly: true });
    const tables = (check.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name);
    assert.ok(tables.includes('results') && !tables.includes('observations'), `tables after the failed migration: ${tables.join(', ')}`);
    assert.deepEqual(check.prepare('select count(*) as n from results').get(), before);
    assert.deepEqual(check.prepare('select name from kysely_migration').all(), [{ name: '001_initial' }]);
    check.close();
  });
});

const databaseUrl = process.env.CANDOR_TEST_DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  it('PostgreSQL upgrade skipped: CANDOR_TEST_DATABASE_URL not set', { skip: true }, () => {});
} else {
  describe('upgrading a schema-1 database (PostgreSQL)', () => {
    // A database of its own: other test files create and drop schemas in the shared one, and Kysely's
    // migrator lists the tables of every schema of its database.
    const name = `candor_upgrade_${process.pid}_${randomBytes(4).toString('hex')}`;
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    const admin = async (statement: string) => {
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    };
    after(() => admin(`drop database if exists ${name} with (force)`));

    it('keeps every result, incident, timeline entry, rollup and state', async () => {
      await admin(`create database ${name}`);
      // Schema 1 built by 0.1's own migration, filled with the rows 0.1 wrote.
      const db = new Kysely<Record<string, Row>>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url.href }) }) });
      const migrator = new Migrator({ db, provider: migrationProvider, migrationTableSchema: 'public' });
      const { error } = await migrator.migrateTo('001_initial');
      assert.equal(error, undefined);
      for (const table of ['results', 'rollups', 'monitor_states', 'incidents', 'incident_monitors', 'timeline_entries']) {
        if (v1[table]!.length > 0) await db.insertInto(table).values(v1[table]!).execute();
      }
      await db.destroy();

      const store = await openPostgresStore(url.href);
      try {
        await store.migrate();
        await assertCarriedOver(store);
      } finally {
        await store.close();
      }
    });
  });
}

describe('a kill -9 in the middle of the upgrade (SQLite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'candor-migrate-kill-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const ROWS = 150_000;

  /** A schema-1 database with many results, so the upgrade takes long enough to be cut. */
  async function bigSchemaOne(file: string): Promise<void> {
    const database = new Sqlite(file);
    database.pragma('journal_mode = WAL');
    const { SqliteDialect } = await import('kysely');
    const db = new Kysely<Record<string, Row>>({ dialect: new SqliteDialect({ database }) });
    const { error } = await new Migrator({ db, provider: migrationProvider }).migrateTo('001_initial');
    assert.equal(error, undefined);
    const insert = database.prepare(
      `insert into results (id, monitor_id, vantage, planned_at, started_at, ok, degraded, maintenance, inconclusive, latency_ms, phases, peer_address, error_kind, error_message, details)
       values (?, ?, 'local', ?, ?, 1, 0, 0, 0, 12.5, '{"connect":1.25,"total":12.5}', '127.0.0.1', null, null, '{"status":200}')`,
    );
    const t0 = Date.UTC(2026, 10, 1);
    database.transaction(() => {
      for (let i = 0; i < ROWS; i++) insert.run(`01K${String(i).padStart(23, '0')}`, `m${i % 500}`, t0 + i * 10, t0 + i * 10 + 1);
    })();
    await db.destroy();
  }

  it('leaves schema 1 whole (or schema 2 whole), and the next start upgrades it', async () => {
    const file = join(dir, 'big.db');
    await bigSchemaOne(file);
    const storeModule = new URL('../../src/storage/sqlite.js', import.meta.url).href;
    const child = spawn(process.execPath, ['--input-type=module', '-e', `
      const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
      const store = await openSqliteStore(${JSON.stringify(file)});
      console.log('migrating');
      await store.migrate();
      console.log('done');
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = once(child, 'exit');
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (output.includes('migrating')) {
          clearInterval(poll);
          resolve();
        }
      }, 5);
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    child.kill('SIGKILL');
    await exited;
    assert.equal(output.includes('done'), false, 'the upgrade was cut before it finished (make the database bigger if not)');

    const check = new Sqlite(file, { readonly: true });
    const tables = (check.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((t) => t.name);
    assert.ok(tables.includes('results') && !tables.includes('observations'), `schema 1 untouched: ${tables.join(', ')}`);
    assert.deepEqual(check.prepare('select count(*) as n from results').get(), { n: ROWS });
    check.close();

    const store = await openSqliteStore(file);
    try {
      await store.migrate();
      let total = 0;
      for (let m = 0; m < 500; m++) total += (await store.listResults(`m${m}`, { limit: 1000 })).length;
      assert.equal(total, ROWS);
    } finally {
      await store.close();
    }
  });
});
