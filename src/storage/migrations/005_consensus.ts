import type { Kysely } from 'kysely';

// Consensus across vantages: where a monitor fails from (its judged state), where an incident is seen
// from (global or partial, which vantages and regions), and on scope entries of the timeline the
// scope with each vantage's latest result. JSON text, NULL where there is none.

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('monitor_states').addColumn('scope', 'text').execute();
  await db.schema.alterTable('incidents').addColumn('scope', 'text').execute();
  await db.schema.alterTable('timeline_entries').addColumn('scope', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('timeline_entries').dropColumn('scope').execute();
  await db.schema.alterTable('incidents').dropColumn('scope').execute();
  await db.schema.alterTable('monitor_states').dropColumn('scope').execute();
}
