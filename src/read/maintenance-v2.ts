// Scheduled maintenances in the Statuspage v2 format, from the maintenance windows of the monitors on
// a page (config windows and those made through the API alike): each occurrence running now or due in
// the next 7 days, one maintenance per (start, end, title) with the components whose monitors it covers.
// Pure. docs/statuspage.md says where each field comes from.
import { createHash } from 'node:crypto';
import { maintenanceOccurrences } from '../domain/maintenance.js';
import type { PageComponent } from './components.js';
import { iso } from './serialise.js';
import type { KnownComponent, V2Component, V2Context, V2IncidentUpdate } from './statuspage-v2.js';

export const MAINTENANCE_HORIZON_MS = 7 * 86_400_000;

export type V2MaintenanceStatus = 'scheduled' | 'in_progress';

export interface V2ScheduledMaintenance {
  readonly id: string;
  readonly name: string;
  readonly status: V2MaintenanceStatus;
  readonly created_at: string;
  readonly updated_at: string;
  readonly monitoring_at: null;
  readonly resolved_at: null;
  readonly impact: 'maintenance';
  readonly shortlink: string;
  readonly started_at: string;
  readonly page_id: string;
  readonly scheduled_for: string;
  readonly scheduled_until: string;
  /** Shaped like an incident's updates, with the maintenance statuses. */
  readonly incident_updates: readonly (Omit<V2IncidentUpdate, 'status'> & { readonly status: V2MaintenanceStatus })[];
  readonly components: readonly V2Component[];
}

/** `toComponent` is statuspage-v2's own component mapping (passed in: that module builds on this one). */
export function v2ScheduledMaintenances(
  context: V2Context,
  toComponent: (context: V2Context, component: KnownComponent, index: number) => V2Component,
  only?: V2MaintenanceStatus,
): V2ScheduledMaintenance[] {
  const groups = new Map<string, { start: number; end: number; title?: string; components: Map<string, { component: PageComponent; index: number }> }>();
  context.status.components.forEach((component, index) => {
    for (const { spec } of component.monitors) {
      for (const window of spec.maintenance) {
        for (const occurrence of maintenanceOccurrences(window, context.now, context.now + MAINTENANCE_HORIZON_MS)) {
          const key = `${occurrence.start}\u0000${occurrence.end}\u0000${occurrence.title ?? ''}`;
          const group = groups.get(key) ?? { ...occurrence, components: new Map() };
          group.components.set(component.id, { component, index });
          groups.set(key, group);
        }
      }
    }
  });
  const maintenances = [...groups.entries()].map(([key, group]) => {
    const id = createHash('sha256').update(`${context.page.slug}\u0000${key}`).digest('hex').slice(0, 16);
    const status: V2MaintenanceStatus = group.start <= context.now ? 'in_progress' : 'scheduled';
    const name = group.title ?? 'Scheduled maintenance';
    const components = [...group.components.values()].sort((a, b) => a.index - b.index);
    // Candor keeps no creation time for a window: it is published from when it is first due or from now.
    const created = iso(Math.min(group.start, context.now));
    const names = components.map(({ component }) => component.name).join(', ');
    return {
      id,
      name,
      status,
      created_at: created,
      updated_at: created,
      monitoring_at: null,
      resolved_at: null,
      impact: 'maintenance' as const,
      shortlink: context.pageUrl,
      started_at: iso(group.start),
      page_id: context.page.slug,
      scheduled_for: iso(group.start),
      scheduled_until: iso(group.end),
      incident_updates: [
        {
          id: `${id}-1`,
          status,
          body: `${name}: ${names}, ${iso(group.start)} to ${iso(group.end)}. Checks in this window are not counted against uptime.`,
          incident_id: id,
          created_at: created,
          updated_at: created,
          display_at: created,
          affected_components: null,
          deliver_notifications: false,
          custom_tweet: null,
          tweet_id: null,
        },
      ],
      components: components.flatMap(({ component, index }) => (component.status === 'unknown' ? [] : [toComponent(context, { ...component, status: component.status }, index)])),
    };
  });
  return maintenances.filter((m) => only === undefined || m.status === only).sort((a, b) => (a.scheduled_for < b.scheduled_for ? -1 : a.scheduled_for > b.scheduled_for ? 1 : a.id < b.id ? -1 : 1));
}
