import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import { StorageError } from '../domain/errors.js';
import type { Store } from './store.js';
import type { Database } from './schema.js';
import { createKyselyStore } from './kysely-store.js';

const BUSY_TIMEOUT_MS = 5_000;
const PAGE_CACHE_KIB = 4_000;

function unwritable(path: string, reason: string): StorageError {
  return new StorageError('storage_unwritable', `cannot write the database at ${path}: ${reason}`);
}

/** WAL needs to create -wal and -shm files next to the database, so the directory must be writable too. */
function assertWritable(file: string): void {
  const directory = dirname(file);
  if (!existsSync(directory) || !statSync(directory).isDirectory()) {
    throw unwritable(file, `directory ${directory} does not exist`);
  }
  try {
    accessSync(directory, constants.W_OK);
  } catch {
    throw unwritable(file, `directory ${directory} is not writable`);
  }
  if (existsSync(file)) {
    try {
      accessSync(file, constants.R_OK | constants.W_OK);
    } catch {
      throw unwritable(file, 'the file is not readable and writable');
    }
  }
}

/** SQLite result codes that mean the database cannot be written now (full, locked, unreadable), not a bug. */
const UNAVAILABLE = /^SQLITE_(FULL|BUSY|LOCKED|IOERR|READONLY|CANTOPEN|CORRUPT|NOTADB|PROTOCOL)/;

function describeSqliteError(error: unknown): StorageError {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const candorCode = typeof code === 'string' && UNAVAILABLE.test(code) ? 'storage_unavailable' : 'storage_failed';
  return new StorageError(candorCode, typeof code === 'string' ? `${message} (${code})` : message, { cause: error });
}

/** Prepared statements kept per connection; the least recently used go first. */
const STATEMENT_CACHE_LIMIT = 200;

/**
 * The connection as Kysely sees it, with each statement text prepared once: the write path runs the
 * same few texts every second (see reused-statements.ts), and preparing one costs about as much as
 * running it. A statement is reused only between runs: Kysely never streams, so none is left busy.
 */
function withStatementCache(database: Sqlite.Database): SqliteDatabase {
  const statements = new Map<string, Sqlite.Statement>();
  return {
    close: () => database.close(),
    prepare(text: string) {
      let statement = statements.get(text);
      if (statement) statements.delete(text);
      else {
        statement = database.prepare(text);
        if (statements.size >= STATEMENT_CACHE_LIMIT) statements.delete(statements.keys().next().value!);
      }
      statements.set(text, statement);
      return statement;
    },
  };
}

/** Opens (creating if needed) the SQLite database file. Call migrate() before use. */
export async function openSqliteStore(file: string): Promise<Store> {
  const path = resolve(file);
  assertWritable(path);
  let database: Sqlite.Database;
  try {
    database = new Sqlite(path);
    database.pragma('journal_mode = WAL');
  } catch (error) {
    throw unwritable(path, error instanceof Error ? error.message : String(error));
  }
  database.pragma('synchronous = NORMAL');
  database.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
  // 4 MB of page cache instead of better-sqlite3's 16: writes touch one leaf page per series anyway
  // (more than either holds at 10,000 monitors, and the kernel caches the file), and the interior pages
  // and the status page's rollups fit; the other 12 MB were a twentieth of a big hub's memory.
  database.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
  // Same integrity on both dialects: PostgreSQL always enforces foreign keys.
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) });
  return createKyselyStore(db, {
    async atomically(kysely, run) {
      // One connection: statements the migrator runs between these two join this transaction.
      await sql`begin immediate`.execute(kysely);
      try {
        const outcome = await run();
        await sql`commit`.execute(kysely);
        return outcome;
      } catch (error) {
        await sql`rollback`.execute(kysely);
        throw error;
      }
    },
    beginStatement: 'begin immediate',
    describe: describeSqliteError,
    async sizeBytes(kysely) {
      const { rows } = await sql<{ size: number }>`select page_count * page_size as size from pragma_page_count(), pragma_page_size()`.execute(kysely);
      return Number(rows[0]?.size ?? 0);
    },
  });
}
