// What an operator may do to an incident, decided on plain data. Pure: ids and time come in.
import type { Incident, IncidentImpact, IncidentStatus, TimelineEntry } from './state.js';

export interface ManualIncidentInput {
  readonly title: string;
  readonly status: IncidentStatus;
  readonly impact: IncidentImpact;
  readonly components: readonly string[];
  /** Markdown. */
  readonly message: string;
}

export interface UpdateInput {
  /** Absent: the status stays as it is. */
  readonly status?: IncidentStatus;
  readonly impact?: IncidentImpact;
  /** Markdown. */
  readonly message: string;
}

/** Why an update is refused, with a stable code. */
export interface Refused {
  readonly code: 'incident_resolved' | 'incident_follows_checks' | 'incident_open';
  readonly message: string;
}

/** A new manual incident over the given monitors (those of its components), opened (or resolved) at `now`. */
export function openManualIncident(input: ManualIncidentInput, monitorIds: readonly string[], now: number, nextId: () => string): Incident {
  const id = nextId();
  const resolved = input.status === 'resolved';
  return {
    id,
    title: input.title,
    state: resolved ? 'resolved' : 'open',
    monitorIds,
    startedAt: now,
    ...(resolved ? { resolvedAt: now } : {}),
    timeline: [{ id: nextId(), incidentId: id, at: now, kind: 'update', message: input.message, status: input.status }],
    source: 'manual',
    status: input.status,
    impact: input.impact,
    components: input.components,
  };
}

/** The status an incident is in for its operators: the last one given, else resolved or investigating. */
export function currentStatus(incident: Incident): IncidentStatus {
  if (incident.state === 'resolved') return 'resolved';
  return incident.status ?? 'investigating';
}

export type UpdateDecision =
  | { readonly refused: Refused }
  | { readonly entry: TimelineEntry; readonly amendment: { id: string; status: IncidentStatus; impact?: IncidentImpact; resolvedAt?: number } };

/**
 * An update on a manual or an automatic incident. A resolved incident takes no more updates (only a
 * postmortem); an automatic incident is resolved by its monitors' recovery, not by an update, since the
 * checks would go on appending to it.
 */
export function decideUpdate(incident: Incident, input: UpdateInput, now: number, nextId: () => string): UpdateDecision {
  if (incident.state === 'resolved') {
    return { refused: { code: 'incident_resolved', message: `incident "${incident.id}" is resolved; it takes a postmortem (POST .../postmortem), not more updates` } };
  }
  const status = input.status ?? currentStatus(incident);
  if (status === 'resolved' && incident.source !== 'manual') {
    return {
      refused: {
        code: 'incident_follows_checks',
        message: `incident "${incident.id}" was opened by Candor's checks and is resolved when its monitors recover; post "monitoring" instead`,
      },
    };
  }
  const entry: TimelineEntry = { id: nextId(), incidentId: incident.id, at: now, kind: 'update', message: input.message, status };
  return {
    entry,
    amendment: { id: incident.id, status, ...(input.impact ? { impact: input.impact } : {}), ...(status === 'resolved' ? { resolvedAt: now } : {}) },
  };
}

export type PostmortemDecision = { readonly refused: Refused } | { readonly entry: TimelineEntry };

/** A postmortem is written once an incident is resolved; a later one supersedes it (both stay in the timeline). */
export function decidePostmortem(incident: Incident, message: string, now: number, nextId: () => string): PostmortemDecision {
  if (incident.state !== 'resolved') {
    return { refused: { code: 'incident_open', message: `incident "${incident.id}" is still open; resolve it before writing its postmortem` } };
  }
  return { entry: { id: nextId(), incidentId: incident.id, at: now, kind: 'postmortem', message } };
}

/** The latest postmortem entry, if any. */
export function postmortemOf(incident: Incident): TimelineEntry | undefined {
  return [...incident.timeline].reverse().find((entry) => entry.kind === 'postmortem');
}
