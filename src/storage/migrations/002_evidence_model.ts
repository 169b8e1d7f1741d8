import { PostgresAdapter, sql, type Kysely } from 'kysely';
import { seriesSuffix } from '../../domain/result-id.js';
import { contentDigest } from '../contents.js';

// Schema 2, the evidence model: results become compact observation rows clustered by series (monitor
// and vantage) and time, with texts stored once; rollups are kept per series; the state machine's state
// is kept per vantage apart from the monitor's judged state. Every row of schema 1 is carried over.
// Frozen once released, like every migration; it runs inside one transaction (see DialectSpecifics).

const CHUNK = 2_000;
const LATENCY_BUCKETS = 19;
const ERROR_KINDS_V1 = [
  'dns_nxdomain', 'dns_servfail', 'dns_refused', 'dns_timeout', 'dns_no_answer', 'dns_error', 'connect_refused',
  'connect_timeout', 'connect_reset', 'connect_unreachable', 'tls_handshake', 'tls_cert_expired', 'tls_cert_not_yet_valid',
  'tls_cert_untrusted', 'tls_hostname_mismatch', 'http_status', 'http_protocol', 'too_many_redirects', 'assertion_failed',
  'timeout', 'body_too_large', 'banner_mismatch', 'internal',
];

function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** Schema 1 details carried no probe type: tell it from the fields each probe wrote. */
function typedDetails(text: string): string {
  const details = JSON.parse(text) as Record<string, unknown>;
  if (typeof details !== 'object' || details === null || 'type' in details) return text;
  const has = (...keys: string[]) => keys.some((key) => key in details);
  const type = has('status', 'httpVersion', 'redirects', 'bodyBytes')
    ? 'http'
    : has('rcode', 'answers', 'resolver', 'transport')
      ? 'dns'
      : has('fingerprintSha256', 'chainVerified', 'protocol', 'subject')
        ? 'tls'
        : has('bytesReceived', 'bannerExcerpt')
          ? 'tcp'
          : undefined;
  if (type === undefined) return text;
  const sorted = Object.fromEntries(Object.entries({ ...details, type }).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return JSON.stringify(sorted);
}

const cms = (ms: unknown): number | null => (typeof ms === 'number' ? Math.round(ms * 100) : null);

async function createTables(db: Kysely<any>, postgres: boolean): Promise<void> {
  const key = (table: string) =>
    db.schema.createTable(table).addColumn('key', 'integer', (col) => (postgres ? col.primaryKey().generatedByDefaultAsIdentity() : col.primaryKey().autoIncrement()));
  await key('series')
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('vantage', 'text', (col) => col.notNull())
    .addColumn('id_suffix', 'text', (col) => col.notNull().unique())
    .addUniqueConstraint('series_monitor_vantage_uq', ['monitor_id', 'vantage'])
    .execute();
  await key('contents')
    .addColumn('digest', 'text', (col) => col.notNull().unique())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('last_used_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('contents_last_used_idx').on('contents').column('last_used_at').execute();

  let observations = db.schema
    .createTable('observations')
    .addColumn('series_key', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('start_delay_ms', 'integer', (col) => col.notNull())
    .addColumn('flags', 'integer', (col) => col.notNull())
    .addColumn('dns_cms', 'integer')
    .addColumn('connect_cms', 'integer')
    .addColumn('tls_cms', 'integer')
    .addColumn('ttfb_cms', 'integer')
    .addColumn('total_cms', 'integer', (col) => col.notNull())
    .addColumn('peer_key', 'integer')
    .addColumn('error_kind', 'integer')
    .addColumn('message_key', 'integer')
    .addColumn('details_key', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('observations_pk', ['series_key', 'started_at']);
  // Clustered by (series, time) on SQLite: the row lives in the primary key's b-tree, no rowid, no second index.
  if (!postgres) observations = observations.modifyEnd(sql`without rowid`);
  await observations.execute();

  await db.schema
    .createTable('legacy_result_ids')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('series_key', 'integer', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('rollups_v2')
    .addColumn('series_key', 'integer', (col) => col.notNull())
    .addColumn('granularity', 'text', (col) => col.notNull())
    .addColumn('bucket_start', 'bigint', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('ok_count', 'integer', (col) => col.notNull())
    .addColumn('degraded_count', 'integer', (col) => col.notNull())
    .addColumn('latency_min_ms', 'double precision', (col) => col.notNull())
    .addColumn('latency_max_ms', 'double precision', (col) => col.notNull())
    .addColumn('latency_sum_ms', 'double precision', (col) => col.notNull())
    .addColumn('histogram', postgres ? 'bytea' : 'blob', (col) => col.notNull())
    .addPrimaryKeyConstraint('rollups_v2_pk', ['series_key', 'granularity', 'bucket_start'])
    .execute();

  await db.schema
    .createTable('vantage_states')
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('vantage', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('since', 'bigint', (col) => col.notNull())
    .addColumn('consecutive_failures', 'integer', (col) => col.notNull())
    .addColumn('consecutive_successes', 'integer', (col) => col.notNull())
    .addColumn('consecutive_slow', 'integer', (col) => col.notNull())
    .addColumn('first_failure', 'text')
    .addColumn('last_error_kind', 'text')
    .addColumn('down_before_maintenance', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('last_result_id', 'text')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('vantage_states_pk', ['monitor_id', 'vantage'])
    .execute();
}

/** Series of every monitor schema 1 knew (results, rollups, states), all from the hub ("local"). */
async function createSeries(db: Kysely<any>): Promise<Map<string, number>> {
  const pairs = new Map<string, { monitor_id: string; vantage: string }>();
  const add = (monitorId: string, vantage: string) => pairs.set(`${monitorId}\u0000${vantage}`, { monitor_id: monitorId, vantage });
  for (const row of await db.selectFrom('results').select(['monitor_id', 'vantage']).distinct().execute()) add(row.monitor_id, row.vantage);
  for (const row of await db.selectFrom('rollups').select('monitor_id').distinct().execute()) add(row.monitor_id, 'local');
  for (const row of await db.selectFrom('monitor_states').select('monitor_id').execute()) add(row.monitor_id, 'local');
  for (const pair of pairs.values()) {
    await db.insertInto('series').values({ ...pair, id_suffix: seriesSuffix(pair.monitor_id, pair.vantage) }).execute();
  }
  const keys = new Map<string, number>();
  for (const row of await db.selectFrom('series').selectAll().execute()) keys.set(`${row.monitor_id}\u0000${row.vantage}`, Number(row.key));
  return keys;
}

async function contentKeys(db: Kysely<any>, bodies: Set<string>, now: number): Promise<Map<string, number>> {
  const rows = [...bodies].map((body) => ({ digest: contentDigest(body), body, last_used_at: now }));
  const keys = new Map<string, number>();
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500);
    await db.insertInto('contents').values(chunk).onConflict((oc) => oc.column('digest').doNothing()).execute();
    const found = await db.selectFrom('contents').select(['key', 'body']).where('digest', 'in', chunk.map((r) => r.digest)).execute();
    for (const row of found) keys.set(row.body, Number(row.key));
  }
  return keys;
}

async function moveResults(db: Kysely<any>, series: Map<string, number>): Promise<void> {
  let after = '';
  for (;;) {
    const rows = await db.selectFrom('results').selectAll().where('id', '>', after).orderBy('id').limit(CHUNK).execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.id;
    const details = new Map(rows.map((row) => [row.id, typedDetails(row.details)]));
    const texts = new Set<string>(details.values());
    for (const row of rows) {
      if (row.peer_address !== null) texts.add(row.peer_address);
      if (row.error_kind !== null) texts.add(row.error_message ?? '');
    }
    const keys = await contentKeys(db, texts, Math.max(...rows.map((row) => Number(row.started_at))));
    const observations = rows.map((row) => {
      const phases = JSON.parse(row.phases) as Record<string, number>;
      const kind = row.error_kind === null ? null : ERROR_KINDS_V1.indexOf(row.error_kind);
      return {
        series_key: series.get(`${row.monitor_id}\u0000${row.vantage}`)!,
        started_at: Number(row.started_at),
        start_delay_ms: Number(row.started_at) - Number(row.planned_at),
        flags: (row.ok ? 1 : 0) | (row.degraded ? 2 : 0) | (row.maintenance ? 4 : 0) | (row.inconclusive ? 8 : 0),
        dns_cms: cms(phases.dns),
        connect_cms: cms(phases.connect),
        tls_cms: cms(phases.tls),
        ttfb_cms: cms(phases.ttfb),
        total_cms: cms(phases.total) ?? Math.round(Number(row.latency_ms) * 100),
        peer_key: row.peer_address === null ? null : keys.get(row.peer_address)!,
        error_kind: kind === null ? null : kind === -1 ? ERROR_KINDS_V1.indexOf('internal') : kind,
        message_key: row.error_kind === null ? null : keys.get(row.error_message ?? '')!,
        details_key: keys.get(details.get(row.id)!)!,
      };
    });
    for (let i = 0; i < observations.length; i += 500) {
      await db.insertInto('observations').values(observations.slice(i, i + 500)).onConflict((oc) => oc.columns(['series_key', 'started_at']).doNothing()).execute();
    }
    const legacy = rows.map((row, i) => ({ id: row.id, series_key: observations[i]!.series_key, started_at: observations[i]!.started_at }));
    for (let i = 0; i < legacy.length; i += 500) await db.insertInto('legacy_result_ids').values(legacy.slice(i, i + 500)).execute();
  }
}

async function moveRollups(db: Kysely<any>, series: Map<string, number>, postgres: boolean): Promise<void> {
  let offset = 0;
  for (;;) {
    const rows = await db.selectFrom('rollups').selectAll().orderBy('monitor_id').orderBy('granularity').orderBy('bucket_start').limit(CHUNK).offset(offset).execute();
    if (rows.length === 0) break;
    offset += rows.length;
    const values = rows.map((row) => {
      const counters = JSON.parse(row.histogram) as number[];
      const histogram = Buffer.alloc(LATENCY_BUCKETS * 4);
      for (let i = 0; i < LATENCY_BUCKETS; i++) histogram.writeUInt32LE(counters[i] ?? 0, i * 4);
      const { monitor_id: monitorId, histogram: _json, ...rest } = row;
      return { ...rest, series_key: series.get(`${monitorId}\u0000local`)!, histogram };
    });
    for (let i = 0; i < values.length; i += 500) await db.insertInto('rollups_v2').values(values.slice(i, i + 500)).execute();
  }
  await db.schema.dropTable('rollups').execute();
  await db.schema.alterTable('rollups_v2').renameTo('rollups').execute();
  await db.schema.createIndex('rollups_bucket_idx').on('rollups').column('bucket_start').execute();
  if (postgres) await sql`alter table rollups rename constraint rollups_v2_pk to rollups_pk`.execute(db);
}

/** The state machine's columns move to vantage_states ("local"); monitor_states keeps the judged state. */
async function splitStates(db: Kysely<any>): Promise<void> {
  const rows = await db.selectFrom('monitor_states').selectAll().execute();
  for (let i = 0; i < rows.length; i += 500) {
    const chunk = rows.slice(i, i + 500).map((row) => ({
      monitor_id: row.monitor_id,
      vantage: 'local',
      status: row.status,
      since: row.since,
      consecutive_failures: row.consecutive_failures,
      consecutive_successes: row.consecutive_successes,
      consecutive_slow: row.consecutive_slow,
      first_failure: row.first_failure,
      last_error_kind: row.last_error_kind,
      // Schema 1 kept an incident open across maintenance by its id: the vantage was down before it.
      down_before_maintenance: row.status === 'maintenance' && row.open_incident_id !== null ? 1 : 0,
      last_result_id: row.last_result_id,
      updated_at: row.updated_at,
    }));
    await db.insertInto('vantage_states').values(chunk).execute();
  }
  for (const column of ['consecutive_failures', 'consecutive_successes', 'consecutive_slow', 'first_failure']) {
    await db.schema.alterTable('monitor_states').dropColumn(column).execute();
  }
}

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = isPostgres(db);
  await createTables(db, postgres);
  const series = await createSeries(db);
  await moveResults(db, series);
  await db.schema.dropTable('results').execute();
  await moveRollups(db, series, postgres);
  await splitStates(db);
}

export async function down(): Promise<void> {
  throw new Error('schema 2 cannot be migrated down: restore the backup taken before upgrading');
}
