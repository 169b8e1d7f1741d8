// The provenance ledger, its change events and the policy violations open now.
import type { Kysely, Selectable } from 'kysely';
import { canonicalJson } from '../domain/canonical-json.js';
import type { PolicyBreach } from '../domain/policies.js';
import type { PolicyViolation } from '../domain/policy-incidents.js';
import type { ChangeKind, ProvenanceChange } from '../provenance/changes.js';
import type { LedgerEntry, LedgerWrite } from '../provenance/ledger-step.js';
import { chunkForParameters } from './batching.js';
import type { Database, PolicyViolationsTable, ProvenanceChangesTable, ProvenanceLedgerTable } from './schema.js';

export interface ChangeQuery {
  /** Inclusive, epoch ms. */
  readonly since?: number;
  readonly monitorId?: string;
  /** Page cursor: only changes older than this change id (by at, then id). */
  readonly before?: { readonly at: number; readonly id: string };
  readonly limit: number;
}

function rowToEntry(row: Selectable<ProvenanceLedgerTable>): LedgerEntry {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    vantage: row.vantage,
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
    observations: row.observations,
    snapshot: JSON.parse(row.snapshot),
    view: JSON.parse(row.view),
  };
}

function rowToChange(row: Selectable<ProvenanceChangesTable>): ProvenanceChange {
  return {
    id: row.id,
    monitorId: row.monitor_id,
    vantage: row.vantage,
    at: row.at,
    kind: row.kind as ChangeKind,
    previous: JSON.parse(row.previous),
    current: JSON.parse(row.current),
  };
}

function rowToViolation(row: Selectable<PolicyViolationsTable>): PolicyViolation {
  return {
    policyId: row.policy_id,
    monitorId: row.monitor_id,
    vantage: row.vantage,
    since: row.since,
    incidentId: row.incident_id,
    breaches: JSON.parse(row.breaches) as PolicyBreach[],
    ledgerEntryId: row.ledger_entry_id,
  };
}

/** The newest entry of one (monitor, vantage). */
export async function ledgerHead(db: Kysely<Database>, monitorId: string, vantage: string): Promise<LedgerEntry | undefined> {
  const row = await db
    .selectFrom('provenance_ledger')
    .selectAll()
    .where('monitor_id', '=', monitorId)
    .where('vantage', '=', vantage)
    .orderBy('first_seen', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && rowToEntry(row);
}

export async function writeLedger(db: Kysely<Database>, write: LedgerWrite): Promise<void> {
  if (write.kind === 'extend') {
    await db.updateTable('provenance_ledger').set({ last_seen: write.lastSeen, observations: write.observations }).where('id', '=', write.id).execute();
    return;
  }
  const { entry } = write;
  await db
    .insertInto('provenance_ledger')
    .values({
      id: entry.id,
      monitor_id: entry.monitorId,
      vantage: entry.vantage,
      first_seen: entry.firstSeen,
      last_seen: entry.lastSeen,
      observations: entry.observations,
      snapshot: canonicalJson(entry.snapshot),
      view: canonicalJson(entry.view),
    })
    .execute();
}

export async function insertChanges(db: Kysely<Database>, changes: readonly ProvenanceChange[]): Promise<void> {
  for (const chunk of chunkForParameters(changes, 7)) {
    await db
      .insertInto('provenance_changes')
      .values(
        chunk.map((change) => ({
          id: change.id,
          monitor_id: change.monitorId,
          vantage: change.vantage,
          at: change.at,
          kind: change.kind,
          previous: JSON.stringify(change.previous),
          current: JSON.stringify(change.current),
        })),
      )
      .execute();
  }
}

/** The newest entry of every (monitor, vantage), or of one monitor's vantages; by monitor, then vantage. */
export async function currentEntries(db: Kysely<Database>, monitorId?: string): Promise<LedgerEntry[]> {
  let select = db
    .selectFrom('provenance_ledger as entry')
    .selectAll('entry')
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('provenance_ledger as newer')
            .select('newer.id')
            .whereRef('newer.monitor_id', '=', 'entry.monitor_id')
            .whereRef('newer.vantage', '=', 'entry.vantage')
            .whereRef('newer.first_seen', '>', 'entry.first_seen'),
        ),
      ),
    );
  if (monitorId !== undefined) select = select.where('entry.monitor_id', '=', monitorId);
  const rows = await select.orderBy('entry.monitor_id').orderBy('entry.vantage').execute();
  return rows.map(rowToEntry);
}

/**
 * Entries of one monitor in effect during [from, to), oldest first, all vantages: those first seen in
 * it, and each vantage's entry in effect at `from` (it stands until the next one begins).
 */
export async function ledgerHistory(db: Kysely<Database>, monitorId: string, from: number, to: number, limit: number): Promise<LedgerEntry[]> {
  const rows = await db
    .selectFrom('provenance_ledger as entry')
    .selectAll('entry')
    .where('entry.monitor_id', '=', monitorId)
    .where('entry.first_seen', '<', to)
    .where((eb) =>
      eb.or([
        eb('entry.first_seen', '>=', from),
        eb.not(
          eb.exists(
            eb
              .selectFrom('provenance_ledger as newer')
              .select('newer.id')
              .whereRef('newer.monitor_id', '=', 'entry.monitor_id')
              .whereRef('newer.vantage', '=', 'entry.vantage')
              .whereRef('newer.first_seen', '>', 'entry.first_seen')
              .where('newer.first_seen', '<=', from),
          ),
        ),
      ]),
    )
    .orderBy('entry.first_seen', 'asc')
    .orderBy('entry.id', 'asc')
    .limit(limit)
    .execute();
  return rows.map(rowToEntry);
}

/** Newest first (at desc, id desc). */
export async function listChanges(db: Kysely<Database>, query: ChangeQuery): Promise<ProvenanceChange[]> {
  let select = db.selectFrom('provenance_changes').selectAll();
  if (query.since !== undefined) select = select.where('at', '>=', query.since);
  if (query.monitorId !== undefined) select = select.where('monitor_id', '=', query.monitorId);
  if (query.before !== undefined) {
    const { at, id } = query.before;
    select = select.where((eb) => eb.or([eb('at', '<', at), eb.and([eb('at', '=', at), eb('id', '<', id)])]));
  }
  const rows = await select.orderBy('at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return rows.map(rowToChange);
}

/** Open violations, of some monitors or of all; by policy, monitor, vantage. */
export async function listViolations(db: Kysely<Database>, monitorIds?: readonly string[]): Promise<PolicyViolation[]> {
  if (monitorIds !== undefined && monitorIds.length === 0) return [];
  let select = db.selectFrom('policy_violations').selectAll();
  if (monitorIds !== undefined) select = select.where('monitor_id', 'in', [...new Set(monitorIds)]);
  const rows = await select.orderBy('policy_id').orderBy('monitor_id').orderBy('vantage').execute();
  return rows.map(rowToViolation);
}

export async function applyViolations(
  db: Kysely<Database>,
  upserted: readonly PolicyViolation[],
  removed: readonly { readonly policyId: string; readonly monitorId: string; readonly vantage: string }[],
): Promise<void> {
  for (const key of removed) {
    await db
      .deleteFrom('policy_violations')
      .where('policy_id', '=', key.policyId)
      .where('monitor_id', '=', key.monitorId)
      .where('vantage', '=', key.vantage)
      .execute();
  }
  for (const v of upserted) {
    const values = {
      since: v.since,
      incident_id: v.incidentId,
      breaches: canonicalJson(v.breaches),
      ledger_entry_id: v.ledgerEntryId,
    };
    await db
      .insertInto('policy_violations')
      .values({ policy_id: v.policyId, monitor_id: v.monitorId, vantage: v.vantage, ...values })
      .onConflict((oc) => oc.columns(['policy_id', 'monitor_id', 'vantage']).doUpdateSet(values))
      .execute();
  }
}
