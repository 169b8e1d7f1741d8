// What the pages show of declarations: a platform's word next to Candor's, and acknowledgements as
// sentences and as feed updates. Built on the read models in declared.ts.
import type { DeclaredStatus } from '../domain/declared.js';
import type { Incident } from '../domain/state.js';
import { incidentAcknowledgements, sourcesOf, type comparisonJson, type DeclaredReadDeps } from './declared.js';

/** What a monitor's platform says now, for pages: shown next to what Candor sees when the two differ. */
export interface DeclaredNote {
  readonly sourceName: string;
  readonly status: DeclaredStatus;
  readonly since: number;
  /** The platform says something is wrong while Candor sees it working, or the reverse. */
  readonly differs: boolean;
}

/**
 * Differ: Candor sees it down while the platform says operational, or sees it up while the platform
 * says it has an outage or degradation. Maintenance, unavailable sources and monitors without a
 * confirmed state never differ.
 */
export function declaredDiffers(observed: string, declared: DeclaredStatus): boolean {
  if (declared === 'unavailable' || declared === 'under_maintenance') return false;
  if (observed === 'down' || observed === 'partial') return declared === 'operational';
  if (observed === 'up' || observed === 'degraded') return declared === 'major_outage' || declared === 'partial_outage';
  return false;
}

export async function declaredNotes(deps: DeclaredReadDeps, observed: ReadonlyMap<string, string>): Promise<Map<string, DeclaredNote>> {
  const sources = sourcesOf(deps);
  if (sources.length === 0) return new Map();
  const latest = await deps.store.declared.latest();
  const notes = new Map<string, DeclaredNote>();
  for (const source of sources) {
    for (const { monitorId, scope } of source.monitors) {
      const row = latest.find((r) => r.sourceId === source.id && r.scope === scope);
      const status = observed.get(monitorId);
      if (!row || status === undefined) continue;
      notes.set(monitorId, { sourceName: new URL(source.url).hostname, status: row.status, since: row.firstSeen, differs: declaredDiffers(status, row.status) });
    }
  }
  return notes;
}

/** Incidents with the platform's acknowledgement added to their timelines as a note, for feeds. */
export async function withAcknowledgements(deps: DeclaredReadDeps, incidents: readonly Incident[]): Promise<Incident[]> {
  const declared = new Set(sourcesOf(deps).flatMap((s) => s.monitors.map((m) => m.monitorId)));
  return Promise.all(
    incidents.map(async (incident) => {
      if (!incident.monitorIds.some((id) => declared.has(id))) return incident;
      const acks = await incidentAcknowledgements(deps, incident);
      const notes = acks.flatMap(({ monitorId, sourceName, comparison }) => {
        if (!comparison.acknowledgement) return [];
        const at = Date.parse(comparison.acknowledgement.at ?? "");
        return [{ id: `ack-${incident.id}-${monitorId}`, incidentId: incident.id, at, kind: 'note' as const, monitorId, message: acknowledgementSentence(sourceName, comparison) }];
      });
      return notes.length === 0 ? incident : { ...incident, timeline: [...incident.timeline, ...notes].sort((a, b) => a.at - b.at) };
    }),
  );
}

/** "status.example.com acknowledged it 7 min after the first failed check (incident "API errors")." */
export function acknowledgementSentence(sourceName: string, comparison: ReturnType<typeof comparisonJson>): string {
  const ack = comparison.acknowledgement;
  if (!ack) {
    return comparison.verdict === 'pending' ? `${sourceName} has not acknowledged it yet.` : `${sourceName} never acknowledged it.`;
  }
  const lag = comparison.lagMs ?? 0;
  const when = lag === 0 ? 'at once (it had already declared a problem)' : `${formatLag(lag)} after the first failed check`;
  const how = ack.kind === 'incident' ? `incident "${ack.title ?? ack.declaredIncidentId}"` : `status "${(ack.status ?? '').replace(/_/g, ' ')}"`;
  return `${sourceName} acknowledged it ${when} (${how}).`;
}

export function formatLag(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 1) return `${Math.round(ms / 1000)} s`;
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return `${hours} h ${minutes % 60} min`;
}
