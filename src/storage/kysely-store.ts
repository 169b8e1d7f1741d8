import { Migrator, sql, type Kysely } from 'kysely';
import { CandorError, StorageError } from '../domain/errors.js';
import type { CheckResult } from '../domain/verdict.js';
import type { IngestBatch, PruneReport, Store, UnitOfWork } from './store.js';
import type { Database } from './schema.js';
import { migrationProvider } from './migrations/index.js';
import { getResult, insertNewResults, latestResults, listResults, pruneResults, textsOf, toStore, type ResultsContext } from './results.js';
import { RollupWrites } from './rollup-writes.js';
import { addResultsToRollups, listRollupCountsForMonitors, listRollupsForMonitors, RollupCache } from './rollups.js';
import type { Rollup } from '../domain/rollup-math.js';
import { listMonitorStates, listVantageStates, upsertMonitorStates, upsertVantageStates } from './states.js';
import { amendIncident, appendTimeline, getIncident, insertIncidents, listIncidents, rescopeIncidents, resolveIncidents } from './incidents.js';
import { addMaintenance, deleteApiMonitor, deleteMaintenance, listApiMonitors, listMaintenance, putApiMonitor } from './management.js';
import { SeriesRegistry } from './series.js';
import { ContentStore } from './contents.js';
import { beat, lastBeat, listHubGaps, recordGap } from './hub.js';
import { latestDeclaredStatuses, listDeclaredIncidents, listDeclaredSources, listDeclaredStatuses, pruneDeclared, recordDeclaredPoll } from './declared.js';
import { addApiToken, listApiTokens, revokeApiToken } from './api-tokens.js';
import { listAudit, pruneAudit, recordAudit } from './audit.js';
import { applyViolations, currentEntries, insertChanges, ledgerHead, ledgerHistory, listChanges, listViolations, writeLedger } from './provenance.js';
import { addNotifications, cancelReminders, dueNotifications, getNotification, listNotifications, nextDueAt, openGroup, pruneNotifications, replaceNotice, settleNotification } from './outbox.js';
import { alertingKey, getSubscriber, listSubscribers, removeSubscriber, upsertSubscriber } from './subscribers.js';
import { addAgent, agentSeen, getBatch, listAgents, listBatches, recordBatch, registerAgentKey, revokeAgent } from './agents.js';

/** What differs between dialects; everything else is the same Kysely code. */
export interface DialectSpecifics {
  /** Schema holding Kysely's migration tables (PostgreSQL); undefined on SQLite. */
  readonly migrationTableSchema?: string;
  /**
   * Runs the migrator all-or-nothing. PostgreSQL's migrator already wraps every pending migration in
   * one transaction; SQLite's does not, so it wraps them itself.
   */
  atomically<T>(db: Kysely<Database>, run: () => Promise<T>): Promise<T>;
  sizeBytes(db: Kysely<Database>): Promise<number>;
  /** Opens a write transaction: SQLite takes the write lock at once (BEGIN IMMEDIATE) so it never has to upgrade. */
  readonly beginStatement: string;
  /** Wraps a driver error in a StorageError with a stable code. */
  describe(error: unknown): StorageError;
}

function freshContext() {
  return { series: new SeriesRegistry(), contents: new ContentStore(), rollups: new RollupCache() };
}

/** The one Store implementation, over any Kysely dialect. */
export function createKyselyStore(db: Kysely<Database>, dialect: DialectSpecifics, clock: () => number = Date.now): Store {
  let context: ResultsContext & { readonly rollups: RollupCache } = freshContext();
  const rollupWrites = new RollupWrites();

  const unitOfWork = (trx: Kysely<Database>, rollupsWritten: { seriesKey: number; rollup: Rollup }[]): UnitOfWork => ({
    results: {
      async insert(results) {
        if (results.length === 0) return [];
        await context.series.ensure(trx, results);
        const toWrite = results.map(toStore);
        const keys = await context.contents.keysFor(trx, toWrite.flatMap(textsOf), clock());
        return insertNewResults(trx, context, toWrite, keys);
      },
    },
    rollups: {
      async add(results) {
        rollupsWritten.push(...(await addResultsToRollups(trx, context.series, results, context.rollups)));
      },
    },
    states: {
      upsertVantages: (states) => upsertVantageStates(trx, states),
      upsertMonitors: (states) => upsertMonitorStates(trx, states),
    },
    incidents: {
      open: (incidents) => insertIncidents(trx, incidents),
      append: (entries) => appendTimeline(trx, entries),
      resolve: (resolved) => resolveIncidents(trx, resolved),
      rescope: (rescoped) => rescopeIncidents(trx, rescoped),
      amend: (amendment) => amendIncident(trx, amendment),
      get: (id) => getIncident(trx, id),
    },
    management: {
      putMonitor: (record) => putApiMonitor(trx, record),
      deleteMonitor: (id) => deleteApiMonitor(trx, id),
      addMaintenance: (record) => addMaintenance(trx, record),
      deleteMaintenance: (id) => deleteMaintenance(trx, id),
    },
    hub: {
      lastBeat: () => lastBeat(trx),
      beat: (at) => beat(trx, at),
      recordGap: (gap) => recordGap(trx, gap),
    },
    batches: { record: (batch) => recordBatch(trx, batch) },
    declared: { record: (poll) => recordDeclaredPoll(trx, poll) },
    audit: { record: (entries) => recordAudit(trx, entries) },
    provenance: {
      head: (monitorId, vantage) => ledgerHead(trx, monitorId, vantage),
      write: (change) => writeLedger(trx, change),
      addChanges: (changes) => insertChanges(trx, changes),
      violations: (monitorIds) => listViolations(trx, monitorIds),
      applyViolations: (upserted, removed) => applyViolations(trx, upserted, removed),
    },
    outbox: {
      add: (entries) => addNotifications(trx, entries),
      openGroup: (channelId, groupKey, after) => openGroup(trx, channelId, groupKey, after),
      replaceNotice: (id, notice, at) => replaceNotice(trx, id, notice, at),
      cancelReminders: (monitorId, at) => cancelReminders(trx, monitorId, at),
      settle: (id, settlement) => settleNotification(trx, id, settlement),
    },
    subscribers: { list: () => listSubscribers(trx) },
  });

  const write = async <T>(what: string, query: () => Promise<T>): Promise<T> => {
    try {
      return await query();
    } catch (error) {
      if (error instanceof CandorError) throw error;
      throw wrap(dialect, error, what);
    }
  };

  const read = async <T>(what: string, query: () => Promise<T>): Promise<T> => {
    try {
      return await query();
    } catch (error) {
      // A malformed id or cursor is the caller's mistake, already typed: it passes through.
      if (error instanceof CandorError) throw error;
      throw wrap(dialect, error, `reading ${what}`);
    }
  };

  const store: Store = {
    async migrate() {
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        ...(dialect.migrationTableSchema !== undefined ? { migrationTableSchema: dialect.migrationTableSchema } : {}),
      });
      const { error, results } = await dialect.atomically(db, async () => {
        const outcome = await migrator.migrateToLatest();
        // Throwing rolls the SQLite transaction back; PostgreSQL's migrator has rolled back already.
        if (outcome.error !== undefined) throw Object.assign(new Error('migration failed'), { outcome });
        return outcome;
      }).catch((thrown: unknown) => {
        const outcome = (thrown as { outcome?: Awaited<ReturnType<Migrator['migrateToLatest']>> }).outcome;
        if (outcome) return outcome;
        throw thrown;
      });
      if (error !== undefined) {
        const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
        const cause = error instanceof Error ? error.message : String(error);
        throw new StorageError('storage_migration_failed', `database migration ${failed} failed, nothing was changed: ${cause}`, { cause: error });
      }
    },

    async transact(work) {
      const rollupsWritten: { seriesKey: number; rollup: Rollup }[] = [];
      try {
        return await db.connection().execute(async (connection) => {
          await sql.raw(dialect.beginStatement).execute(connection);
          try {
            const outcome = await work(unitOfWork(connection, rollupsWritten));
            await sql`commit`.execute(connection);
            context.rollups.remember(rollupsWritten);
            rollupWrites.written(rollupsWritten.map((entry) => entry.rollup));
            return outcome;
          } catch (error) {
            await rollback(connection, error);
            throw error;
          }
        });
      } catch (error) {
        // Keys made inside the failed transaction are gone with it: forget what was cached meanwhile.
        context = freshContext();
        // The work's own refusal (a conflict, a missing record), rolled back: the caller's to report as it is.
        if (error instanceof CandorError && !(error instanceof StorageError)) throw error;
        throw wrap(dialect, error, 'writing a batch');
      }
    },

    commit(batch: Partial<IngestBatch>): Promise<CheckResult[]> {
      return store.transact(async (tx) => {
        const inserted = await tx.results.insert(batch.results ?? []);
        await tx.rollups.add(inserted);
        await tx.states.upsertVantages(batch.vantageStates ?? []);
        await tx.states.upsertMonitors(batch.states ?? []);
        await tx.incidents.open(batch.incidentsOpened ?? []);
        await tx.incidents.append(batch.timelineAppended ?? []);
        await tx.incidents.resolve(batch.incidentsResolved ?? []);
        return inserted;
      });
    },

    listResults: (monitorId, query) => read('results', () => listResults(db, context, monitorId, query)),
    latestResults: (monitorIds) => read('results', () => latestResults(db, context, monitorIds)),
    getResult: (id) => read('a result', () => getResult(db, context, id)),
    listStates: () => read('states', () => listMonitorStates(db)),
    listVantageStates: () => read('states', () => listVantageStates(db)),
    listRollups: (monitorId, granularity, from, to, vantage) =>
      read('rollups', () => listRollupsForMonitors(db, context.series, [monitorId], granularity, from, to, vantage)),
    listRollupsForMonitors: (monitorIds, granularity, from, to) =>
      read('rollups', () => listRollupsForMonitors(db, context.series, monitorIds, granularity, from, to)),
    listRollupCountsForMonitors: (monitorIds, granularity, from, to) =>
      read('rollups', () => listRollupCountsForMonitors(db, context.series, monitorIds, granularity, from, to)),
    rollupWrites,
    listIncidents: (query) => read('incidents', () => listIncidents(db, query)),
    getIncident: (id) => read('an incident', () => getIncident(db, id)),
    listHubGaps: (from, to) => read('the hub gaps', () => listHubGaps(db, from, to)),
    listApiMonitors: () => read('monitors made through the API', () => listApiMonitors(db)),
    listMaintenance: () => read('maintenance windows', () => listMaintenance(db)),
    agents: {
      add: (agent) => write('adding an agent', () => addAgent(db, agent)),
      list: () => read('agents', () => listAgents(db)),
      revoke: (name, at) => write('revoking an agent', () => revokeAgent(db, name, at)),
      registerKey: (name, publicKey) => write("registering an agent's key", () => registerAgentKey(db, name, publicKey)),
      seen: (name, at, address, claimedRegion) => write('recording an agent contact', () => agentSeen(db, name, at, address, claimedRegion)),
    },
    declared: {
      sources: () => read('declared sources', () => listDeclaredSources(db)),
      latest: () => read('declared statuses', () => latestDeclaredStatuses(db)),
      statuses: (sourceIds, from, to) => read('declared statuses', () => listDeclaredStatuses(db, sourceIds, from, to)),
      incidents: (sourceIds, from, to) => read('declared incidents', () => listDeclaredIncidents(db, sourceIds, from, to)),
    },
    tokens: {
      add: (token) => write('adding an API token', () => addApiToken(db, token)),
      list: () => read('API tokens', () => listApiTokens(db)),
      revoke: (name, at) => write('revoking an API token', () => revokeApiToken(db, name, at)),
    },
    listAudit: (query) => read('the audit log', () => listAudit(db, query)),
    provenance: {
      current: (monitorId) => read('the provenance ledger', () => currentEntries(db, monitorId)),
      history: (monitorId, from, to, limit) => read('the provenance ledger', () => ledgerHistory(db, monitorId, from, to, limit)),
      changes: (query) => read('provenance changes', () => listChanges(db, query)),
      violations: () => read('policy violations', () => listViolations(db)),
    },
    listBatches: (agent, query) => read('batches', () => listBatches(db, agent, query)),
    getBatch: (digest) => read('a batch', () => getBatch(db, digest)),
    outbox: {
      due: (channelId, now, limit) => read('due notifications', () => dueNotifications(db, channelId, now, limit)),
      nextDueAt: (channelId) => read('the next due notification', () => nextDueAt(db, channelId)),
      list: (query) => read('notifications', () => listNotifications(db, query)),
      get: (id) => read('a notification', () => getNotification(db, id)),
      prune: (before) => write('pruning notifications', () => pruneNotifications(db, before)),
    },
    subscribers: {
      upsert: (subscriber) => write('adding a subscriber', () => upsertSubscriber(db, subscriber)),
      remove: (id) => write('removing a subscriber', () => removeSubscriber(db, id)),
      get: (id) => read('a subscriber', () => getSubscriber(db, id)),
      key: (name) => write('reading a key', () => alertingKey(db, name)),
    },

    async prune(rawBefore: number, rollupsBefore: number): Promise<PruneReport> {
      try {
        const resultsDeleted = await pruneResults(db, context, rawBefore);
        const rollups = await db.deleteFrom('rollups').where('bucket_start', '<', rollupsBefore).executeTakeFirst();
        if (Number(rollups.numDeletedRows) > 0) rollupWrites.everything();
        const contentsDeleted = await context.contents.prune(db, rawBefore);
        // The declared ledger is kept as long as the rollups it is compared with.
        await pruneDeclared(db, rollupsBefore);
        await pruneAudit(db, rollupsBefore);
        return { resultsDeleted, rollupsDeleted: Number(rollups.numDeletedRows), contentsDeleted };
      } catch (error) {
        throw wrap(dialect, error, 'pruning');
      }
    },

    sizeBytes: () => read('the database size', () => dialect.sizeBytes(db)),

    async close() {
      await db.destroy();
    },
  };
  return store;
}

/**
 * Rolls back after `cause`. SQLite has already ended the transaction itself after some errors (a full
 * disk, an I/O error): then there is nothing to roll back, and `cause` is what to report.
 */
async function rollback(connection: Kysely<Database>, cause: unknown): Promise<void> {
  try {
    await sql`rollback`.execute(connection);
  } catch (error) {
    if (error instanceof Error && /no transaction is active/.test(error.message)) return;
    throw new AggregateError([cause, error], 'the transaction failed, and so did its rollback');
  }
}

function wrap(dialect: DialectSpecifics, error: unknown, doing: string): StorageError {
  if (error instanceof StorageError) return error;
  const wrapped = dialect.describe(error);
  return new StorageError(wrapped.code, `${doing}: ${wrapped.message}`, { cause: error });
}
