// The public JSON shapes of results, states and incidents (API v1). Times are ISO 8601 UTC strings.
import type { Incident, IncidentScope, TimelineEntry } from '../domain/state.js';
import type { Details } from '../domain/observation.js';
import { redactDetails, type Redactor } from '../domain/redaction.js';
import type { CheckResult } from '../domain/verdict.js';
import { currentStatus, postmortemOf } from '../domain/incident-updates.js';
import { renderMarkdown } from './markdown.js';

/** Entries operators wrote, in Markdown. */
const isOperatorEntry = (entry: TimelineEntry): boolean => entry.kind === 'update' || entry.kind === 'postmortem';

export const iso = (ms: number): string => new Date(ms).toISOString();

/** How much of a result the public sees: secrets redacted, excerpts and details only when allowed. */
export interface ResultView {
  readonly redactor: Redactor;
  /** The monitor says `public: { excerpt: true }`. */
  readonly showExcerpt: boolean;
  /** `api.publicResults` is not false. */
  readonly showDetails: boolean;
}

export function resultJson(result: CheckResult, view?: ResultView) {
  return {
    id: result.id,
    monitorId: result.monitorId,
    vantage: result.vantage,
    plannedAt: iso(result.plannedAt),
    startedAt: iso(result.startedAt),
    ok: result.ok,
    degraded: result.degraded,
    maintenance: result.maintenance,
    inconclusive: result.inconclusive === true,
    latencyMs: result.latencyMs,
    phases: result.phases,
    peerAddress: result.peerAddress ?? null,
    error: result.error && view ? { ...result.error, message: view.redactor.text(result.error.message) } : (result.error ?? null),
    details: view ? publicDetails(result.details, view) : result.details,
  };
}

/** Stored details are redacted when checked already; redacting again here covers results stored before. */
function publicDetails(details: Details, view: ResultView): Details {
  if (!view.showDetails) return { type: details.type } as Details;
  const redacted = redactDetails(details, view.redactor);
  if (view.showExcerpt || redacted.type !== 'http') return redacted;
  const { bodyExcerpt: _private, ...shown } = redacted;
  return shown;
}

export function timelineJson(entry: TimelineEntry) {
  return {
    id: entry.id,
    at: iso(entry.at),
    kind: entry.kind,
    message: entry.message,
    monitorId: entry.monitorId ?? null,
    evidence: entry.evidence ? { ...entry.evidence, at: iso(entry.evidence.at) } : null,
    status: entry.status ?? null,
    html: isOperatorEntry(entry) ? renderMarkdown(entry.message) : null,
    scope: entry.scope ? { ...entry.scope, evidence: entry.scope.evidence.map((e) => ({ ...e, at: iso(e.at) })) } : null,
  };
}

/** Incidents from before consensus carry no scope: they were seen from the hub alone, as global. */
export function scopeJson(scope: IncidentScope | undefined): IncidentScope {
  return scope ?? { kind: 'global', vantages: [], regions: [] };
}

export function incidentJson(incident: Incident, now: number) {
  return {
    id: incident.id,
    kind: incident.kind ?? 'outage',
    title: incident.title,
    state: incident.state,
    monitorIds: incident.monitorIds,
    startedAt: iso(incident.startedAt),
    resolvedAt: incident.resolvedAt === undefined ? null : iso(incident.resolvedAt),
    durationSeconds: Math.round(((incident.resolvedAt ?? now) - incident.startedAt) / 1000),
    scope: scopeJson(incident.scope),
    timeline: incident.timeline.map(timelineJson),
    source: incident.source ?? 'automatic',
    status: currentStatus(incident),
    impact: incident.impact ?? null,
    components: incident.components ?? null,
    postmortem: postmortemJson(incident),
  };
}

function postmortemJson(incident: Incident) {
  const entry = postmortemOf(incident);
  return entry ? { at: iso(entry.at), markdown: entry.message, html: renderMarkdown(entry.message) } : null;
}
