// Reads what a finished scenario left in SQLite: exact lateness from planned_at/started_at, failures,
// and how many bytes the results cost on disk (file level and page level).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { distribution, type Distribution } from './percentiles.js';

export interface MeasureWindow {
  /** Checks planned at or after this are measured (warm-up left out). */
  readonly fromMs: number;
  /** Checks planned before this are counted for the rate (the last second left to settle). */
  readonly countUntilMs: number;
  /** When the scenario stopped planning. */
  readonly stoppedAtMs: number;
}

export interface TableBytes {
  /** Table plus its indexes. */
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
  readonly payloadBytes: number;
}

export interface DatabaseFindings {
  readonly resultsTotal: number;
  /** Results planned inside [fromMs, countUntilMs). */
  readonly resultsInWindow: number;
  /** Results started inside [fromMs, stoppedAtMs): the checks the CPU figure paid for. */
  readonly startedInCpuWindow: number;
  readonly failed: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** Lateness (started_at - planned_at) of checks planned in [fromMs, countUntilMs), milliseconds; the final /metrics scrape comes later. */
  readonly latenessMs: Distribution;
  /** Same, over every stored result (startup and the final scrape included). */
  readonly latenessAllMs: Distribution;
  readonly latencyMs: Distribution;
  readonly fileBytes: { readonly db: number; readonly wal: number; readonly shm: number };
  /** (candor.db + -wal) / results, after a checkpoint. */
  readonly fileBytesPerResult: number;
  /** Pages of the results table and its indexes / results: the marginal cost of one more result. */
  readonly resultPagesBytesPerResult: number;
  readonly tables: readonly TableBytes[];
  /** Average bytes each results column takes in a record. */
  readonly resultColumnBytes: Readonly<Record<string, number>>;
  /** Bytes of pages per B-tree of results: the table and each of its indexes. */
  readonly resultTreeBytes: Readonly<Record<string, number>>;
}

const RESULT_COLUMNS = [
  'id',
  'monitor_id',
  'vantage',
  'planned_at',
  'started_at',
  'ok',
  'degraded',
  'maintenance',
  'latency_ms',
  'phases',
  'peer_address',
  'error_kind',
  'error_message',
  'details',
] as const;

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

function tableBytes(db: Sqlite.Database): TableBytes[] {
  const pages = db
    .prepare(
      `select coalesce(m.tbl_name, s.name) as owner, sum(s.pgsize) as bytes, sum(s.payload) as payload
         from dbstat s left join sqlite_master m on m.name = s.name
        group by owner order by bytes desc`,
    )
    .all() as { owner: string; bytes: number; payload: number }[];
  return pages.map(({ owner, bytes, payload }) => {
    const isTable = db.prepare(`select 1 from sqlite_master where type = 'table' and name = ?`).get(owner) !== undefined;
    const rows = isTable ? (db.prepare(`select count(*) as n from "${owner.replaceAll('"', '""')}"`).get() as { n: number }).n : 0;
    return { name: owner, rows, bytes, payloadBytes: payload };
  });
}

/** Bytes SQLite's record format spends on one value (serial type body, header byte not counted). */
function storedBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  if (typeof value === 'number' || typeof value === 'bigint') {
    if (typeof value === 'number' && !Number.isInteger(value)) return 8;
    const n = BigInt(value);
    const magnitude = n < 0n ? -n - 1n : n;
    if (n === 0n || n === 1n) return 0;
    if (magnitude < 1n << 7n) return 1;
    if (magnitude < 1n << 15n) return 2;
    if (magnitude < 1n << 23n) return 3;
    if (magnitude < 1n << 31n) return 4;
    if (magnitude < 1n << 47n) return 6;
    return 8;
  }
  return 0;
}

/** Average bytes each results column takes in the table's records. */
function columnBytes(db: Sqlite.Database): Record<string, number> {
  const totals = new Map<string, number>(RESULT_COLUMNS.map((column) => [column, 0]));
  let rows = 0;
  for (const row of db.prepare(`select ${RESULT_COLUMNS.join(', ')} from results`).iterate() as Iterable<Record<string, unknown>>) {
    rows += 1;
    for (const column of RESULT_COLUMNS) totals.set(column, totals.get(column)! + storedBytes(row[column]));
  }
  return Object.fromEntries(RESULT_COLUMNS.map((column) => [column, rows === 0 ? 0 : Math.round((totals.get(column)! / rows) * 10) / 10]));
}

/** Pages of each B-tree (the table and each index) that belongs to results. */
function resultTrees(db: Sqlite.Database): Record<string, number> {
  const trees = db
    .prepare(
      `select s.name as name, sum(s.pgsize) as bytes from dbstat s join sqlite_master m on m.name = s.name
        where m.tbl_name = 'results' group by s.name order by bytes desc`,
    )
    .all() as { name: string; bytes: number }[];
  return Object.fromEntries(trees.map(({ name, bytes }) => [name, bytes]));
}

export function readFindings(dataDir: string, window: MeasureWindow): DatabaseFindings {
  const file = join(dataDir, 'candor.db');
  const db = new Sqlite(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const count = (sql: string, ...params: number[]): number => (db.prepare(sql).get(...params) as { n: number }).n;
    const resultsTotal = count('select count(*) as n from results');
    const resultsInWindow = count('select count(*) as n from results where planned_at >= ? and planned_at < ?', window.fromMs, window.countUntilMs);
    const startedInCpuWindow = count('select count(*) as n from results where started_at >= ? and started_at < ?', window.fromMs, window.stoppedAtMs);
    const failures = db.prepare(`select error_kind as kind, count(*) as n from results where ok = 0 group by error_kind`).all() as { kind: string | null; n: number }[];
    const lateness = db
      .prepare('select started_at - planned_at as late, planned_at >= ? and planned_at < ? as measured, latency_ms as latency from results')
      .raw()
      .all(window.fromMs, window.countUntilMs) as [number, number, number][];
    const fileBytes = { db: fileSize(file), wal: fileSize(`${file}-wal`), shm: fileSize(`${file}-shm`) };
    const tables = tableBytes(db);
    const resultPages = tables.find((table) => table.name === 'results')?.bytes ?? 0;
    return {
      resultsTotal,
      resultsInWindow,
      startedInCpuWindow,
      failed: failures.reduce((sum, { n }) => sum + n, 0),
      failuresByKind: Object.fromEntries(failures.map(({ kind, n }) => [kind ?? 'unknown', n])),
      latenessMs: distribution(lateness.filter(([, measured]) => measured === 1).map(([late]) => late)),
      latenessAllMs: distribution(lateness.map(([late]) => late)),
      latencyMs: distribution(lateness.map(([, , latency]) => latency)),
      fileBytes,
      fileBytesPerResult: resultsTotal === 0 ? NaN : (fileBytes.db + fileBytes.wal) / resultsTotal,
      resultPagesBytesPerResult: resultsTotal === 0 ? NaN : resultPages / resultsTotal,
      tables,
      resultColumnBytes: columnBytes(db),
      resultTreeBytes: resultTrees(db),
    };
  } finally {
    db.close();
  }
}
