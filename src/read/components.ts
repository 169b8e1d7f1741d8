// Components of a status page, with their monitors and current verdict.
import type { MonitorSpec, StatusPageSpec } from '../domain/monitor.js';
import type { MonitorState, MonitorStatus } from '../domain/state.js';
import { componentStatus, overallStatus, type ComponentStatus, type OverallStatus } from '../domain/status.js';

export interface PageComponent {
  readonly name: string;
  /** Stable id for the Statuspage API and anchors: the slugified name. */
  readonly id: string;
  readonly monitors: readonly { readonly spec: MonitorSpec; readonly status: MonitorStatus; readonly since?: number }[];
  readonly status: ComponentStatus;
}

export interface PageStatus {
  readonly components: readonly PageComponent[];
  readonly overall: OverallStatus;
}

/** Components in the page's order (config order when the page lists none), each with its monitors' states. */
export function pageStatus(
  page: StatusPageSpec,
  monitors: Iterable<MonitorSpec>,
  states: ReadonlyMap<string, MonitorState>,
): PageStatus {
  const byComponent = new Map<string, MonitorSpec[]>();
  for (const spec of monitors) {
    const list = byComponent.get(spec.component) ?? [];
    list.push(spec);
    byComponent.set(spec.component, list);
  }
  const taken = new Set<string>();
  // Names that slugify alike ("API" and "api", or two names without Latin letters) get -2, -3...
  const uniqueId = (base: string): string => {
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    return id;
  };
  const names = page.components.length > 0 ? page.components.filter((name) => byComponent.has(name)) : [...byComponent.keys()];
  const components = names.map((name): PageComponent => {
    const specs = byComponent.get(name) ?? [];
    const entries = specs.map((spec) => {
      const state = states.get(spec.id);
      return { spec, status: state?.status ?? 'pending', ...(state ? { since: state.since } : {}) } as const;
    });
    return { name, id: uniqueId(componentId(name)), monitors: entries, status: componentStatus(entries.map((e) => e.status)) };
  });
  const statuses = components.flatMap((c) => c.monitors.map((m) => m.status));
  // Right after a start nothing is confirmed yet: say so rather than claim all is well.
  const overall =
    statuses.length > 0 && statuses.every((s) => s === 'pending')
      ? { indicator: 'none' as const, description: 'Waiting for the first checks' }
      : overallStatus(components.map((c) => c.status));
  return { components, overall };
}

export function componentId(name: string): string {
  const slug = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  return slug || 'component';
}

/** The monitor ids a page shows. */
export function pageMonitorIds(status: PageStatus): Set<string> {
  return new Set(status.components.flatMap((c) => c.monitors.map((m) => m.spec.id)));
}
