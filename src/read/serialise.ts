// The public JSON shapes of results, states and incidents (API v1). Times are ISO 8601 UTC strings.
import type { Incident, TimelineEntry } from '../domain/state.js';
import type { CheckResult } from '../domain/verdict.js';

export const iso = (ms: number): string => new Date(ms).toISOString();

export function resultJson(result: CheckResult) {
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
    error: result.error ?? null,
    details: result.details,
  };
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
    title: incident.title,
    state: incident.state,
    monitorIds: incident.monitorIds,
    startedAt: iso(incident.startedAt),
    resolvedAt: incident.resolvedAt === undefined ? null : iso(incident.resolvedAt),
    durationSeconds: Math.round(((incident.resolvedAt ?? now) - incident.startedAt) / 1000),
    timeline: incident.timeline.map(timelineJson),
  };
}
