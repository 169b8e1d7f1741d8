import type { Kysely } from 'kysely';

// The management API (#18): monitors made through the API (their request body, validated again at
// every start with the config's rules), maintenance windows made through it, and the status-page
// vocabulary of incidents (who opened it, status, impact, components) and of their updates.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('api_monitors')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('updated_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('maintenance_windows')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('title', 'text')
    .addColumn('monitor_ids', 'text', (col) => col.notNull())
    .addColumn('components', 'text', (col) => col.notNull())
    .addColumn('window', 'text', (col) => col.notNull())
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema.alterTable('incidents').addColumn('source', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('status', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('impact', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('components', 'text').execute();
  await db.schema.alterTable('timeline_entries').addColumn('status', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('timeline_entries').dropColumn('status').execute();
  for (const column of ['components', 'impact', 'status', 'source']) await db.schema.alterTable('incidents').dropColumn(column).execute();
  await db.schema.dropTable('maintenance_windows').execute();
  await db.schema.dropTable('api_monitors').execute();
}
