import type { Kysely } from 'kysely';

// The provenance ledger (issue #15): one row per stretch of time a (monitor, vantage) saw the same
// thing, the change events between them, the policy violations open now, and the kind of an incident
// (outage, or policy_violation) so both kinds can be open for one monitor at once.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('provenance_ledger')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('vantage', 'text', (col) => col.notNull())
    .addColumn('first_seen', 'bigint', (col) => col.notNull())
    .addColumn('last_seen', 'bigint', (col) => col.notNull())
    .addColumn('observations', 'integer', (col) => col.notNull())
    .addColumn('snapshot', 'text', (col) => col.notNull())
    .addColumn('view', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('provenance_ledger_series_idx').on('provenance_ledger').columns(['monitor_id', 'vantage', 'first_seen']).execute();
  await db.schema
    .createTable('provenance_changes')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('vantage', 'text', (col) => col.notNull())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('previous', 'text', (col) => col.notNull())
    .addColumn('current', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('provenance_changes_at_idx').on('provenance_changes').columns(['at', 'id']).execute();
  await db.schema.createIndex('provenance_changes_monitor_idx').on('provenance_changes').columns(['monitor_id', 'at']).execute();
  await db.schema
    .createTable('policy_violations')
    .addColumn('policy_id', 'text', (col) => col.notNull())
    .addColumn('monitor_id', 'text', (col) => col.notNull())
    .addColumn('vantage', 'text', (col) => col.notNull())
    .addColumn('since', 'bigint', (col) => col.notNull())
    .addColumn('incident_id', 'text', (col) => col.notNull())
    .addColumn('breaches', 'text', (col) => col.notNull())
    .addColumn('ledger_entry_id', 'text', (col) => col.notNull())
    .addPrimaryKeyConstraint('policy_violations_pk', ['policy_id', 'monitor_id', 'vantage'])
    .execute();
  await db.schema.alterTable('incidents').addColumn('kind', 'text', (col) => col.notNull().defaultTo('outage')).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('incidents').dropColumn('kind').execute();
  await db.schema.dropTable('policy_violations').execute();
  await db.schema.dropTable('provenance_changes').execute();
  await db.schema.dropTable('provenance_ledger').execute();
}
