import type { Kysely } from 'kysely';

// Agents (vantages elsewhere): their token hash and public key, and each signed batch they pushed.
// A batch names its observations by series and time range instead of a column on every result row.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('agents')
    .addColumn('name', 'text', (col) => col.primaryKey())
    .addColumn('region', 'text')
    .addColumn('token_hash', 'text', (col) => col.notNull())
    .addColumn('public_key', 'text')
    .addColumn('created_at', 'bigint', (col) => col.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('last_seen_at', 'bigint')
    .addColumn('last_address', 'text')
    .addColumn('claimed_region', 'text')
    .execute();
  await db.schema
    .createTable('agent_batches')
    .addColumn('digest', 'text', (col) => col.primaryKey())
    .addColumn('agent', 'text', (col) => col.notNull())
    .addColumn('signature', 'text', (col) => col.notNull())
    .addColumn('sent_at', 'bigint', (col) => col.notNull())
    .addColumn('received_at', 'bigint', (col) => col.notNull())
    .addColumn('observations', 'integer', (col) => col.notNull())
    .addColumn('covers', 'text', (col) => col.notNull())
    .addColumn('refused', 'text')
    .execute();
  await db.schema.createIndex('agent_batches_agent_idx').on('agent_batches').columns(['agent', 'received_at']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('agent_batches').execute();
  await db.schema.dropTable('agents').execute();
}
