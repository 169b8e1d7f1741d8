// Results: observations with the hub's verdict, one compact row each (schema.ts ObservationsTable).
import type { Kysely, Selectable } from 'kysely';
import { ERROR_KINDS, PHASE_NAMES, type Details, type ErrorKind, type Phases } from '../domain/observation.js';
import { parseResultId, resultId } from '../domain/result-id.js';
import type { CheckResult } from '../domain/verdict.js';
import { BadRequestError } from '../domain/errors.js';
import type { ResultQuery } from './store.js';
import type { Database, ObservationsTable } from './schema.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { ReusedStatement } from './reused-statements.js';
import type { ContentStore } from './contents.js';
import type { SeriesRef, SeriesRegistry } from './series.js';

type ObservationRow = Selectable<ObservationsTable>;

/** Phases are kept as integer hundredths of a millisecond: the probes' own resolution. */
const CMS_PER_MS = 100;
const FLAG_OK = 1;
const FLAG_DEGRADED = 2;
const FLAG_MAINTENANCE = 4;
const FLAG_INCONCLUSIVE = 8;
/** SQLite's limit on terms of one compound SELECT is 500. */
const LATEST_PER_QUERY = 400;

const toCms = (ms: number | undefined): number | null => (ms === undefined ? null : Math.round(ms * CMS_PER_MS));
const fromCms = (cms: number): number => cms / CMS_PER_MS;

export interface ResultsContext {
  readonly series: SeriesRegistry;
  readonly contents: ContentStore;
}

/** A result with its details as stored (canonical JSON, made once: it is the content's identity). */
export interface ResultToStore {
  readonly result: CheckResult;
  readonly details: string;
}

export const toStore = (result: CheckResult): ResultToStore => ({ result, details: canonicalJson(result.details) });

/** The texts a result refers to, for ContentStore.keysFor before the transaction. */
export function textsOf({ result, details }: ResultToStore): string[] {
  const texts = [details];
  if (result.peerAddress !== undefined) texts.push(result.peerAddress);
  if (result.error !== undefined) texts.push(result.error.message);
  return texts;
}

function toRow({ result, details }: ResultToStore, series: SeriesRef, keys: ReadonlyMap<string, number>): ObservationRow {
  const flags =
    (result.ok ? FLAG_OK : 0) |
    (result.degraded ? FLAG_DEGRADED : 0) |
    (result.maintenance ? FLAG_MAINTENANCE : 0) |
    (result.inconclusive ? FLAG_INCONCLUSIVE : 0);
  return {
    series_key: series.key,
    started_at: result.startedAt,
    start_delay_ms: result.startedAt - result.plannedAt,
    flags,
    dns_cms: toCms(result.phases.dns),
    connect_cms: toCms(result.phases.connect),
    tls_cms: toCms(result.phases.tls),
    ttfb_cms: toCms(result.phases.ttfb),
    total_cms: toCms(result.phases.total)!,
    peer_key: result.peerAddress !== undefined ? keys.get(result.peerAddress)! : null,
    error_kind: result.error !== undefined ? ERROR_KINDS.indexOf(result.error.kind) : null,
    message_key: result.error !== undefined ? keys.get(result.error.message)! : null,
    details_key: keys.get(details)!,
  };
}

function fromRow(row: ObservationRow, series: SeriesRef, bodies: ReadonlyMap<number, string>): CheckResult {
  const columns = [row.dns_cms, row.connect_cms, row.tls_cms, row.ttfb_cms];
  const phases = {} as Phases;
  PHASE_NAMES.forEach((name, i) => {
    const value = columns[i];
    if (value !== null && value !== undefined) phases[name] = fromCms(value);
  });
  phases.total = fromCms(row.total_cms);
  return {
    id: resultId(series.idSuffix, row.started_at),
    monitorId: series.monitorId,
    vantage: series.vantage,
    plannedAt: row.started_at - row.start_delay_ms,
    startedAt: row.started_at,
    ok: (row.flags & FLAG_OK) !== 0,
    degraded: (row.flags & FLAG_DEGRADED) !== 0,
    maintenance: (row.flags & FLAG_MAINTENANCE) !== 0,
    inconclusive: (row.flags & FLAG_INCONCLUSIVE) !== 0,
    latencyMs: phases.total,
    phases,
    ...(row.peer_key !== null ? { peerAddress: bodies.get(row.peer_key) ?? '' } : {}),
    ...(row.error_kind !== null
      ? { error: { kind: (ERROR_KINDS[row.error_kind] ?? 'internal') as ErrorKind, message: row.message_key !== null ? (bodies.get(row.message_key) ?? '') : '' } }
      : {}),
    details: JSON.parse(bodies.get(row.details_key) ?? '{}') as Details,
  };
}

async function hydrate(db: Kysely<Database>, context: ResultsContext, rows: readonly ObservationRow[]): Promise<CheckResult[]> {
  const keys = new Set<number>();
  for (const row of rows) {
    keys.add(row.details_key);
    if (row.peer_key !== null) keys.add(row.peer_key);
    if (row.message_key !== null) keys.add(row.message_key);
  }
  const bodies = await context.contents.bodiesOf(db, keys);
  return rows.flatMap((row) => {
    const series = context.series.byKeyOf(row.series_key);
    return series ? [fromRow(row, series, bodies)] : [];
  });
}

/** Rows already stored (same series and start) are skipped: agents resend what was not acknowledged. */
const insertObservations = new ReusedStatement<ObservationRow>(
  ['series_key', 'started_at', 'start_delay_ms', 'flags', 'dns_cms', 'connect_cms', 'tls_cms', 'ttfb_cms', 'total_cms', 'peer_key', 'error_kind', 'message_key', 'details_key'],
  (db, rows) =>
    db
      .insertInto('observations')
      .values(rows)
      .onConflict((oc) => oc.columns(['series_key', 'started_at']).doNothing())
      .returning(['series_key', 'started_at']),
);

/**
 * Inserts results, skipping any whose (series, startedAt) is already stored (agents resend), and returns
 * the results actually inserted: only those may be judged and counted. Their series and texts must have
 * been ensured before, in the same transaction.
 */
export async function insertNewResults(
  db: Kysely<Database>,
  context: ResultsContext,
  results: readonly ResultToStore[],
  keys: ReadonlyMap<string, number>,
): Promise<CheckResult[]> {
  const unique = new Map<string, { result: CheckResult; row: ObservationRow }>();
  for (const toStore of results) {
    const { result } = toStore;
    const series = context.series.get(result.monitorId, result.vantage);
    if (!series) throw new Error(`series ${result.monitorId}/${result.vantage} was not ensured before insert`);
    const identity = `${series.key}:${result.startedAt}`;
    if (!unique.has(identity)) unique.set(identity, { result, row: toRow(toStore, series, keys) });
  }
  const inserted = new Set<string>();
  const rows = await insertObservations.execute<{ series_key: number; started_at: number }>(db, [...unique.values()].map((c) => c.row));
  for (const row of rows) inserted.add(`${row.series_key}:${row.started_at}`);
  return [...unique].filter(([identity]) => inserted.has(identity)).map(([, c]) => c.result);
}

/**
 * Where an id points: a result id of schema 2 (its series may be unknown here), or a pre-2 ULID found in
 * legacy_result_ids. Undefined when the id is not a result id at all.
 */
async function locate(db: Kysely<Database>, context: ResultsContext, id: string): Promise<{ startedAt: number; seriesKey?: number } | undefined> {
  const parsed = parseResultId(id);
  if (!parsed) return undefined;
  const series = context.series.bySuffixOf(parsed.seriesSuffix);
  if (series) return { startedAt: parsed.startedAt, seriesKey: series.key };
  const legacy = await db.selectFrom('legacy_result_ids').selectAll().where('id', '=', id.toUpperCase()).executeTakeFirst();
  return legacy ? { startedAt: legacy.started_at, seriesKey: legacy.series_key } : { startedAt: parsed.startedAt };
}

/** Newest first (startedAt, then series); `vantage` narrows to one vantage's series. */
export async function listResults(db: Kysely<Database>, context: ResultsContext, monitorId: string, query: ResultQuery): Promise<CheckResult[]> {
  await context.series.load(db);
  const keys = context.series.ofMonitor(monitorId, query.vantage).map((s) => s.key);
  if (keys.length === 0) return [];
  let select = db.selectFrom('observations').selectAll().where('series_key', 'in', keys);
  if (query.from !== undefined) select = select.where('started_at', '>=', query.from);
  if (query.to !== undefined) select = select.where('started_at', '<', query.to);
  if (query.before !== undefined) {
    const cursor = await locate(db, context, query.before);
    if (!cursor) throw new BadRequestError(`"${query.before}" is not a result id`);
    const { startedAt, seriesKey } = cursor;
    // A cursor of an unknown series (its row long gone) pages by its time alone.
    select = select.where((eb) =>
      seriesKey === undefined
        ? eb('started_at', '<', startedAt)
        : eb.or([eb('started_at', '<', startedAt), eb.and([eb('started_at', '=', startedAt), eb('series_key', '<', seriesKey)])]),
    );
  }
  const rows = await select.orderBy('started_at', 'desc').orderBy('series_key', 'desc').limit(query.limit).execute();
  return hydrate(db, context, rows);
}

export async function getResult(db: Kysely<Database>, context: ResultsContext, id: string): Promise<CheckResult | undefined> {
  await context.series.load(db);
  const location = await locate(db, context, id);
  if (location?.seriesKey === undefined) return undefined;
  const row = await db
    .selectFrom('observations')
    .selectAll()
    .where('series_key', '=', location.seriesKey)
    .where('started_at', '=', location.startedAt)
    .executeTakeFirst();
  return row ? (await hydrate(db, context, [row]))[0] : undefined;
}

/** The newest result (by startedAt) of each monitor that has one, over all its vantages. */
export async function latestResults(db: Kysely<Database>, context: ResultsContext, monitorIds: readonly string[]): Promise<Map<string, CheckResult>> {
  await context.series.load(db);
  const keys = [...new Set(monitorIds)].flatMap((id) => context.series.ofMonitor(id).map((s) => s.key));
  const rows: ObservationRow[] = [];
  // One index probe per series (newest row of each), as one statement per chunk.
  for (let i = 0; i < keys.length; i += LATEST_PER_QUERY) {
    const chunk = keys.slice(i, i + LATEST_PER_QUERY);
    const newest = (key: number) =>
      db.selectFrom((eb) => eb.selectFrom('observations').selectAll().where('series_key', '=', key).orderBy('started_at', 'desc').limit(1).as('o')).selectAll();
    let query = newest(chunk[0]!);
    for (const key of chunk.slice(1)) query = query.unionAll(newest(key));
    rows.push(...(await query.execute()));
  }
  const latest = new Map<string, CheckResult>();
  for (const result of await hydrate(db, context, rows)) {
    const current = latest.get(result.monitorId);
    if (!current || result.startedAt > current.startedAt) latest.set(result.monitorId, result);
  }
  return latest;
}

/** Deletes results started before `before`, one clustered range per series (no index on time needed). */
export async function pruneResults(db: Kysely<Database>, context: ResultsContext, before: number): Promise<number> {
  await context.series.load(db);
  let deleted = 0;
  for (const series of context.series.all()) {
    const result = await db.deleteFrom('observations').where('series_key', '=', series.key).where('started_at', '<', before).executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  await db.deleteFrom('legacy_result_ids').where('started_at', '<', before).execute();
  return deleted;
}
