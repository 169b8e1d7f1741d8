// Hourly and daily rollups per series (monitor and vantage), updated in the batch's transaction.
import type { Kysely, Selectable } from 'kysely';
import type { CheckResult } from '../domain/verdict.js';
import type { Database, RollupsTable } from './schema.js';
import { addAllToRollup, bucketStart, emptyRollup, LATENCY_BUCKETS_MS, mergeRollups, type Rollup, type RollupCounts, type RollupGranularity } from '../domain/rollup-math.js';
import { chunkForParameters } from './batching.js';
import { ReusedStatement } from './reused-statements.js';
import type { SeriesRegistry } from './series.js';

type RollupRow = Selectable<RollupsTable>;

const GRANULARITIES: readonly RollupGranularity[] = ['hour', 'day'];
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
  private readonly newest = new Map<string, { readonly seriesKey: number; readonly rollup: Mutable<Rollup> & { histogram: number[] } }>();

  get(seriesKey: number, granularity: RollupGranularity, bucketStart: number): Rollup | undefined {
    const cached = this.newest.get(`${seriesKey}\u0000${granularity}`);
    return cached?.rollup.bucketStart === bucketStart ? cached.rollup : undefined;
  }

  /**
   * Takes what a committed transaction wrote. The current bucket's rollup is updated in place: a new
   * object per check, kept until the next one, was most of what the hub's old generation collected.
   */
  remember(written: readonly { readonly seriesKey: number; readonly rollup: Rollup }[]): void {
    for (const entry of written) {
      const key = `${entry.seriesKey}\u0000${entry.rollup.granularity}`;
      const cached = this.newest.get(key);
      if (cached && cached.rollup.bucketStart === entry.rollup.bucketStart) copyInto(cached.rollup, entry.rollup);
      else if (!cached || cached.rollup.bucketStart < entry.rollup.bucketStart) {
        this.newest.set(key, { seriesKey: entry.seriesKey, rollup: { ...entry.rollup, histogram: [...entry.rollup.histogram] } });
      }
    }
  }
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

function copyInto(target: Mutable<Rollup> & { histogram: number[] }, source: Rollup): void {
  target.count = source.count;
  target.okCount = source.okCount;
  target.degradedCount = source.degradedCount;
  target.latencyMinMs = source.latencyMinMs;
  target.latencyMaxMs = source.latencyMaxMs;
  target.latencySumMs = source.latencySumMs;
  for (let i = 0; i < source.histogram.length; i++) target.histogram[i] = source.histogram[i]!;
}

const upsertRollups = new ReusedStatement<RollupRow>(
  ['series_key', 'granularity', 'bucket_start', 'count', 'ok_count', 'degraded_count', 'latency_min_ms', 'latency_max_ms', 'latency_sum_ms', 'histogram'],
  (db, rows) =>
    db
      .insertInto('rollups')
      .values(rows)
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
      ),
);

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
  // The batch's results per bucket they count into: the current hour and day of each series, mostly.
  const touched = new Map<string, Touched>();
  for (const result of results) {
    if (result.maintenance || result.inconclusive) continue;
    const ref = series.get(result.monitorId, result.vantage);
    if (!ref) continue;
    for (const granularity of GRANULARITIES) {
      const start = bucketStart(result.startedAt, granularity);
      const key = keyOf(ref.key, granularity, start);
      const entry = touched.get(key);
      if (entry) entry.results.push(result);
      else touched.set(key, { seriesKey: ref.key, monitorId: result.monitorId, granularity, start, results: [result] });
    }
  }
  if (touched.size === 0) return [];
  const stored = new Map<string, Rollup>();
  const unknown: Touched[] = [];
  for (const [key, entry] of touched) {
    const cached = cache?.get(entry.seriesKey, entry.granularity, entry.start);
    if (cached) stored.set(key, cached);
    else unknown.push(entry);
  }
  await readStored(db, series, unknown, stored);
  const merged = [...touched].map(([key, entry]) => ({
    seriesKey: entry.seriesKey,
    rollup: addAllToRollup(stored.get(key) ?? emptyRollup(entry.monitorId, entry.granularity, entry.start), entry.results),
  }));
  await upsertRollups.execute(db, merged.map((entry) => rollupToRow(entry.rollup, entry.seriesKey)));
  return merged;
}

interface Touched {
  readonly seriesKey: number;
  readonly monitorId: string;
  readonly granularity: RollupGranularity;
  readonly start: number;
  readonly results: CheckResult[];
}

/** Rollup rows of these buckets that the cache does not hold (a restart, an agent's late results). */
async function readStored(db: Kysely<Database>, series: SeriesRegistry, unknown: readonly Touched[], stored: Map<string, Rollup>): Promise<void> {
  const seriesKeys = [...new Set(unknown.map((entry) => entry.seriesKey))];
  for (const granularity of GRANULARITIES) {
    const starts = unknown.filter((entry) => entry.granularity === granularity).map((entry) => entry.start);
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
  const merged = new Map<string, Rollup>();
  for (const chunk of await seriesKeyChunks(db, series, monitorIds, vantage)) {
    const rows = await inWindow(db, chunk, granularity, from, to).selectAll().execute();
    for (const row of rows) {
      const ref = series.byKeyOf(row.series_key)!;
      const rollup = rowToRollup(row, ref.monitorId);
      const key = `${ref.monitorId}\u0000${row.bucket_start}`;
      const existing = merged.get(key);
      merged.set(key, existing ? mergeRollups(existing, rollup) : rollup);
    }
  }
  return [...merged.values()].sort(byMonitorThenBucket);
}

/** The series keys of these monitors (or of one vantage's series), in chunks for `IN (...)`. */
async function seriesKeyChunks(db: Kysely<Database>, series: SeriesRegistry, monitorIds: readonly string[], vantage?: string): Promise<number[][]> {
  await series.load(db);
  const refs = [...new Set(monitorIds)].flatMap((id) => series.ofMonitor(id, vantage));
  return chunkForParameters(refs.map((ref) => ref.key), 1);
}

/** Rollup rows of these series and granularity with bucketStart in [from, to); the caller picks the columns. */
function inWindow(db: Kysely<Database>, seriesKeys: readonly number[], granularity: RollupGranularity, from: number, to: number) {
  return db
    .selectFrom('rollups')
    .where('series_key', 'in', seriesKeys)
    .where('granularity', '=', granularity)
    .where('bucket_start', '>=', from)
    .where('bucket_start', '<', to);
}

/** Sorted here, not in SQL: PostgreSQL collations may order text ids differently from SQLite's bytes. */
const byMonitorThenBucket = (a: { monitorId: string; bucketStart: number }, b: { monitorId: string; bucketStart: number }): number =>
  a.monitorId < b.monitorId ? -1 : a.monitorId > b.monitorId ? 1 : a.bucketStart - b.bucketStart;

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
  const merged = new Map<string, { monitorId: string; bucketStart: number; count: number; okCount: number }>();
  for (const chunk of await seriesKeyChunks(db, series, monitorIds)) {
    const rows = await inWindow(db, chunk, granularity, from, to).select(['series_key', 'bucket_start', 'count', 'ok_count']).execute();
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
  return [...merged.values()].sort(byMonitorThenBucket);
}
