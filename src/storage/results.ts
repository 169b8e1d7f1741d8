import { olderThan } from './cursor.js';
import type { Kysely, Selectable } from 'kysely';
import type { ErrorKind, CheckResult } from '../probes/types.js';
import type { ResultQuery } from './store.js';
import type { Database, ResultsTable } from './schema.js';
import { canonicalJson } from './canonical-json.js';
import { chunkForParameters } from './batching.js';

type ResultRow = Selectable<ResultsTable>;

const RESULT_COLUMNS = 15;

export function resultToRow(result: CheckResult): ResultRow {
  return {
    id: result.id,
    monitor_id: result.monitorId,
    vantage: result.vantage,
    planned_at: result.plannedAt,
    started_at: result.startedAt,
    ok: result.ok ? 1 : 0,
    degraded: result.degraded ? 1 : 0,
    maintenance: result.maintenance ? 1 : 0,
    inconclusive: result.inconclusive ? 1 : 0,
    latency_ms: result.latencyMs,
    phases: canonicalJson(result.phases),
    peer_address: result.peerAddress ?? null,
    error_kind: result.error?.kind ?? null,
    error_message: result.error?.message ?? null,
    details: canonicalJson(result.details),
  };
}

export function rowToResult(row: ResultRow): CheckResult {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    vantage: row.vantage,
    plannedAt: row.planned_at,
    startedAt: row.started_at,
    ok: row.ok === 1,
    degraded: row.degraded === 1,
    maintenance: row.maintenance === 1,
    ...(row.inconclusive === 1 ? { inconclusive: true as const } : {}),
    latencyMs: row.latency_ms,
    phases: JSON.parse(row.phases),
    ...(row.peer_address !== null ? { peerAddress: row.peer_address } : {}),
    ...(row.error_kind !== null
      ? { error: { kind: row.error_kind as ErrorKind, message: row.error_message ?? '' } }
      : {}),
    details: JSON.parse(row.details),
  };
}

/**
 * Inserts results, skipping ids already stored (agents retry pushes), and returns the results
 * actually inserted: only those may be counted into rollups.
 */
export async function insertNewResults(db: Kysely<Database>, results: readonly CheckResult[]): Promise<CheckResult[]> {
  const unique = new Map<string, CheckResult>();
  for (const result of results) if (!unique.has(result.id)) unique.set(result.id, result);
  const inserted = new Set<string>();
  for (const chunk of chunkForParameters([...unique.values()], RESULT_COLUMNS)) {
    const rows = await db
      .insertInto('results')
      .values(chunk.map(resultToRow))
      .onConflict((oc) => oc.column('id').doNothing())
      .returning('id')
      .execute();
    for (const row of rows) inserted.add(row.id);
  }
  return [...unique.values()].filter((result) => inserted.has(result.id));
}

export async function listResults(db: Kysely<Database>, monitorId: string, query: ResultQuery): Promise<CheckResult[]> {
  let select = db.selectFrom('results').selectAll().where('monitor_id', '=', monitorId);
  if (query.from !== undefined) select = select.where('started_at', '>=', query.from);
  if (query.to !== undefined) select = select.where('started_at', '<', query.to);
  if (query.before !== undefined) select = select.where(await olderThan(db, 'results', query.before));
  const rows = await select.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(rowToResult);
}

export async function getResult(db: Kysely<Database>, id: string): Promise<CheckResult | undefined> {
  const row = await db.selectFrom('results').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? rowToResult(row) : undefined;
}

/** The newest result (startedAt, then id) of each monitor that has one. */
export async function latestResults(
  db: Kysely<Database>,
  monitorIds: readonly string[],
): Promise<Map<string, CheckResult>> {
  const latest = new Map<string, CheckResult>();
  for (const chunk of chunkForParameters([...new Set(monitorIds)], 1)) {
    // Join each monitor's max(started_at) back to its rows: served by the (monitor_id, started_at) index.
    const rows = await db
      .selectFrom('results as r')
      .innerJoin(
        (eb) =>
          eb
            .selectFrom('results')
            .select(['monitor_id', (e) => e.fn.max('started_at').as('max_started_at')])
            .where('monitor_id', 'in', chunk)
            .groupBy('monitor_id')
            .as('m'),
        (join) => join.onRef('m.monitor_id', '=', 'r.monitor_id').onRef('m.max_started_at', '=', 'r.started_at'),
      )
      .selectAll('r')
      .execute();
    for (const row of rows) {
      const current = latest.get(row.monitor_id);
      if (!current || row.id > current.id) latest.set(row.monitor_id, rowToResult(row));
    }
  }
  return latest;
}
