// The series registry: one integer key per (monitor, vantage), made on first use (inside the batch's
// transaction) and cached. Keys are never reused or changed; when a transaction fails, the store drops
// the whole registry, since keys made inside it are gone with it.
import type { Kysely } from 'kysely';
import { seriesSuffix } from '../domain/result-id.js';
import type { Database } from './schema.js';
import { chunkForParameters } from './batching.js';

export interface SeriesRef {
  readonly key: number;
  readonly monitorId: string;
  readonly vantage: string;
  readonly idSuffix: string;
}

const seriesName = (monitorId: string, vantage: string): string => `${monitorId}\u0000${vantage}`;

export class SeriesRegistry {
  private readonly byName = new Map<string, SeriesRef>();
  private readonly bySuffix = new Map<string, SeriesRef>();
  private readonly byKey = new Map<number, SeriesRef>();
  private loaded = false;

  /** Loads every series (a few per monitor: small) once. */
  async load(db: Kysely<Database>): Promise<void> {
    if (this.loaded) return;
    const rows = await db.selectFrom('series').selectAll().execute();
    for (const row of rows) this.remember({ key: row.key, monitorId: row.monitor_id, vantage: row.vantage, idSuffix: row.id_suffix });
    this.loaded = true;
  }

  /** Keys of these series, creating the missing ones, in the caller's transaction. */
  async ensure(db: Kysely<Database>, pairs: Iterable<{ monitorId: string; vantage: string }>): Promise<void> {
    await this.load(db);
    const missing = new Map<string, { monitor_id: string; vantage: string; id_suffix: string }>();
    for (const { monitorId, vantage } of pairs) {
      const name = seriesName(monitorId, vantage);
      if (!this.byName.has(name) && !missing.has(name)) {
        missing.set(name, { monitor_id: monitorId, vantage, id_suffix: seriesSuffix(monitorId, vantage) });
      }
    }
    if (missing.size === 0) return;
    for (const chunk of chunkForParameters([...missing.values()], 3)) {
      await db.insertInto('series').values(chunk).onConflict((oc) => oc.doNothing()).execute();
    }
    for (const chunk of chunkForParameters([...missing.values()].map((m) => m.id_suffix), 1)) {
      const rows = await db.selectFrom('series').selectAll().where('id_suffix', 'in', chunk).execute();
      for (const row of rows) this.remember({ key: row.key, monitorId: row.monitor_id, vantage: row.vantage, idSuffix: row.id_suffix });
    }
  }

  get(monitorId: string, vantage: string): SeriesRef | undefined {
    return this.byName.get(seriesName(monitorId, vantage));
  }

  bySuffixOf(idSuffix: string): SeriesRef | undefined {
    return this.bySuffix.get(idSuffix);
  }

  byKeyOf(key: number): SeriesRef | undefined {
    return this.byKey.get(key);
  }

  /** Every series of a monitor (one per vantage that checked it), or only the named vantage's. */
  ofMonitor(monitorId: string, vantage?: string): SeriesRef[] {
    if (vantage !== undefined) {
      const one = this.get(monitorId, vantage);
      return one ? [one] : [];
    }
    return [...this.byKey.values()].filter((s) => s.monitorId === monitorId);
  }

  all(): SeriesRef[] {
    return [...this.byKey.values()];
  }

  private remember(ref: SeriesRef): void {
    this.byName.set(seriesName(ref.monitorId, ref.vantage), ref);
    this.bySuffix.set(ref.idSuffix, ref);
    this.byKey.set(ref.key, ref);
  }
}
