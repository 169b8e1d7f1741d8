import type { Kysely } from 'kysely';

// The notification outbox: one row per (notice, channel), written in the transaction of the events
// that cause it and delivered by the worker, which records every attempt's outcome on the row.
// (channel_id, dedup) is unique, so a notice planned twice (a retried batch, an agent seen offline
// again after a restart) is written once. Public subscribers and the key that signs their links
// live here too. Frozen once released, like every migration.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('notifications')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('channel_id', 'text', (col) => col.notNull())
    .addColumn('dedup', 'text', (col) => col.notNull())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('group_key', 'text')
    .addColumn('monitor_id', 'text')
    .addColumn('notice', 'text', (col) => col.notNull())
    .addColumn('state', 'text', (col) => col.notNull())
    .addColumn('attempts', 'integer', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('due_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .addColumn('delivered_at', 'bigint')
    .addColumn('last_status', 'integer')
    .addColumn('last_error', 'text')
    .addColumn('answer', 'text')
    .addColumn('remind_every_ms', 'bigint')
    .addColumn('subscriber_id', 'text')
    .addUniqueConstraint('notifications_channel_dedup_uq', ['channel_id', 'dedup'])
    .execute();
  await db.schema.createIndex('notifications_due_idx').on('notifications').columns(['channel_id', 'state', 'due_at']).execute();
  await db.schema.createIndex('notifications_created_idx').on('notifications').columns(['created_at', 'id']).execute();
  // Public subscribers: only confirmed ones are stored (a pending subscription lives in its signed link).
  await db.schema
    .createTable('subscribers')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) => col.notNull())
    .addColumn('address', 'text', (col) => col.notNull())
    .addColumn('address_digest', 'text', (col) => col.notNull().unique())
    .addColumn('components', 'text', (col) => col.notNull())
    .addColumn('regions', 'text', (col) => col.notNull())
    .addColumn('confirmed_at', 'bigint', (col) => col.notNull())
    .execute();
  // Keys made once by the hub (the key that signs subscription links).
  await db.schema
    .createTable('alerting_keys')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('value', 'text', (col) => col.notNull())
    .execute();
  await db.schema.createIndex('notifications_monitor_idx').on('notifications').columns(['monitor_id', 'state']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('alerting_keys').execute();
  await db.schema.dropTable('subscribers').execute();
  await db.schema.dropTable('notifications').execute();
}
