// Reads what a scenario leaves in SQLite: lateness (start_delay_ms of each observation), failures, and
// how many bytes a stored result costs on disk: the file's growth between two points in steady state,
// and where the pages go (dbstat).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { ERROR_KINDS } from '../src/domain/observation.js';
import { distribution, type Distribution } from './percentiles.js';

export interface MeasureWindow {
  /** Checks started at or after this are measured (warm-up left out). */
  readonly fromMs: number;
  /** When measuring stopped. */
  readonly untilMs: number;
}

/** The database as one reader sees it at one moment: what a checkpoint would leave in the file. */
export interface SizeSnapshot {
  readonly atMs: number;
  readonly pageSize: number;
  /** Pages of the database including what the WAL adds: db + wal after a checkpoint. */
  readonly pages: number;
  readonly freePages: number;
  readonly observations: number;
  readonly contents: number;
  readonly rollups: number;
  readonly series: number;
  /** Bytes of pages per table (its indexes included), from dbstat. */
  readonly tableBytes: Readonly<Record<string, number>>;
}

export interface TableBytes {
  /** Table plus its indexes. */
  readonly name: string;
  readonly rows: number;
  readonly bytes: number;
  readonly payloadBytes: number;
}

/** How full the observations b-tree's pages are (it holds the rows themselves: WITHOUT ROWID). */
export interface TreeFill {
  readonly leafPages: number;
  readonly interiorPages: number;
  readonly overflowPages: number;
  readonly rows: number;
  /** Record bytes (header and values) per row. */
  readonly payloadPerRow: number;
  /** Leaf bytes in use (cells, cell pointers, page headers) / leaf bytes. */
  readonly leafFill: number;
  /** All pages of the tree / rows. */
  readonly bytesPerRow: number;
}

export interface Growth {
  readonly from: SizeSnapshot;
  readonly to: SizeSnapshot;
  readonly results: number;
  /** Growth of the pages in use (file pages less free pages: a fresh file still reuses a few freed ones). */
  readonly bytes: number;
  readonly bytesPerResult: number;
  /** Growth per table (indexes included) / results. */
  readonly bytesPerResultByTable: Readonly<Record<string, number>>;
}

export interface DatabaseFindings {
  readonly resultsTotal: number;
  /** Results started inside the window: the checks the CPU figure paid for. */
  readonly resultsInWindow: number;
  readonly failed: number;
  readonly failuresByKind: Readonly<Record<string, number>>;
  /** start - planned of checks started inside the window, ms. */
  readonly latenessMs: Distribution;
  /** Same over every stored result (startup included). */
  readonly latenessAllMs: Distribution;
  /** Total time of checks started inside the window, ms. */
  readonly latencyMs: Distribution;
  /** Files at the end, after a TRUNCATE checkpoint. */
  readonly fileBytes: { readonly db: number; readonly wal: number; readonly shm: number };
  /** Whole file / every result stored: fixed costs (schema, series, first rollups) included. */
  readonly fileBytesPerResultWholeRun: number;
  readonly tables: readonly TableBytes[];
  readonly observationsTree: TreeFill;
  /** Average bytes each observations column takes in a record (values only, not the header). */
  readonly observationColumnBytes: Readonly<Record<string, number>>;
  /** Rollup rows' bytes (table + index pages / rows). */
  readonly rollupBytesPerRow: number;
}

const OBSERVATION_COLUMNS = [
  'series_key', 'started_at', 'start_delay_ms', 'flags', 'dns_cms', 'connect_cms', 'tls_cms', 'ttfb_cms',
  'total_cms', 'peer_key', 'error_kind', 'message_key', 'details_key',
] as const;

export function databaseFile(dataDir: string): string {
  return join(dataDir, 'candor.db');
}

function fileSize(path: string): number {
  return existsSync(path) ? statSync(path).size : 0;
}

/**
 * Reads sizes and row counts in one read transaction from a second connection, while Candor runs:
 * page_count seen through the WAL is what the file holds after a checkpoint.
 */
export function sizeSnapshot(file: string): SizeSnapshot {
  const db = new Sqlite(file, { fileMustExist: true });
  try {
    const read = db.transaction(() => {
      const one = (sql: string): number => (db.prepare(sql).pluck().get() as number) ?? 0;
      return {
        atMs: Date.now(),
        pageSize: one('pragma page_size'),
        pages: one('pragma page_count'),
        freePages: one('pragma freelist_count'),
        observations: one('select count(*) from observations'),
        contents: one('select count(*) from contents'),
        rollups: one('select count(*) from rollups'),
        series: one('select count(*) from series'),
        tableBytes: Object.fromEntries(
          (db.prepare(`select coalesce(m.tbl_name, s.name) as owner, sum(s.pgsize) as bytes from dbstat s left join sqlite_master m on m.name = s.name group by owner`).all() as { owner: string; bytes: number }[]).map(
            ({ owner, bytes }) => [owner, bytes],
          ),
        ),
      };
    });
    return read();
  } finally {
    db.close();
  }
}

export function growthBetween(from: SizeSnapshot, to: SizeSnapshot): Growth {
  const results = to.observations - from.observations;
  const bytes = (to.pages - to.freePages - (from.pages - from.freePages)) * to.pageSize;
  const perResult = (value: number): number => (results <= 0 ? NaN : value / results);
  const tables = new Set([...Object.keys(from.tableBytes), ...Object.keys(to.tableBytes)]);
  const byTable = Object.fromEntries(
    [...tables].map((name) => [name, perResult((to.tableBytes[name] ?? 0) - (from.tableBytes[name] ?? 0))] as const).filter(([, value]) => value !== 0),
  );
  return { from, to, results, bytes, bytesPerResult: perResult(bytes), bytesPerResultByTable: byTable };
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
    const rows = isTable ? (db.prepare(`select count(*) from "${owner.replaceAll('"', '""')}"`).pluck().get() as number) : 0;
    return { name: owner, rows, bytes, payloadBytes: payload };
  });
}

function observationsTree(db: Sqlite.Database): TreeFill {
  const pages = db
    .prepare(`select pagetype, count(*) as n, sum(pgsize) as bytes, sum(payload) as payload, sum(unused) as unused, sum(ncell) as cells from dbstat where name = 'observations' group by pagetype`)
    .all() as { pagetype: string; n: number; bytes: number; payload: number; unused: number; cells: number }[];
  const of = (type: string) => pages.find((p) => p.pagetype === type) ?? { n: 0, bytes: 0, payload: 0, unused: 0, cells: 0 };
  const leaf = of('leaf');
  const rows = db.prepare('select count(*) from observations').pluck().get() as number;
  const all = pages.reduce((sum, p) => sum + p.bytes, 0);
  return {
    leafPages: leaf.n,
    interiorPages: of('internal').n,
    overflowPages: of('overflow').n,
    rows,
    payloadPerRow: rows === 0 ? NaN : leaf.payload / rows,
    leafFill: leaf.bytes === 0 ? NaN : (leaf.bytes - leaf.unused) / leaf.bytes,
    bytesPerRow: rows === 0 ? NaN : all / rows,
  };
}

/** Bytes SQLite's record format spends on one value (serial type body; the header byte not counted). */
function storedBytes(value: unknown): number {
  if (value === null || value === undefined) return 0;
  if (typeof value === 'string') return Buffer.byteLength(value);
  if (Buffer.isBuffer(value)) return value.length;
  if (typeof value === 'number' && !Number.isInteger(value)) return 8;
  if (typeof value === 'number' || typeof value === 'bigint') {
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

function columnBytes(db: Sqlite.Database): Record<string, number> {
  const totals = new Map<string, number>(OBSERVATION_COLUMNS.map((column) => [column, 0]));
  let rows = 0;
  for (const row of db.prepare(`select ${OBSERVATION_COLUMNS.join(', ')} from observations`).iterate() as Iterable<Record<string, unknown>>) {
    rows += 1;
    for (const column of OBSERVATION_COLUMNS) totals.set(column, totals.get(column)! + storedBytes(row[column]));
  }
  return Object.fromEntries(OBSERVATION_COLUMNS.map((column) => [column, rows === 0 ? 0 : Math.round((totals.get(column)! / rows) * 10) / 10]));
}

/** After the app closed: checkpoints, then reads lateness, failures and page use. */
export function readFindings(dataDir: string, window: MeasureWindow): DatabaseFindings {
  const file = databaseFile(dataDir);
  const db = new Sqlite(file);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const resultsTotal = db.prepare('select count(*) from observations').pluck().get() as number;
    const rows = db
      .prepare('select start_delay_ms, started_at >= ? and started_at < ? as measured, total_cms from observations')
      .raw()
      .all(window.fromMs, window.untilMs) as [number, number, number][];
    const measured = rows.filter(([, inWindow]) => inWindow === 1);
    const failures = db.prepare('select error_kind as kind, count(*) as n from observations where flags & 1 = 0 group by error_kind').all() as { kind: number | null; n: number }[];
    const fileBytes = { db: fileSize(file), wal: fileSize(`${file}-wal`), shm: fileSize(`${file}-shm`) };
    const tables = tableBytes(db);
    const rollups = tables.find((t) => t.name === 'rollups');
    return {
      resultsTotal,
      resultsInWindow: measured.length,
      failed: failures.reduce((sum, { n }) => sum + n, 0),
      failuresByKind: Object.fromEntries(failures.map(({ kind, n }) => [kind === null ? 'unknown' : (ERROR_KINDS[kind] ?? String(kind)), n])),
      latenessMs: distribution(measured.map(([late]) => late)),
      latenessAllMs: distribution(rows.map(([late]) => late)),
      latencyMs: distribution(measured.map(([, , cms]) => cms / 100)),
      fileBytes,
      fileBytesPerResultWholeRun: resultsTotal === 0 ? NaN : (fileBytes.db + fileBytes.wal) / resultsTotal,
      tables,
      observationsTree: observationsTree(db),
      observationColumnBytes: columnBytes(db),
      rollupBytesPerRow: rollups && rollups.rows > 0 ? rollups.bytes / rollups.rows : NaN,
    };
  } finally {
    db.close();
  }
}
