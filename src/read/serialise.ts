// The public JSON shapes of results, states and incidents (API v1). Times are ISO 8601 UTC strings.
import type { Incident, TimelineEntry } from '../domain/state.js';
import type { Details } from '../domain/observation.js';
import { redactDetails, type Redactor } from '../domain/redaction.js';
import type { CheckResult } from '../domain/verdict.js';

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
  };
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
    timeline: incident.timeline.map(timelineJson),
  };
}
