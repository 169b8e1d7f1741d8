// Content-addressed texts: a details document, an error message or a peer address is stored once and
// referred to by an integer key. Healthy checks of a monitor repeat the same details, so a result row
// carries a few bytes instead of its JSON. last_used_at (refreshed at most once a day per text) lets
// retention drop texts no kept observation can still refer to.
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';
import { chunkForParameters } from './batching.js';

const DAY_MS = 86_400_000;
/** Texts remembered in memory at most; the least recently used go first. */
const CACHE_LIMIT = 50_000;

export function contentDigest(body: string): string {
  return createHash('sha256').update(body).digest().subarray(0, 18).toString('base64url');
}

interface Cached {
  readonly key: number;
  /** Day (epoch ms / DAY_MS) last written to last_used_at. */
  usedDay: number;
}

export class ContentStore {
  private readonly byBody = new Map<string, Cached>();
  private readonly byKey = new Map<number, string>();

  /**
   * Keys of these texts, storing the missing ones and refreshing last_used_at once a day, in the caller's
   * transaction (the store drops this cache when a transaction fails).
   */
  async keysFor(db: Kysely<Database>, bodies: Iterable<string>, now: number): Promise<Map<string, number>> {
    const today = Math.floor(now / DAY_MS);
    const keys = new Map<string, number>();
    const missing = new Set<string>();
    const stale: number[] = [];
    for (const body of bodies) {
      if (keys.has(body)) continue;
      const cached = this.byBody.get(body);
      if (!cached) {
        missing.add(body);
        continue;
      }
      this.touch(body, cached);
      keys.set(body, cached.key);
      if (cached.usedDay < today) {
        cached.usedDay = today;
        stale.push(cached.key);
      }
    }
    if (missing.size > 0) {
      const rows = [...missing].map((body) => ({ digest: contentDigest(body), body, last_used_at: now }));
      for (const chunk of chunkForParameters(rows, 3)) {
        await db.insertInto('contents').values(chunk).onConflict((oc) => oc.column('digest').doNothing()).execute();
      }
      const byDigest = new Map(rows.map((row) => [row.digest, row.body]));
      for (const chunk of chunkForParameters([...byDigest.keys()], 1)) {
        const found = await db.selectFrom('contents').select(['key', 'digest', 'last_used_at']).where('digest', 'in', chunk).execute();
        for (const row of found) {
          const body = byDigest.get(row.digest)!;
          keys.set(body, row.key);
          this.remember(body, row.key, today);
          if (row.last_used_at < today * DAY_MS) stale.push(row.key);
        }
      }
    }
    for (const chunk of chunkForParameters(stale, 1)) {
      await db.updateTable('contents').set({ last_used_at: now }).where('key', 'in', chunk).execute();
    }
    return keys;
  }

  /** Texts of these keys. */
  async bodiesOf(db: Kysely<Database>, keys: Iterable<number>): Promise<Map<number, string>> {
    const bodies = new Map<number, string>();
    const missing = new Set<number>();
    for (const key of keys) {
      const body = this.byKey.get(key);
      if (body !== undefined) bodies.set(key, body);
      else missing.add(key);
    }
    for (const chunk of chunkForParameters([...missing], 1)) {
      const rows = await db.selectFrom('contents').select(['key', 'body']).where('key', 'in', chunk).execute();
      for (const row of rows) bodies.set(row.key, row.body);
    }
    return bodies;
  }

  /** Deletes texts unused since `before`; forgets the cache (cheap to refill). */
  async prune(db: Kysely<Database>, before: number): Promise<number> {
    const deleted = await db.deleteFrom('contents').where('last_used_at', '<', before).executeTakeFirst();
    this.byBody.clear();
    this.byKey.clear();
    return Number(deleted.numDeletedRows);
  }

  private touch(body: string, cached: Cached): void {
    this.byBody.delete(body);
    this.byBody.set(body, cached);
  }

  private remember(body: string, key: number, usedDay: number): void {
    this.byBody.set(body, { key, usedDay });
    this.byKey.set(key, body);
    if (this.byBody.size > CACHE_LIMIT) {
      const [oldestBody, oldest] = this.byBody.entries().next().value as [string, Cached];
      this.byBody.delete(oldestBody);
      this.byKey.delete(oldest.key);
    }
  }
}
