// Hourly and daily rollups per series (monitor and vantage), updated in the batch's transaction.
import type { Kysely, Selectable } from 'kysely';
import type { CheckResult } from '../domain/verdict.js';
import type { Database, RollupsTable } from './schema.js';
import { addToRollup, bucketStart, emptyRollup, LATENCY_BUCKETS_MS, mergeRollups, type Rollup, type RollupCounts, type RollupGranularity } from '../domain/rollup-math.js';
import { chunkForParameters } from './batching.js';
import type { SeriesRegistry } from './series.js';

type RollupRow = Selectable<RollupsTable>;

const GRANULARITIES: readonly RollupGranularity[] = ['hour', 'day'];
const ROLLUP_COLUMNS = 10;
const HISTOGRAM_LENGTH = LATENCY_BUCKETS_MS.length + 1;

/** Counters as little-endian uint32: 76 bytes, read without parsing. */
function packHistogram(histogram: readonly number[]): Uint8Array {
  const bytes = Buffer.alloc(HISTOGRAM_LENGTH * 4);
  for (let i = 0; i < HISTOGRAM_LENGTH; i++) bytes.writeUInt32LE(Math.min(histogram[i] ?? 0, 0xffffffff), i * 4);
  return bytes;
}

function unpackHistogram(bytes: Uint8Array): number[] {
  const view = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: HISTOGRAM_LENGTH }, (_, i) => (i * 4 + 4 <= view.length ? view.readUInt32LE(i * 4) : 0));
}

function rowToRollup(row: RollupRow, monitorId: string): Rollup {
  return {
    monitorId,
    granularity: row.granularity as RollupGranularity,
    bucketStart: row.bucket_start,
    count: row.count,
    okCount: row.ok_count,
    degradedCount: row.degraded_count,
    latencyMinMs: row.latency_min_ms,
    latencyMaxMs: row.latency_max_ms,
    latencySumMs: row.latency_sum_ms,
    histogram: unpackHistogram(row.histogram),
  };
}

function rollupToRow(rollup: Rollup, seriesKey: number): RollupRow {
  return {
    series_key: seriesKey,
    granularity: rollup.granularity,
    bucket_start: rollup.bucketStart,
    count: rollup.count,
    ok_count: rollup.okCount,
    degraded_count: rollup.degradedCount,
    latency_min_ms: rollup.latencyMinMs,
    latency_max_ms: rollup.latencyMaxMs,
    latency_sum_ms: rollup.latencySumMs,
    histogram: packHistogram(rollup.histogram),
  };
}

const keyOf = (seriesKey: number, granularity: string, start: number): string => `${seriesKey}\u0000${granularity}\u0000${start}`;

/**
 * The newest hourly and daily rollup of each series as last committed: batches keep adding to the same
 * current buckets, and reading them back from the database every second was the largest cost of
 * ingest. Holds two rollups per series; relies on one writer per series, like the merge itself.
 */
export class RollupCache {
  private readonly newest = new Map<string, { readonly seriesKey: number; readonly rollup: Rollup }>();

  get(seriesKey: number, granularity: RollupGranularity, bucketStart: number): Rollup | undefined {
    const cached = this.newest.get(`${seriesKey}\u0000${granularity}`);
    return cached?.rollup.bucketStart === bucketStart ? cached.rollup : undefined;
  }

  /** Takes what a committed transaction wrote. */
  remember(written: readonly { readonly seriesKey: number; readonly rollup: Rollup }[]): void {
    for (const entry of written) {
      const key = `${entry.seriesKey}\u0000${entry.rollup.granularity}`;
      const cached = this.newest.get(key);
      if (!cached || cached.rollup.bucketStart <= entry.rollup.bucketStart) this.newest.set(key, entry);
    }
  }
}

/**
 * Adds newly inserted results to the stored hourly and daily rollups of their series: reads the affected
 * rows, merges in JS, upserts. Must run inside the batch transaction. Assumes one writer per series.
 */
export async function addResultsToRollups(
  db: Kysely<Database>,
  series: SeriesRegistry,
  results: readonly CheckResult[],
  cache?: RollupCache,
): Promise<{ seriesKey: number; rollup: Rollup }[]> {
  const fresh = new Map<string, { seriesKey: number; rollup: Rollup }>();
  for (const result of results) {
    if (result.maintenance || result.inconclusive) continue;
    const ref = series.get(result.monitorId, result.vantage);
    if (!ref) continue;
    for (const granularity of GRANULARITIES) {
      const start = bucketStart(result.startedAt, granularity);
      const key = keyOf(ref.key, granularity, start);
      const entry = fresh.get(key) ?? { seriesKey: ref.key, rollup: emptyRollup(result.monitorId, granularity, start) };
      fresh.set(key, { seriesKey: ref.key, rollup: addToRollup(entry.rollup, result) });
    }
  }
  if (fresh.size === 0) return [];
  const stored = new Map<string, Rollup>();
  const unknown = new Map<string, { seriesKey: number; rollup: Rollup }>();
  for (const [key, entry] of fresh) {
    const cached = cache?.get(entry.seriesKey, entry.rollup.granularity, entry.rollup.bucketStart);
    if (cached) stored.set(key, cached);
    else unknown.set(key, entry);
  }
  const seriesKeys = [...new Set([...unknown.values()].map((f) => f.seriesKey))];
  for (const granularity of GRANULARITIES) {
    const starts = [...unknown.values()].filter((f) => f.rollup.granularity === granularity).map((f) => f.rollup.bucketStart);
    if (starts.length === 0) continue;
    for (const chunk of chunkForParameters(seriesKeys, 1)) {
      const rows = await db
        .selectFrom('rollups')
        .selectAll()
        .where('granularity', '=', granularity)
        .where('series_key', 'in', chunk)
        .where('bucket_start', '>=', Math.min(...starts))
        .where('bucket_start', '<=', Math.max(...starts))
        .execute();
      for (const row of rows) {
        const ref = series.byKeyOf(row.series_key)!;
        stored.set(keyOf(row.series_key, row.granularity, row.bucket_start), rowToRollup(row, ref.monitorId));
      }
    }
  }
  const merged = [...fresh].map(([key, { seriesKey, rollup }]) => {
    const existing = stored.get(key);
    return { seriesKey, rollup: existing ? mergeRollups(existing, rollup) : rollup };
  });
  for (const chunk of chunkForParameters(merged, ROLLUP_COLUMNS)) {
    await db
      .insertInto('rollups')
      .values(chunk.map((entry) => rollupToRow(entry.rollup, entry.seriesKey)))
      .onConflict((oc) =>
        oc.columns(['series_key', 'granularity', 'bucket_start']).doUpdateSet((eb) => ({
          count: eb.ref('excluded.count'),
          ok_count: eb.ref('excluded.ok_count'),
          degraded_count: eb.ref('excluded.degraded_count'),
          latency_min_ms: eb.ref('excluded.latency_min_ms'),
          latency_max_ms: eb.ref('excluded.latency_max_ms'),
          latency_sum_ms: eb.ref('excluded.latency_sum_ms'),
          histogram: eb.ref('excluded.histogram'),
        })),
      )
      .execute();
  }
  return merged;
}

/**
 * Rollups of many monitors at once, every vantage merged into one rollup per monitor and bucket (or only
 * `vantage`'s). Ordered by monitor id, then bucketStart ascending; bucketStart in [from, to).
 */
export async function listRollupsForMonitors(
  db: Kysely<Database>,
  series: SeriesRegistry,
  monitorIds: readonly string[],
  granularity: RollupGranularity,
  from: number,
  to: number,
  vantage?: string,
): Promise<Rollup[]> {
  await series.load(db);
  const refs = [...new Set(monitorIds)].flatMap((id) => series.ofMonitor(id, vantage));
  const merged = new Map<string, Rollup>();
  for (const chunk of chunkForParameters(refs.map((r) => r.key), 1)) {
    const rows = await db
      .selectFrom('rollups')
      .selectAll()
      .where('series_key', 'in', chunk)
      .where('granularity', '=', granularity)
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .execute();
    for (const row of rows) {
      const ref = series.byKeyOf(row.series_key)!;
      const rollup = rowToRollup(row, ref.monitorId);
      const key = `${ref.monitorId}\u0000${row.bucket_start}`;
      const existing = merged.get(key);
      merged.set(key, existing ? mergeRollups(existing, rollup) : rollup);
    }
  }
  // Sorted here, not in SQL: PostgreSQL collations may order text ids differently from SQLite's bytes.
  return [...merged.values()].sort((a, b) => (a.monitorId < b.monitorId ? -1 : a.monitorId > b.monitorId ? 1 : a.bucketStart - b.bucketStart));
}

/**
 * listRollupsForMonitors without the latency figures: the histogram column is neither read nor
 * unpacked. Status pages count 90 days of daily rows (9,000 for 100 monitors) and use no latency of
 * them. Same order, same merging of a monitor's vantages (counts added).
 */
export async function listRollupCountsForMonitors(
  db: Kysely<Database>,
  series: SeriesRegistry,
  monitorIds: readonly string[],
  granularity: RollupGranularity,
  from: number,
  to: number,
): Promise<RollupCounts[]> {
  await series.load(db);
  const refs = [...new Set(monitorIds)].flatMap((id) => series.ofMonitor(id));
  const merged = new Map<string, { monitorId: string; bucketStart: number; count: number; okCount: number }>();
  for (const chunk of chunkForParameters(refs.map((r) => r.key), 1)) {
    const rows = await db
      .selectFrom('rollups')
      .select(['series_key', 'bucket_start', 'count', 'ok_count'])
      .where('series_key', 'in', chunk)
      .where('granularity', '=', granularity)
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .execute();
    for (const row of rows) {
      const monitorId = series.byKeyOf(row.series_key)!.monitorId;
      const key = `${monitorId}\u0000${row.bucket_start}`;
      const existing = merged.get(key);
      if (existing) {
        existing.count += row.count;
        existing.okCount += row.ok_count;
      } else merged.set(key, { monitorId, bucketStart: row.bucket_start, count: row.count, okCount: row.ok_count });
    }
  }
  return [...merged.values()].sort((a, b) => (a.monitorId < b.monitorId ? -1 : a.monitorId > b.monitorId ? 1 : a.bucketStart - b.bucketStart));
}
