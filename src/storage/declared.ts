// The declared ledger: statuses as changes (a row per status held, its last-seen time moved while it
// holds), declared incidents upserted by their platform id, and each source's last poll.
import type { Kysely } from 'kysely';
import { canonicalJson } from '../domain/canonical-json.js';
import type { DeclaredPoll, DeclaredSourceState, DeclaredStatus, DeclaredStatusRow, DeclaredUpdate, PollFailureKind, StoredDeclaredIncident } from '../domain/declared.js';
import type { Database, DeclaredIncidentsTable, DeclaredStatusesTable } from './schema.js';

export async function recordDeclaredPoll(db: Kysely<Database>, poll: DeclaredPoll): Promise<void> {
  for (const status of poll.statuses) {
    const latest = await db
      .selectFrom('declared_statuses')
      .selectAll()
      .where('source_id', '=', poll.sourceId)
      .where('scope', '=', status.scope)
      .orderBy('first_seen', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (latest && latest.first_seen > poll.at) continue; // an older poll finishing late changes nothing
    if (latest && latest.status === status.status && (latest.reason ?? undefined) === status.reason) {
      await db
        .updateTable('declared_statuses')
        .set({ last_seen: Math.max(latest.last_seen, poll.at) })
        .where('source_id', '=', poll.sourceId)
        .where('scope', '=', status.scope)
        .where('first_seen', '=', latest.first_seen)
        .execute();
      continue;
    }
    await db
      .insertInto('declared_statuses')
      .values({
        source_id: poll.sourceId,
        scope: status.scope,
        first_seen: poll.at,
        last_seen: poll.at,
        status: status.status,
        reason: status.reason ?? null,
        declared_at: status.declaredAt ?? null,
      })
      .onConflict((oc) => oc.columns(['source_id', 'scope', 'first_seen']).doNothing())
      .execute();
  }
  for (const incident of poll.incidents) {
    const values = {
      title: incident.title,
      impact: incident.impact,
      declared_at: incident.declaredAt,
      started_at: incident.startedAt,
      resolved_at: incident.resolvedAt ?? null,
      components: canonicalJson(incident.components),
      updates: canonicalJson(incident.updates),
      url: incident.url ?? null,
      last_seen: poll.at,
    };
    await db
      .insertInto('declared_incidents')
      .values({ source_id: poll.sourceId, external_id: incident.externalId, first_seen: poll.at, ...values })
      .onConflict((oc) => oc.columns(['source_id', 'external_id']).doUpdateSet(values))
      .execute();
  }
  const source = {
    last_poll_at: poll.at,
    failure_kind: poll.failure?.kind ?? null,
    failure_message: poll.failure?.message ?? null,
    ...(poll.failure ? {} : { last_success_at: poll.at }),
  };
  await db
    .insertInto('declared_sources')
    .values({ source_id: poll.sourceId, last_success_at: null, ...source })
    .onConflict((oc) => oc.column('source_id').doUpdateSet(source))
    .execute();
}

/** Drops status rows and incidents last seen before `before` (the newest row of a scope always stays). */
export async function pruneDeclared(db: Kysely<Database>, before: number): Promise<void> {
  const latest = await latestDeclaredStatuses(db);
  const keep = new Set(latest.map((row) => `${row.sourceId}\u0000${row.scope}\u0000${row.firstSeen}`));
  const old = await db.selectFrom('declared_statuses').select(['source_id', 'scope', 'first_seen']).where('last_seen', '<', before).execute();
  for (const row of old) {
    if (keep.has(`${row.source_id}\u0000${row.scope}\u0000${row.first_seen}`)) continue;
    await db.deleteFrom('declared_statuses').where('source_id', '=', row.source_id).where('scope', '=', row.scope).where('first_seen', '=', row.first_seen).execute();
  }
  await db.deleteFrom('declared_incidents').where('last_seen', '<', before).execute();
}

export async function listDeclaredSources(db: Kysely<Database>): Promise<DeclaredSourceState[]> {
  const rows = await db.selectFrom('declared_sources').selectAll().orderBy('source_id').execute();
  return rows.map((row) => ({
    sourceId: row.source_id,
    lastPollAt: row.last_poll_at,
    ...(row.last_success_at !== null ? { lastSuccessAt: row.last_success_at } : {}),
    ...(row.failure_kind !== null ? { failure: { kind: row.failure_kind as PollFailureKind, message: row.failure_message ?? '' } } : {}),
  }));
}

/** Status rows of the sources that may have held in [from, to), oldest first per scope; the row held at `from` included. */
export async function listDeclaredStatuses(db: Kysely<Database>, sourceIds: readonly string[], from: number, to: number): Promise<DeclaredStatusRow[]> {
  if (sourceIds.length === 0) return [];
  const inRange = await db
    .selectFrom('declared_statuses')
    .selectAll()
    .where('source_id', 'in', sourceIds)
    .where('first_seen', '<', to)
    .where('last_seen', '>=', from)
    .execute();
  // The row that held when the range began may have been last seen just before it.
  const before = await db
    .selectFrom('declared_statuses as d')
    .selectAll()
    .where('d.source_id', 'in', sourceIds)
    .where('d.first_seen', '<', from)
    .where(({ eb, selectFrom }) =>
      eb(
        'd.first_seen',
        '=',
        selectFrom('declared_statuses as e').select(({ fn }) => fn.max('e.first_seen').as('m')).whereRef('e.source_id', '=', 'd.source_id').whereRef('e.scope', '=', 'd.scope').where('e.first_seen', '<', from),
      ),
    )
    .execute();
  const seen = new Set<string>();
  return [...before, ...inRange]
    .filter((row) => {
      const key = `${row.source_id}\u0000${row.scope}\u0000${row.first_seen}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .map(toStatusRow)
    .sort((a, b) => a.sourceId.localeCompare(b.sourceId) || a.scope.localeCompare(b.scope) || a.firstSeen - b.firstSeen);
}

/** The newest status row of every (source, scope). */
export async function latestDeclaredStatuses(db: Kysely<Database>): Promise<DeclaredStatusRow[]> {
  const rows = await db
    .selectFrom('declared_statuses as d')
    .selectAll()
    .where(({ eb, selectFrom }) =>
      eb('d.first_seen', '=', selectFrom('declared_statuses as e').select(({ fn }) => fn.max('e.first_seen').as('m')).whereRef('e.source_id', '=', 'd.source_id').whereRef('e.scope', '=', 'd.scope')),
    )
    .orderBy('d.source_id')
    .orderBy('d.scope')
    .execute();
  return rows.map(toStatusRow);
}

/** Incidents of the sources that may have been open in [from, to), by start time. */
export async function listDeclaredIncidents(db: Kysely<Database>, sourceIds: readonly string[], from: number, to: number): Promise<StoredDeclaredIncident[]> {
  if (sourceIds.length === 0) return [];
  const rows = await db
    .selectFrom('declared_incidents')
    .selectAll()
    .where('source_id', 'in', sourceIds)
    .where('started_at', '<', to)
    .where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', from)]))
    .where('last_seen', '>=', from)
    .orderBy('started_at')
    .orderBy('external_id')
    .execute();
  return rows.map(toIncident);
}

function toStatusRow(row: DeclaredStatusesTable): DeclaredStatusRow {
  return {
    sourceId: row.source_id,
    scope: row.scope,
    status: row.status as DeclaredStatus,
    ...(row.reason !== null ? { reason: row.reason } : {}),
    ...(row.declared_at !== null ? { declaredAt: row.declared_at } : {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}

function toIncident(row: DeclaredIncidentsTable): StoredDeclaredIncident {
  return {
    sourceId: row.source_id,
    externalId: row.external_id,
    title: row.title,
    impact: row.impact,
    declaredAt: row.declared_at,
    startedAt: row.started_at,
    ...(row.resolved_at !== null ? { resolvedAt: row.resolved_at } : {}),
    components: JSON.parse(row.components) as string[],
    updates: JSON.parse(row.updates) as DeclaredUpdate[],
    ...(row.url !== null ? { url: row.url } : {}),
    firstSeen: row.first_seen,
    lastSeen: row.last_seen,
  };
}
