import { NotFoundError } from '../domain/errors.js';
import type { IncidentState } from '../domain/state.js';
import type { Clock } from '../runtime/clock.js';
import type { Store } from '../storage/store.js';
import { incidentJson } from './serialise.js';

export async function listIncidents(
  deps: { store: Store; clock: Clock },
  query: { state?: IncidentState; monitorId?: string; before?: string; limit: number },
) {
  const incidents = await deps.store.listIncidents(query);
  const now = deps.clock.now();
  const last = incidents.at(-1);
  return {
    incidents: incidents.map((i) => incidentJson(i, now)),
    nextBefore: incidents.length === query.limit && last ? last.id : null,
  };
}

export async function getIncident(deps: { store: Store; clock: Clock }, id: string) {
  const incident = await deps.store.getIncident(id);
  if (!incident) throw new NotFoundError('incident', id);
  return incidentJson(incident, deps.clock.now());
}
