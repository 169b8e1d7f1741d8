import pg from 'pg';
import { Kysely, PostgresDialect, sql } from 'kysely';
import { BadRequestError, StorageError } from '../domain/errors.js';
import type { Store } from './store.js';
import type { Database } from './schema.js';
import { createKyselyStore } from './kysely-store.js';

export interface PostgresStoreOptions {
  /** Schema for all tables (created if missing), e.g. a fresh one per test run. Default: the connection's current schema. */
  readonly schema?: string;
  /** Told about connections the pool lost while idle (they are replaced on demand). */
  readonly onPoolError?: (error: Error) => void;
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/**
 * int8 (bigint) comes back from pg as a string by default. Candor keeps epoch ms and counts in
 * bigint columns, all far below 2^53, so this pool parses them to numbers. Scoped to this pool:
 * the global pg.types registry is left alone.
 */
const INT8_OID = 20;
const typesParsingInt8AsNumber = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID && format !== 'binary'
      ? (value: string) => Number(value)
      : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * SQLSTATE classes and socket codes that mean the database is out of reach or cannot take writes now
 * (connection lost, server shutting down, disk full, too many connections), not a bug in a query.
 */
const UNAVAILABLE_SQLSTATE = /^(08|53|57P|58)/;
const UNAVAILABLE_SOCKET = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);

function describePostgresError(error: unknown): StorageError {
  const code = (error as { code?: unknown })?.code;
  const message = error instanceof Error ? error.message : String(error);
  const lost = /connection (terminated|ended)|not queryable|Client has encountered a connection error|not currently accepting connections|timeout exceeded when trying to connect/i.test(message);
  const unavailable = lost || (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SOCKET.has(code)));
  return new StorageError(unavailable ? 'storage_unavailable' : 'storage_failed', typeof code === 'string' ? `${message} (${code})` : message, { cause: error });
}

/** Connects to PostgreSQL at `url`. Call migrate() before use. */
export async function openPostgresStore(url: string, options: PostgresStoreOptions = {}): Promise<Store> {
  const { schema, onPoolError } = options;
  if (schema !== undefined && !SCHEMA_NAME.test(schema)) {
    throw new BadRequestError(`invalid PostgreSQL schema name "${schema}": use lower-case letters, digits and _`);
  }
  const pool = new pg.Pool({
    connectionString: url,
    types: typesParsingInt8AsNumber,
    // Every connection of the pool works in the chosen schema, so no query needs to name it.
    ...(schema !== undefined ? { options: `-c search_path=${schema}` } : {}),
  });
  // A connection that drops while idle (server restart, failover, idle timeout) emits 'error' on the
  // pool; without a listener that ends the process. The pool replaces it on the next query.
  pool.on('error', (error) => {
    onPoolError?.(error);
  });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    if (schema !== undefined) await db.schema.createSchema(schema).ifNotExists().execute();
    // Kysely's migrator looks for its tables in every schema unless told which one; name it.
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
    const migrationTableSchema = rows[0]?.schema ?? 'public';
    return createKyselyStore(db, {
      migrationTableSchema,
      atomically: (_kysely, run) => run(),
      beginStatement: 'begin',
      describe: describePostgresError,
      async sizeBytes(kysely) {
        const result = await sql<{ size: number }>`select pg_database_size(current_database()) as size`.execute(kysely);
        return Number(result.rows[0]?.size ?? 0);
      },
    });
  } catch (error) {
    await db.destroy();
    const described = describePostgresError(error);
    throw new StorageError('storage_unavailable', `cannot open the PostgreSQL database: ${described.message}`, { cause: error });
  }
}
