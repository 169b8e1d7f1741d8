import { Migrator, type Kysely } from 'kysely';
import { CandorError } from '../domain/errors.js';
import type { IngestBatch, PruneReport, Store } from './store.js';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { getResult, insertNewResults, latestResults, listResults } from './results.js';
import { addResultsToRollups, listRollups, listRollupsForMonitors } from './rollups.js';
import { listStates, upsertStates } from './states.js';
import { appendTimeline, getIncident, insertIncidents, listIncidents, resolveIncidents } from './incidents.js';

/** What differs between dialects; everything else is the same Kysely code. */
export interface DialectSpecifics {
  /** Schema holding Kysely's migration tables (PostgreSQL); undefined on SQLite. */
  readonly migrationTableSchema?: string;
  sizeBytes(db: Kysely<Database>): Promise<number>;
}

/** The one Store implementation, over any Kysely dialect. */
export function createKyselyStore(db: Kysely<Database>, dialect: DialectSpecifics): Store {
  return {
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        ...(dialect.migrationTableSchema !== undefined ? { migrationTableSchema: dialect.migrationTableSchema } : {}),
      });
      const { error, results } = await migrator.migrateToLatest();
      if (error !== undefined) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
        throw new CandorError('storage_migration_failed', `database migration ${failed} failed: ${String(error)}`, 500);
      }
    },

    async commit(batch: IngestBatch) {
      await db.transaction().execute(async (trx) => {
        const inserted = await insertNewResults(trx, batch.results);
        await addResultsToRollups(trx, inserted);
        await upsertStates(trx, batch.states);
        await insertIncidents(trx, batch.incidentsOpened);
        await appendTimeline(trx, batch.timelineAppended);
        await resolveIncidents(trx, batch.incidentsResolved);
      });
    },

    listResults: (monitorId, query) => listResults(db, monitorId, query),
    latestResults: (monitorIds) => latestResults(db, monitorIds),
    getResult: (id) => getResult(db, id),
    listStates: () => listStates(db),
    listRollups: (monitorId, granularity, from, to) => listRollups(db, monitorId, granularity, from, to),
    listRollupsForMonitors: (monitorIds, granularity, from, to) => listRollupsForMonitors(db, monitorIds, granularity, from, to),
    listIncidents: (query) => listIncidents(db, query),
    getIncident: (id) => getIncident(db, id),

    async prune(rawBefore: number, rollupsBefore: number): Promise<PruneReport> {
      const results = await db.deleteFrom('results').where('started_at', '<', rawBefore).executeTakeFirst();
      const rollups = await db.deleteFrom('rollups').where('bucket_start', '<', rollupsBefore).executeTakeFirst();
      return { resultsDeleted: Number(results.numDeletedRows), rollupsDeleted: Number(rollups.numDeletedRows) };
    },

    sizeBytes: () => dialect.sizeBytes(db),

    async close() {
      await db.destroy();
    },
  };
}
