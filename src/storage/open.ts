import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { StorageError } from '../domain/errors.js';
import type { Store } from './store.js';
import { openSqliteStore } from './sqlite.js';

export interface OpenStoreOptions {
  /** Directory of the embedded SQLite database (created if missing). */
  readonly dataDir?: string;
  /** PostgreSQL connection URL; takes precedence over dataDir. */
  readonly databaseUrl?: string;
  /** Told when a PostgreSQL connection drops while idle (it is replaced on demand). */
  readonly onConnectionLost?: (error: Error) => void;
}

/** PostgreSQL when a database URL is given, else SQLite at `${dataDir}/candor.db`. Not migrated yet. */
export async function openStore(options: OpenStoreOptions): Promise<Store> {
  if (options.databaseUrl !== undefined) {
    // Loaded only for PostgreSQL: the driver is megabytes of memory a SQLite hub would carry for nothing.
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(options.databaseUrl, options.onConnectionLost ? { onPoolError: options.onConnectionLost } : {});
  }
  if (options.dataDir === undefined) {
    throw new StorageError('storage_unconfigured', 'no storage configured: give a data directory or a database URL');
  }
  try {
    mkdirSync(options.dataDir, { recursive: true });
  } catch (error) {
    throw new StorageError(
      'storage_unwritable',
      `cannot create the data directory ${options.dataDir}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return openSqliteStore(join(options.dataDir, 'candor.db'));
}
