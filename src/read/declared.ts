// Read models of what platforms declare, and of the comparison with what Candor observed: the same
// data for /api/v1 and the pages. The comparison itself is domain/transparency.ts.
import type { DeclaredStatus, DeclaredStatusRow, StoredDeclaredIncident } from '../domain/declared.js';
import { NotFoundError } from '../domain/errors.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Incident } from '../domain/state.js';
import { compareOutage, platformFigures, TRANSPARENCY_METHOD_VERSION, type DeclaredView, type MonitorInput, type ObservedOutage, type OutageComparison, type PlatformFigures } from '../domain/transparency.js';
import type { Span } from '../domain/intervals.js';
import { declaredSources, type DeclaredSource } from '../declared/sources.js';
import type { Clock } from '../runtime/clock.js';
import type { Store } from '../storage/store.js';

export interface DeclaredReadDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
}

export const TRANSPARENCY_WINDOWS_DAYS = [30, 90] as const;
const DAY = 86_400_000;
const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());

export function sourcesOf(deps: Pick<DeclaredReadDeps, 'monitors'>): DeclaredSource[] {
  return declaredSources([...deps.monitors.values()]);
}

function statusRowJson(row: DeclaredStatusRow) {
  return { status: row.status, reason: row.reason ?? null, declaredAt: iso(row.declaredAt), firstSeen: iso(row.firstSeen), lastSeen: iso(row.lastSeen) };
}

function declaredIncidentJson(incident: StoredDeclaredIncident) {
  return {
    id: incident.externalId,
    title: incident.title,
    impact: incident.impact,
    declaredAt: iso(incident.declaredAt),
    startedAt: iso(incident.startedAt),
    resolvedAt: iso(incident.resolvedAt),
    components: incident.components,
    url: incident.url ?? null,
    firstSeen: iso(incident.firstSeen),
    lastSeen: iso(incident.lastSeen),
    updates: incident.updates.map((u) => ({ at: iso(u.at), status: u.status, body: u.body })),
  };
}

/** `GET /api/v1/declared`: every source, what it says now per scope, and its last poll. */
export async function declaredOverview(deps: DeclaredReadDeps) {
  const sources = sourcesOf(deps);
  const [latest, polls] = await Promise.all([deps.store.declared.latest(), deps.store.declared.sources()]);
  return {
    sources: sources.map((source) => {
      const poll = polls.find((p) => p.sourceId === source.id);
      const rows = latest.filter((r) => r.sourceId === source.id);
      const scope = (name: string) => {
        const row = rows.find((r) => r.scope === name);
        return row ? { ...statusRowJson(row), status: row.status as DeclaredStatus | 'unknown' } : { status: 'unknown' as const, reason: 'not polled yet', declaredAt: null, firstSeen: null, lastSeen: null };
      };
      return {
        id: source.id,
        type: source.type,
        url: source.url,
        intervalSeconds: source.intervalMs / 1000,
        monitors: source.monitors.map((m) => ({ monitorId: m.monitorId, component: m.scope || null })),
        overall: scope(''),
        components: source.scopes.filter((s) => s !== '').map((name) => ({ name, ...scope(name) })),
        lastPoll: poll ? { at: iso(poll.lastPollAt), ok: poll.failure === undefined, failure: poll.failure ?? null } : null,
        lastSuccessAt: iso(poll?.lastSuccessAt),
      };
    }),
  };
}

function requireDeclared(deps: DeclaredReadDeps, monitorId: string): { spec: MonitorSpec; source: DeclaredSource; scope: string } {
  const spec = deps.monitors.get(monitorId);
  if (!spec) throw new NotFoundError('monitor', monitorId);
  const source = sourcesOf(deps).find((s) => s.monitors.some((m) => m.monitorId === monitorId));
  if (!spec.declared || !source) throw new NotFoundError('declared source of monitor', monitorId);
  return { spec, source, scope: spec.declared.component ?? '' };
}

/** `GET /api/v1/monitors/:id/declared/history`: the statuses of the monitor's scope and the source's incidents over [from, to). */
export async function monitorDeclaredHistory(deps: DeclaredReadDeps, monitorId: string, from: number, to: number) {
  const { source, scope } = requireDeclared(deps, monitorId);
  const [rows, incidents] = await Promise.all([deps.store.declared.statuses([source.id], from, to), deps.store.declared.incidents([source.id], from, to)]);
  return {
    monitorId,
    sourceId: source.id,
    type: source.type,
    url: source.url,
    component: scope || null,
    from: iso(from),
    to: iso(to),
    statuses: rows.filter((r) => r.scope === scope).map(statusRowJson),
    incidents: incidents.map(declaredIncidentJson),
  };
}

/** Partial scopes arrive with consensus (incident.scope); until then every incident is global. */
function scopeOf(incident: Incident): 'global' | 'partial' {
  const scope = (incident as Incident & { readonly scope?: { readonly kind?: string } }).scope;
  return scope?.kind === 'partial' ? 'partial' : 'global';
}

export function outagesOf(incidents: readonly Incident[], monitorId: string): ObservedOutage[] {
  return incidents
    .filter((incident) => incident.monitorIds.includes(monitorId))
    .map((incident) => {
      const first = incident.timeline.find((e) => e.kind === 'first_failure' && (e.monitorId ?? monitorId) === monitorId);
      return {
        incidentId: incident.id,
        monitorId,
        startedAt: incident.startedAt,
        ...(first?.evidence?.resultId ? { firstFailureResultId: first.evidence.resultId } : {}),
        ...(incident.resolvedAt !== undefined ? { endedAt: incident.resolvedAt } : {}),
        scope: scopeOf(incident),
      };
    });
}

const MAX_INCIDENT_PAGES = 20;

async function incidentsSince(store: Store, monitorIds: readonly string[], since: number): Promise<Incident[]> {
  const all: Incident[] = [];
  let before: string | undefined;
  for (let page = 0; page < MAX_INCIDENT_PAGES; page++) {
    const batch = await store.listIncidents({ monitorIds, activeSince: since, limit: 500, ...(before ? { before } : {}) });
    all.push(...batch);
    if (batch.length < 500) break;
    before = batch.at(-1)!.id;
  }
  return all;
}

async function monitorInputs(deps: DeclaredReadDeps, source: DeclaredSource, from: number, now: number): Promise<MonitorInput[]> {
  const ids = source.monitors.map((m) => m.monitorId);
  const [incidents, rows, declaredIncidents, gaps] = await Promise.all([
    incidentsSince(deps.store, ids, from),
    deps.store.declared.statuses([source.id], from, now),
    deps.store.declared.incidents([source.id], from, now),
    deps.store.listHubGaps(from, now),
  ]);
  return Promise.all(
    source.monitors.map(async ({ monitorId, scope }) => {
      const view: DeclaredView = { sourceId: source.id, scope, intervalMs: source.intervalMs, statuses: rows.filter((r) => r.scope === scope), incidents: declaredIncidents };
      // Before its first check (to the hour), Candor did not observe the monitor at all.
      const rollups = await deps.store.listRollups(monitorId, 'hour', from, now);
      const firstObserved = rollups[0]?.bucketStart ?? now;
      const unobserved: Span[] = [...gaps, { from, to: firstObserved }];
      return { monitorId, outages: outagesOf(incidents, monitorId), view, unobserved };
    }),
  );
}

export function comparisonJson(c: OutageComparison) {
  const ack = c.acknowledgement;
  return {
    incidentId: c.incidentId,
    monitorId: c.monitorId,
    firstFailureResultId: c.firstFailureResultId ?? null,
    startedAt: iso(c.startedAt),
    endedAt: iso(c.endedAt),
    scope: c.scope,
    verdict: c.verdict,
    lagMs: c.lagMs ?? null,
    acknowledgement: ack
      ? { kind: ack.kind, at: iso(ack.at), firstSeen: iso(ack.firstSeen), status: ack.kind === 'status' ? ack.status : null, declaredIncidentId: ack.kind === 'incident' ? ack.externalId : null, title: ack.kind === 'incident' ? ack.title : null }
      : null,
  };
}

function figuresJson(f: PlatformFigures) {
  return {
    windowDays: f.windowDays,
    from: iso(f.from),
    to: iso(f.to),
    outages: f.outages,
    acknowledged: f.acknowledged,
    unacknowledged: f.unacknowledged,
    pending: f.pending,
    medianLagMs: f.medianLagMs ?? null,
    p90LagMs: f.p90LagMs ?? null,
    shareUnacknowledged: f.shareUnacknowledged ?? null,
    declaredOperationalWhileDownMs: f.declaredOperationalWhileDownMs,
    declaredOperationalWhilePartialMs: f.declaredOperationalWhilePartialMs,
    declaredDownWhileUpMs: f.declaredDownWhileUpMs,
    evidence: {
      outages: f.comparisons.map(comparisonJson),
      disagreements: f.disagreements.map((d) => ({ kind: d.kind, monitorId: d.monitorId, from: iso(d.from), to: iso(d.to), durationMs: d.to - d.from, declaredStatusFirstSeen: iso(d.declaredFirstSeen), incidentId: d.incidentId ?? null })),
    },
  };
}

export type TransparencyReport = Awaited<ReturnType<typeof transparencyReport>>;

/** `GET /api/v1/transparency`: per platform (declared source), the figures over 30 and 90 days with their evidence. */
export async function transparencyReport(deps: DeclaredReadDeps) {
  const now = deps.clock.now();
  const longest = Math.max(...TRANSPARENCY_WINDOWS_DAYS);
  const platforms = await Promise.all(
    sourcesOf(deps).map(async (source) => {
      const inputs = await monitorInputs(deps, source, now - longest * DAY, now);
      return {
        sourceId: source.id,
        name: new URL(source.url).hostname,
        type: source.type,
        url: source.url,
        monitors: source.monitors.map((m) => ({ monitorId: m.monitorId, name: deps.monitors.get(m.monitorId)?.name ?? m.monitorId, component: m.scope || null })),
        windows: TRANSPARENCY_WINDOWS_DAYS.map((days) => figuresJson(platformFigures(inputs, days, now))),
      };
    }),
  );
  return { method: { version: TRANSPARENCY_METHOD_VERSION, document: 'docs/transparency.md' }, generatedAt: iso(now), platforms };
}

/** Whether and when the platform acknowledged one incident, per declared monitor of it. */
export async function incidentAcknowledgements(deps: DeclaredReadDeps, incident: Incident) {
  const now = deps.clock.now();
  const sources = sourcesOf(deps);
  const out: { monitorId: string; sourceId: string; sourceName: string; comparison: ReturnType<typeof comparisonJson> }[] = [];
  for (const monitorId of incident.monitorIds) {
    const source = sources.find((s) => s.monitors.some((m) => m.monitorId === monitorId));
    const scope = deps.monitors.get(monitorId)?.declared?.component ?? '';
    if (!source) continue;
    const to = incident.resolvedAt ?? now;
    const [rows, declaredIncidents] = await Promise.all([deps.store.declared.statuses([source.id], incident.startedAt, to + 1), deps.store.declared.incidents([source.id], incident.startedAt, to + 1)]);
    const view: DeclaredView = { sourceId: source.id, scope, intervalMs: source.intervalMs, statuses: rows.filter((r) => r.scope === scope), incidents: declaredIncidents };
    const [outage] = outagesOf([incident], monitorId);
    if (outage) out.push({ monitorId, sourceId: source.id, sourceName: new URL(source.url).hostname, comparison: comparisonJson(compareOutage(outage, view, now)) });
  }
  return out;
}

