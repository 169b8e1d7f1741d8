import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from './schema.js';

/**
 * The keyset condition for paging incidents newest first by (started_at, id): rows strictly older than
 * the incident `before`. A cursor whose row is gone still pages: ids sort by time.
 */
export async function olderThan(db: Kysely<Database>, before: string): Promise<RawBuilder<boolean>> {
  const cursor = await db.selectFrom('incidents').select(['started_at', 'id']).where('id', '=', before).executeTakeFirst();
  if (!cursor) return sql<boolean>`id < ${before}`;
  return sql<boolean>`(started_at < ${cursor.started_at} or (started_at = ${cursor.started_at} and id < ${cursor.id}))`;
}
