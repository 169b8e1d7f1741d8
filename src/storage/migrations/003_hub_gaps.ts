import type { Kysely } from 'kysely';

// When the hub itself was not running. hub_heartbeat is one row, moved with every committed batch;
// hub_gaps holds each stretch from the last write before a stop to the first check after the start.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('hub_heartbeat')
    .addColumn('id', 'integer', (col) => col.primaryKey())
    .addColumn('at', 'bigint', (col) => col.notNull())
    .execute();
  await db.schema
    .createTable('hub_gaps')
    .addColumn('started_at', 'bigint', (col) => col.primaryKey())
    .addColumn('ended_at', 'bigint', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('hub_gaps').execute();
  await db.schema.dropTable('hub_heartbeat').execute();
}
