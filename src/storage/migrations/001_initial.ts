import type { Kysely } from 'kysely';

// Portable schema builder features only: the same migration runs on SQLite and PostgreSQL.
// Migrations are frozen once released; later changes go in new numbered files.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('results')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('vantage', 'text', (col) => col.notNull())
    .addColumn('planned_at', 'bigint', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('ok', 'integer', (col) => col.notNull())
    .addColumn('degraded', 'integer', (col) => col.notNull())
    .addColumn('maintenance', 'integer', (col) => col.notNull())
    .addColumn('inconclusive', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('latency_ms', 'double precision', (col) => col.notNull())
    .addColumn('phases', 'text', (col) => col.notNull())
    .addColumn('peer_address', 'text')
    .addColumn('error_kind', 'text')
    .addColumn('error_message', 'text')
    .addColumn('details', 'text', (col) => col.notNull())
    .execute();
  await db.schema
    .createIndex('results_monitor_started_idx')
    .on('results')
    .columns(['monitor_id', 'started_at desc'])
    .execute();
  await db.schema.createIndex('results_started_idx').on('results').column('started_at').execute();

  await db.schema
    .createTable('rollups')
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('granularity', 'text', (col) => col.notNull())
    .addColumn('bucket_start', 'bigint', (col) => col.notNull())
    .addColumn('count', 'integer', (col) => col.notNull())
    .addColumn('ok_count', 'integer', (col) => col.notNull())
    .addColumn('degraded_count', 'integer', (col) => col.notNull())
    .addColumn('latency_min_ms', 'double precision', (col) => col.notNull())
    .addColumn('latency_max_ms', 'double precision', (col) => col.notNull())
    .addColumn('latency_sum_ms', 'double precision', (col) => col.notNull())
    .addColumn('histogram', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('rollups_pk', ['monitor_id', 'granularity', 'bucket_start'])
    .execute();
  // Pruning deletes by bucket_start across all monitors.
  await db.schema.createIndex('rollups_bucket_idx').on('rollups').column('bucket_start').execute();

  await db.schema
    .createTable('monitor_states')
    .addColumn('monitor_id', 'text', (col) => col.primaryKey())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('since', 'bigint', (col) => col.notNull())
    .addColumn('consecutive_failures', 'integer', (col) => col.notNull())
    .addColumn('consecutive_successes', 'integer', (col) => col.notNull())
    .addColumn('consecutive_slow', 'integer', (col) => col.notNull())
    .addColumn('first_failure', 'text')
    .addColumn('last_error_kind', 'text')
    .addColumn('open_incident_id', 'text')
    .addColumn('last_result_id', 'text')
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();

  await db.schema
    .createTable('incidents')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('resolved_at', 'bigint')
    .execute();
  await db.schema.createIndex('incidents_state_started_idx').on('incidents').columns(['state', 'started_at']).execute();
  await db.schema.createIndex('incidents_started_idx').on('incidents').columns(['started_at', 'id']).execute();

  await db.schema
    .createTable('incident_monitors')
    .addColumn('incident_id', 'text', (col) => col.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('incident_monitors_pk', ['incident_id', 'monitor_id'])
    .execute();
  await db.schema.createIndex('incident_monitors_monitor_idx').on('incident_monitors').column('monitor_id').execute();

  await db.schema
    .createTable('timeline_entries')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('incident_id', 'text', (col) => col.notNull().references('incidents.id').onDelete('cascade'))
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('message', 'text', (col) => col.notNull())
    .addColumn('monitor_id', 'text')
    .addColumn('evidence', 'text')
    .execute();
  await db.schema
    .createIndex('timeline_entries_incident_at_idx')
    .on('timeline_entries')
    .columns(['incident_id', 'at'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('timeline_entries').execute();
  await db.schema.dropTable('incident_monitors').execute();
  await db.schema.dropTable('incidents').execute();
  await db.schema.dropTable('monitor_states').execute();
  await db.schema.dropTable('rollups').execute();
  await db.schema.dropTable('results').execute();
}
