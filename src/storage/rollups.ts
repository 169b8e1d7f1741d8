import type { Kysely, Selectable } from 'kysely';
import type { CheckResult } from '../probes/types.js';
import type { Rollup, RollupGranularity } from './store.js';
import type { Database, RollupsTable } from './schema.js';
import { addToRollup, bucketStart, emptyRollup, mergeRollups } from './rollup-math.js';
import { canonicalJson } from './canonical-json.js';
import { chunkForParameters } from './batching.js';

type RollupRow = Selectable<RollupsTable>;

const GRANULARITIES: readonly RollupGranularity[] = ['hour', 'day'];
const ROLLUP_COLUMNS = 10;

function rowToRollup(row: RollupRow): Rollup {
  return {
    monitorId: row.monitor_id,
    granularity: row.granularity as RollupGranularity,
    bucketStart: row.bucket_start,
    count: row.count,
    okCount: row.ok_count,
    degradedCount: row.degraded_count,
    latencyMinMs: row.latency_min_ms,
    latencyMaxMs: row.latency_max_ms,
    latencySumMs: row.latency_sum_ms,
    histogram: JSON.parse(row.histogram),
  };
}

function rollupToRow(rollup: Rollup): RollupRow {
  return {
    monitor_id: rollup.monitorId,
    granularity: rollup.granularity,
    bucket_start: rollup.bucketStart,
    count: rollup.count,
    ok_count: rollup.okCount,
    degraded_count: rollup.degradedCount,
    latency_min_ms: rollup.latencyMinMs,
    latency_max_ms: rollup.latencyMaxMs,
    latency_sum_ms: rollup.latencySumMs,
    histogram: canonicalJson(rollup.histogram),
  };
}

const keyOf = (monitorId: string, granularity: string, start: number): string => `${monitorId}\u0000${granularity}\u0000${start}`;

/** Rollups of just these results, keyed by (monitor, granularity, bucket). Maintenance results are left out. */
function rollupsOf(results: readonly CheckResult[]): Map<string, Rollup> {
  const rollups = new Map<string, Rollup>();
  for (const result of results) {
    if (result.maintenance || result.inconclusive) continue;
    for (const granularity of GRANULARITIES) {
      const start = bucketStart(result.startedAt, granularity);
      const key = keyOf(result.monitorId, granularity, start);
      const rollup = rollups.get(key) ?? emptyRollup(result.monitorId, granularity, start);
      rollups.set(key, addToRollup(rollup, result));
    }
  }
  return rollups;
}

/**
 * Adds newly inserted results to the stored hourly and daily rollups: reads the affected rows,
 * merges in JS (the histogram is a JSON column), and upserts. Must run inside the batch transaction.
 * Assumes one writer per monitor at a time (true for one hub; several hubs will partition monitors).
 */
export async function addResultsToRollups(db: Kysely<Database>, results: readonly CheckResult[]): Promise<void> {
  const fresh = rollupsOf(results);
  if (fresh.size === 0) return;
  const monitorIds = [...new Set([...fresh.values()].map((r) => r.monitorId))];
  const stored = new Map<string, Rollup>();
  for (const granularity of GRANULARITIES) {
    const starts = [...fresh.values()].filter((r) => r.granularity === granularity).map((r) => r.bucketStart);
    const from = Math.min(...starts);
    const to = Math.max(...starts);
    for (const chunk of chunkForParameters(monitorIds, 1)) {
      const rows = await db
        .selectFrom('rollups')
        .selectAll()
        .where('granularity', '=', granularity)
        .where('monitor_id', 'in', chunk)
        .where('bucket_start', '>=', from)
        .where('bucket_start', '<=', to)
        .execute();
      for (const row of rows) stored.set(keyOf(row.monitor_id, row.granularity, row.bucket_start), rowToRollup(row));
    }
  }
  const merged = [...fresh].map(([key, rollup]) => {
    const existing = stored.get(key);
    return existing ? mergeRollups(existing, rollup) : rollup;
  });
  for (const chunk of chunkForParameters(merged, ROLLUP_COLUMNS)) {
    await db
      .insertInto('rollups')
      .values(chunk.map(rollupToRow))
      .onConflict((oc) =>
        oc.columns(['monitor_id', 'granularity', 'bucket_start']).doUpdateSet((eb) => ({
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
}

export async function listRollups(
  db: Kysely<Database>,
  monitorId: string,
  granularity: RollupGranularity,
  from: number,
  to: number,
): Promise<Rollup[]> {
  return listRollupsForMonitors(db, [monitorId], granularity, from, to);
}

export async function listRollupsForMonitors(
  db: Kysely<Database>,
  monitorIds: readonly string[],
  granularity: RollupGranularity,
  from: number,
  to: number,
): Promise<Rollup[]> {
  const rollups: Rollup[] = [];
  // Each chunk also binds granularity, from and to: three parameters to spare.
  for (const chunk of chunkForParameters([...new Set(monitorIds)], 1)) {
    const rows = await db
      .selectFrom('rollups')
      .selectAll()
      .where('monitor_id', 'in', chunk)
      .where('granularity', '=', granularity)
      .where('bucket_start', '>=', from)
      .where('bucket_start', '<', to)
      .execute();
    for (const row of rows) rollups.push(rowToRollup(row));
  }
  // Sorted here, not in SQL: PostgreSQL collations may order text ids differently from SQLite's bytes.
  return rollups.sort((a, b) => (a.monitorId < b.monitorId ? -1 : a.monitorId > b.monitorId ? 1 : a.bucketStart - b.bucketStart));
}
