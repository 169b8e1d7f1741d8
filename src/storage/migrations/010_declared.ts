import type { Kysely } from 'kysely';

// What platforms declare about themselves (src/declared/): the status of each source and component
// over time (changes only: a row per status held, with first and last seen), every declared incident
// with its updates, and each source's last poll.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('declared_statuses')
    .addColumn('source_id', 'text', (col) => col.notNull())
    .addColumn('scope', 'text', (col) => col.notNull())
    .addColumn('first_seen', 'bigint', (col) => col.notNull())
    .addColumn('last_seen', 'bigint', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull())
    .addColumn('reason', 'text')
    .addColumn('declared_at', 'bigint')
    .addPrimaryKeyConstraint('declared_statuses_pk', ['source_id', 'scope', 'first_seen'])
    .execute();
  await db.schema
    .createTable('declared_incidents')
    .addColumn('source_id', 'text', (col) => col.notNull())
    .addColumn('external_id', 'text', (col) => col.notNull())
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('impact', 'text', (col) => col.notNull())
    .addColumn('declared_at', 'bigint', (col) => col.notNull())
    .addColumn('started_at', 'bigint', (col) => col.notNull())
    .addColumn('resolved_at', 'bigint')
    .addColumn('components', 'text', (col) => col.notNull())
    .addColumn('updates', 'text', (col) => col.notNull())
    .addColumn('url', 'text')
    .addColumn('first_seen', 'bigint', (col) => col.notNull())
    .addColumn('last_seen', 'bigint', (col) => col.notNull())
    .addPrimaryKeyConstraint('declared_incidents_pk', ['source_id', 'external_id'])
    .execute();
  await db.schema.createIndex('declared_incidents_time_idx').on('declared_incidents').columns(['source_id', 'started_at']).execute();
  await db.schema
    .createTable('declared_sources')
    .addColumn('source_id', 'text', (col) => col.primaryKey())
    .addColumn('last_poll_at', 'bigint', (col) => col.notNull())
    .addColumn('last_success_at', 'bigint')
    .addColumn('failure_kind', 'text')
    .addColumn('failure_message', 'text')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('declared_sources').execute();
  await db.schema.dropTable('declared_incidents').execute();
  await db.schema.dropTable('declared_statuses').execute();
}
