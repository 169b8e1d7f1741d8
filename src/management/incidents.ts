// Incidents written by operators: manual incidents, updates (on manual and automatic incidents alike)
// and postmortems. Each is one transaction; pages, feeds and /api/v2 read the store, and their caches
// are told at once (incidentsChanged).
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors.js';
import { decidePostmortem, decideUpdate, openManualIncident, type ManualIncidentInput, type UpdateInput } from '../domain/incident-updates.js';
import type { Incident } from '../domain/state.js';
import type { ManagementDeps } from './deps.js';

/** The monitors of the named components; every name must be a component in use. */
function monitorsOfComponents(deps: ManagementDeps, components: readonly string[]): string[] {
  const known = deps.registry.components();
  const unknown = components.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new BadRequestError(`unknown component${unknown.length > 1 ? 's' : ''} ${unknown.map((n) => JSON.stringify(n)).join(', ')}; known: ${[...known].map((n) => JSON.stringify(n)).join(', ')}`);
  }
  return [...deps.registry.monitors.values()].filter((m) => components.includes(m.component)).map((m) => m.id);
}

export function createIncident(deps: ManagementDeps, input: ManualIncidentInput): Promise<Incident> {
  return deps.serial(async () => {
    const monitorIds = monitorsOfComponents(deps, input.components);
    const incident = openManualIncident(input, monitorIds, deps.clock.now(), () => deps.ids.next());
    await deps.store.transact((tx) => tx.incidents.open([incident]));
    deps.incidentWritten?.(incident);
    deps.incidentsChanged();
    deps.log.info({ incident: incident.id }, 'incident opened through the API');
    return incident;
  });
}

export function addUpdate(deps: ManagementDeps, id: string, input: UpdateInput): Promise<Incident> {
  return deps.serial(async () => {
    const updated = await deps.store.transact(async (tx) => {
      const incident = await tx.incidents.get(id);
      if (!incident) throw new NotFoundError('incident', id);
      const decision = decideUpdate(incident, input, deps.clock.now(), () => deps.ids.next());
      if ('refused' in decision) throw new ConflictError(decision.refused.code, decision.refused.message);
      await tx.incidents.append([decision.entry]);
      await tx.incidents.amend(decision.amendment);
      return (await tx.incidents.get(id))!;
    });
    deps.incidentWritten?.(updated);
    deps.incidentsChanged();
    return updated;
  });
}

export function addPostmortem(deps: ManagementDeps, id: string, message: string): Promise<Incident> {
  return deps.serial(async () => {
    const updated = await deps.store.transact(async (tx) => {
      const incident = await tx.incidents.get(id);
      if (!incident) throw new NotFoundError('incident', id);
      const decision = decidePostmortem(incident, message, deps.clock.now(), () => deps.ids.next());
      if ('refused' in decision) throw new ConflictError(decision.refused.code, decision.refused.message);
      await tx.incidents.append([decision.entry]);
      return (await tx.incidents.get(id))!;
    });
    deps.incidentsChanged();
    return updated;
  });
}
