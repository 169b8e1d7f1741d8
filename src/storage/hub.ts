// The hub's own heartbeat and the gaps when it was not running.
import type { Kysely } from 'kysely';
import type { Interval } from './store.js';
import type { Database } from './schema.js';

const HEARTBEAT_ID = 1;

export async function lastBeat(db: Kysely<Database>): Promise<number | undefined> {
  const row = await db.selectFrom('hub_heartbeat').select('at').where('id', '=', HEARTBEAT_ID).executeTakeFirst();
  return row?.at;
}

export async function beat(db: Kysely<Database>, at: number): Promise<void> {
  await db
    .insertInto('hub_heartbeat')
    .values({ id: HEARTBEAT_ID, at })
    .onConflict((oc) => oc.column('id').doUpdateSet({ at }))
    .execute();
}

export async function recordGap(db: Kysely<Database>, gap: Interval): Promise<void> {
  await db
    .insertInto('hub_gaps')
    .values({ started_at: gap.from, ended_at: gap.to })
    .onConflict((oc) => oc.column('started_at').doNothing())
    .execute();
}

export async function listHubGaps(db: Kysely<Database>, from: number, to: number): Promise<Interval[]> {
  const rows = await db.selectFrom('hub_gaps').selectAll().where('ended_at', '>', from).where('started_at', '<', to).orderBy('started_at').execute();
  return rows.map((row) => ({ from: row.started_at, to: row.ended_at }));
}
