// Components of a status page, with their monitors and current verdict. A page never claims what it
// does not know: a component none of whose monitors has a confirmed state is "unknown", and so is every
// component while this checker's own network is down (its last verdicts are no longer current).
import type { MonitorSpec, StatusPageSpec } from '../domain/monitor.js';
import type { MonitorState, MonitorStatus } from '../domain/state.js';
import { componentStatus, overallStatus, worseComponentStatus, type ComponentStatus, type Indicator } from '../domain/status.js';

/** A Statuspage component status, or "unknown": nothing confirmed, or the checker is offline. */
export type PageComponentStatus = ComponentStatus | 'unknown';
export type PageIndicator = Indicator | 'unknown';

export interface PageOverall {
  readonly indicator: PageIndicator;
  /** e.g. "All Systems Operational", "No data yet". */
  readonly description: string;
}

export interface PageComponent {
  readonly name: string;
  /** Stable id for the Statuspage API and anchors: the slugified name. */
  readonly id: string;
  readonly monitors: readonly { readonly spec: MonitorSpec; readonly status: MonitorStatus; readonly since?: number }[];
  readonly status: PageComponentStatus;
}

export interface PageStatus {
  readonly components: readonly PageComponent[];
  readonly overall: PageOverall;
  /** The checker's own network is down: no verdict on the page is current. */
  readonly vantageImpaired: boolean;
}

export const NO_DATA_YET = 'No data yet';
export const CHECKER_OFFLINE = 'No current data: this checker is offline';
export const SOME_UNKNOWN = 'No known issues; some components have no data yet';

/** States that rest on checks that reached their targets (or on a maintenance window). */
const CONFIRMED: ReadonlySet<MonitorStatus> = new Set<MonitorStatus>(['up', 'degraded', 'down', 'partial', 'maintenance']);

/** Unknown while none of its monitors has a confirmed state; else as the domain decides (src/domain/status.ts). */
export function knownComponentStatus(statuses: readonly MonitorStatus[], vantageImpaired = false): PageComponentStatus {
  if (vantageImpaired || !statuses.some((s) => CONFIRMED.has(s))) return 'unknown';
  return componentStatus(statuses);
}

/**
 * The banner: unknown while the checker is offline or while no component is known; otherwise the
 * worst known component decides, and "all operational" is only said when every component is known.
 */
export function pageOverall(components: readonly PageComponentStatus[], vantageImpaired = false): PageOverall {
  if (vantageImpaired) return { indicator: 'unknown', description: CHECKER_OFFLINE };
  const known = components.filter((c): c is ComponentStatus => c !== 'unknown');
  if (known.length === 0) return { indicator: 'unknown', description: NO_DATA_YET };
  const overall = overallStatus(known);
  if (overall.indicator === 'none' && known.length < components.length) return { indicator: 'none', description: SOME_UNKNOWN };
  return overall;
}

/** Components in the page's order (config order when the page lists none), each with its monitors' states. */
export function pageStatus(
  page: StatusPageSpec,
  monitors: Iterable<MonitorSpec>,
  states: ReadonlyMap<string, MonitorState>,
  vantageImpaired = false,
  /** Components operators gave an impact through an open incident: at least that bad. */
  operator?: ReadonlyMap<string, ComponentStatus>,
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
    const checked = knownComponentStatus(entries.map((e) => e.status), vantageImpaired);
    const declared = operator?.get(name);
    // An operator's word is knowledge too: it stands even while the checks know nothing.
    const status = declared === undefined ? checked : checked === 'unknown' ? declared : worseComponentStatus(checked, declared);
    return { name, id: uniqueId(componentId(name)), monitors: entries, status };
  });
  return { components, overall: pageOverall(components.map((c) => c.status), vantageImpaired), vantageImpaired };
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
