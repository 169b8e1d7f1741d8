// What operators say about components through their open incidents: an incident given the impact
// `major` over "Checkout" makes that component at least a partial outage on every page, the banner and
// /api/v2, until it is resolved or its impact is lowered, even when the checks see nothing wrong (the
// operator knows something they do not). Kept in memory from the open incidents, updated on each write.
import type { Incident, IncidentImpact } from '../domain/state.js';
import { IMPACT_COMPONENT_STATUS, worseComponentStatus, type ComponentStatus } from '../domain/status.js';
import type { Store } from '../storage/store.js';

/** Open incidents read at start to find those with an impact. */
const LOAD_LIMIT = 500;

export class OperatorImpacts {
  private readonly byIncident = new Map<string, { readonly components: readonly string[]; readonly impact: IncidentImpact; readonly automatic: boolean; readonly monitorIds: readonly string[] }>();
  private cache: ReadonlyMap<string, ComponentStatus> | undefined;

  /** `componentsOf` gives the components of an incident's monitors, for incidents that name none. */
  constructor(private readonly componentsOf: (monitorIds: readonly string[]) => string[]) {}

  async load(store: Store): Promise<void> {
    for (const incident of await store.listIncidents({ state: 'open', limit: LOAD_LIMIT })) this.follow(incident);
  }

  /** Takes an incident as it is now (after any write). */
  follow(incident: Incident): void {
    this.cache = undefined;
    if (incident.state !== 'open' || incident.impact === undefined) {
      this.byIncident.delete(incident.id);
      return;
    }
    const components = incident.components ?? this.componentsOf(incident.monitorIds);
    this.byIncident.set(incident.id, { components, impact: incident.impact, automatic: incident.source !== 'manual', monitorIds: incident.monitorIds });
  }

  /** Candor's own incidents end when their monitors recover (ingest), not through an operator's write. */
  recovered(monitorId: string): void {
    for (const [id, entry] of this.byIncident) {
      if (entry.automatic && entry.monitorIds.includes(monitorId)) {
        this.byIncident.delete(id);
        this.cache = undefined;
      }
    }
  }

  /** The worst status operators give each component they named; components not named are absent. */
  byComponent(): ReadonlyMap<string, ComponentStatus> {
    if (this.cache) return this.cache;
    const worst = new Map<string, ComponentStatus>();
    for (const { components, impact } of this.byIncident.values()) {
      const status = IMPACT_COMPONENT_STATUS[impact];
      if (status === 'operational') continue;
      for (const name of components) worst.set(name, worseComponentStatus(worst.get(name) ?? 'operational', status));
    }
    this.cache = worst;
    return worst;
  }
}
