import { olderThan } from './incident-cursor.js';
import type { Kysely, Selectable } from 'kysely';
import type { Incident, IncidentImpact, IncidentKind, IncidentScope, IncidentState, IncidentStatus, TimelineEntry, TimelineKind } from '../domain/state.js';
import { MAX_MONITOR_FILTER, type IncidentQuery } from './store.js';
import type { Database, IncidentsTable, TimelineEntriesTable } from './schema.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { chunkForParameters } from './batching.js';

type IncidentRow = Selectable<IncidentsTable>;
type TimelineRow = Selectable<TimelineEntriesTable>;

const INCIDENT_COLUMNS = 11;
const INCIDENT_MONITOR_COLUMNS = 3;
const TIMELINE_COLUMNS = 9;

function timelineToRow(entry: TimelineEntry): TimelineRow {
  return {
    id: entry.id,
    incident_id: entry.incidentId,
    at: entry.at,
    kind: entry.kind,
    message: entry.message,
    monitor_id: entry.monitorId ?? null,
    evidence: entry.evidence ? canonicalJson(entry.evidence) : null,
    status: entry.status ?? null,
    scope: entry.scope ? canonicalJson(entry.scope) : null,
  };
}

function rowToTimeline(row: TimelineRow): TimelineEntry {
  return {
    id: row.id,
    incidentId: row.incident_id,
    at: row.at,
    kind: row.kind as TimelineKind,
    message: row.message,
    ...(row.monitor_id !== null ? { monitorId: row.monitor_id } : {}),
    ...(row.evidence !== null ? { evidence: JSON.parse(row.evidence) } : {}),
    ...(row.status !== null ? { status: row.status as IncidentStatus } : {}),
    ...(row.scope !== null ? { scope: JSON.parse(row.scope) } : {}),
  };
}

export async function insertIncidents(db: Kysely<Database>, incidents: readonly Incident[]): Promise<void> {
  for (const chunk of chunkForParameters(incidents, INCIDENT_COLUMNS)) {
    await db
      .insertInto('incidents')
      .values(
        chunk.map((incident) => ({
          id: incident.id,
          kind: incident.kind ?? 'outage',
          title: incident.title,
          state: incident.state,
          started_at: incident.startedAt,
          resolved_at: incident.resolvedAt ?? null,
          source: incident.source ?? null,
          status: incident.status ?? null,
          impact: incident.impact ?? null,
          components: incident.components ? JSON.stringify(incident.components) : null,
          scope: incident.scope ? canonicalJson(incident.scope) : null,
        })),
      )
      .execute();
  }
  const members = incidents.flatMap((incident) =>
    incident.monitorIds.map((monitorId, position) => ({ incident_id: incident.id, monitor_id: monitorId, position })),
  );
  for (const chunk of chunkForParameters(members, INCIDENT_MONITOR_COLUMNS)) {
    await db.insertInto('incident_monitors').values(chunk).execute();
  }
  await appendTimeline(
    db,
    incidents.flatMap((incident) => incident.timeline),
  );
}

export async function appendTimeline(db: Kysely<Database>, entries: readonly TimelineEntry[]): Promise<void> {
  for (const chunk of chunkForParameters(entries, TIMELINE_COLUMNS)) {
    await db.insertInto('timeline_entries').values(chunk.map(timelineToRow)).execute();
  }
}

export async function resolveIncidents(
  db: Kysely<Database>,
  resolved: readonly { readonly id: string; readonly resolvedAt: number }[],
): Promise<void> {
  for (const { id, resolvedAt } of resolved) {
    await db.updateTable('incidents').set({ state: 'resolved', resolved_at: resolvedAt }).where('id', '=', id).execute();
  }
}

/** An operator's change to an incident: its status (resolving it when 'resolved'), its impact. */
export interface IncidentAmendment {
  readonly id: string;
  readonly status?: IncidentStatus;
  readonly impact?: IncidentImpact;
  /** Set when this change resolves the incident. */
  readonly resolvedAt?: number;
}

export async function amendIncident(db: Kysely<Database>, amendment: IncidentAmendment): Promise<void> {
  const set = {
    ...(amendment.status !== undefined ? { status: amendment.status } : {}),
    ...(amendment.impact !== undefined ? { impact: amendment.impact } : {}),
    ...(amendment.resolvedAt !== undefined ? { state: 'resolved', resolved_at: amendment.resolvedAt } : {}),
  };
  if (Object.keys(set).length === 0) return;
  await db.updateTable('incidents').set(set).where('id', '=', amendment.id).execute();
}

/** Sets the scope of open incidents (partial to global and back, vantages joining or leaving); the last change of each wins. */
export async function rescopeIncidents(db: Kysely<Database>, rescoped: readonly { readonly id: string; readonly scope: IncidentScope; readonly title?: string }[]): Promise<void> {
  const latest = new Map(rescoped.map((change) => [change.id, change]));
  for (const [id, { scope, title }] of latest) {
    await db
      .updateTable('incidents')
      .set({ scope: canonicalJson(scope), ...(title !== undefined ? { title } : {}) })
      .where('id', '=', id)
      .execute();
  }
}

/** Attaches monitor ids and timelines to incident rows: two queries per chunk, whatever the page size. */
async function hydrate(db: Kysely<Database>, rows: readonly IncidentRow[], withTimelines = true): Promise<Incident[]> {
  const monitorIds = new Map<string, string[]>();
  const timelines = new Map<string, TimelineEntry[]>();
  for (const chunk of chunkForParameters(
    rows.map((row) => row.id),
    1,
  )) {
    const members = await db
      .selectFrom('incident_monitors')
      .select(['incident_id', 'monitor_id'])
      .where('incident_id', 'in', chunk)
      .orderBy('incident_id')
      .orderBy('position')
      .execute();
    for (const member of members) {
      const list = monitorIds.get(member.incident_id) ?? [];
      list.push(member.monitor_id);
      monitorIds.set(member.incident_id, list);
    }
    if (!withTimelines) continue;
    const entries = await db
      .selectFrom('timeline_entries')
      .selectAll()
      .where('incident_id', 'in', chunk)
      .orderBy('at', 'asc')
      .orderBy('id', 'asc')
      .execute();
    for (const row of entries) {
      const list = timelines.get(row.incident_id) ?? [];
      list.push(rowToTimeline(row));
      timelines.set(row.incident_id, list);
    }
  }
  return rows.map((row) => ({
    id: row.id,
    ...(row.kind !== 'outage' ? { kind: row.kind as IncidentKind } : {}),
    title: row.title,
    state: row.state as IncidentState,
    monitorIds: monitorIds.get(row.id) ?? [],
    startedAt: row.started_at,
    ...(row.resolved_at !== null ? { resolvedAt: row.resolved_at } : {}),
    ...(row.scope !== null ? { scope: JSON.parse(row.scope) as IncidentScope } : {}),
    timeline: timelines.get(row.id) ?? [],
    ...(row.source === 'manual' ? { source: 'manual' as const } : {}),
    ...(row.status !== null ? { status: row.status as IncidentStatus } : {}),
    ...(row.impact !== null ? { impact: row.impact as IncidentImpact } : {}),
    ...(row.components !== null ? { components: JSON.parse(row.components) as string[] } : {}),
  }));
}

export async function listIncidents(db: Kysely<Database>, query: IncidentQuery): Promise<Incident[]> {
  let select = db.selectFrom('incidents').selectAll();
  if (query.state !== undefined) select = select.where('state', '=', query.state);
  if (query.kind !== undefined) select = select.where('kind', '=', query.kind);
  if (query.monitorId !== undefined) {
    const monitorId = query.monitorId;
    select = select.where('id', 'in', (eb) =>
      eb.selectFrom('incident_monitors').select('incident_id').where('monitor_id', '=', monitorId),
    );
  }
  if (query.monitorIds !== undefined) {
    const ids = [...new Set(query.monitorIds)];
    if (ids.length === 0) return [];
    if (ids.length > MAX_MONITOR_FILTER) throw new RangeError(`monitorIds holds ${ids.length} ids; at most ${MAX_MONITOR_FILTER}`);
    select = select.where('id', 'in', (eb) => eb.selectFrom('incident_monitors').select('incident_id').where('monitor_id', 'in', ids));
  }
  if (query.activeSince !== undefined) {
    const since = query.activeSince;
    select = select.where((eb) => eb.or([eb('resolved_at', 'is', null), eb('resolved_at', '>=', since)]));
  }
  if (query.before !== undefined) select = select.where(await olderThan(db, query.before));
  const rows = await select.orderBy('started_at', 'desc').orderBy('id', 'desc').limit(query.limit).execute();
  return hydrate(db, rows, !query.withoutTimelines);
}

export async function getIncident(db: Kysely<Database>, id: string): Promise<Incident | undefined> {
  const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
  return row ? (await hydrate(db, [row]))[0] : undefined;
}
