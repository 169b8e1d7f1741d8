// The plumbing of commands that work on the hub's database (candor agents, candor tokens): open the
// same store `candor serve` uses (--data or --database-url), migrate it, run, close.
import { CandorError } from '../domain/errors.js';
import { openStore } from '../storage/open.js';
import type { Store } from '../storage/store.js';
import { EXIT } from './exit.js';

export interface StoreOptions {
  readonly config?: string;
  readonly data: string;
  readonly databaseUrl?: string;
}

export interface Streams {
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
}

/** Codes that mean the user asked for something that clashes (exit 2), not that the database failed (exit 1). */
const USAGE_CODES = new Set(['agent_exists', 'token_exists']);

export async function withStore(options: StoreOptions, io: Streams, command: string, work: (store: Store) => Promise<number>): Promise<number> {
  let store: Store | undefined;
  try {
    store = await openStore({ dataDir: options.data, ...(options.databaseUrl ? { databaseUrl: options.databaseUrl } : {}) });
    await store.migrate();
    return await work(store);
  } catch (error) {
    if (error instanceof CandorError) {
      io.err.write(`candor ${command}: ${error.message}\n`);
      return USAGE_CODES.has(error.code) ? EXIT.usage : EXIT.checkFailed;
    }
    throw error;
  } finally {
    await store?.close();
  }
}
