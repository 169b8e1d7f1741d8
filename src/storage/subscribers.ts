// Public subscribers, and the hub's alerting keys (made once, kept in the database so every process
// and every restart signs links with the same key).
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Subscriber } from '../domain/subscriber.js';
import type { Database } from './schema.js';

export function addressDigest(address: string): string {
  return createHash('sha256').update(address.trim().toLowerCase()).digest('hex');
}

/** Adds a subscriber, or replaces what an address follows when it subscribes again (keeping its id). */
export async function upsertSubscriber(db: Kysely<Database>, subscriber: Subscriber): Promise<Subscriber> {
  const digest = addressDigest(subscriber.address);
  await db
    .insertInto('subscribers')
    .values({
      id: subscriber.id,
      kind: subscriber.kind,
      address: subscriber.address,
      address_digest: digest,
      components: JSON.stringify(subscriber.components),
      regions: JSON.stringify(subscriber.regions),
      confirmed_at: subscriber.confirmedAt,
    })
    .onConflict((oc) => oc.column('address_digest').doUpdateSet({ components: JSON.stringify(subscriber.components), regions: JSON.stringify(subscriber.regions), confirmed_at: subscriber.confirmedAt }))
    .execute();
  const row = await db.selectFrom('subscribers').selectAll().where('address_digest', '=', digest).executeTakeFirstOrThrow();
  return toSubscriber(row);
}

export async function removeSubscriber(db: Kysely<Database>, id: string): Promise<boolean> {
  const result = await db.deleteFrom('subscribers').where('id', '=', id).executeTakeFirst();
  // What it was sent and not yet delivered goes with it.
  await db.updateTable('notifications').set({ state: 'cancelled' }).where('subscriber_id', '=', id).where('state', '=', 'pending').execute();
  return Number(result.numDeletedRows) > 0;
}

export async function getSubscriber(db: Kysely<Database>, id: string): Promise<Subscriber | undefined> {
  const row = await db.selectFrom('subscribers').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toSubscriber(row);
}

export async function listSubscribers(db: Kysely<Database>): Promise<Subscriber[]> {
  const rows = await db.selectFrom('subscribers').selectAll().orderBy('id').execute();
  return rows.map(toSubscriber);
}

/** The named key, made (32 random bytes) the first time it is asked for. */
export async function alertingKey(db: Kysely<Database>, name: string): Promise<Buffer> {
  await db.insertInto('alerting_keys').values({ name, value: randomBytes(32).toString('base64') }).onConflict((oc) => oc.column('name').doNothing()).execute();
  const row = await db.selectFrom('alerting_keys').select('value').where('name', '=', name).executeTakeFirstOrThrow();
  return Buffer.from(row.value, 'base64');
}

function toSubscriber(row: { id: string; kind: string; address: string; components: string; regions: string; confirmed_at: number }): Subscriber {
  return {
    id: row.id,
    kind: row.kind as Subscriber['kind'],
    address: row.address,
    components: JSON.parse(row.components) as string[],
    regions: JSON.parse(row.regions) as string[],
    confirmedAt: Number(row.confirmed_at),
  };
}
