// Monitor events that are worth a notice, as a table: event type → notice kind and what it says of
// the monitor. Event types not listed (error_changed, maintenance_started, ...) send nothing.
// `partial` comes from consensus across vantages (scope: the failing vantages and regions); any
// event type added later is one more row here.

import type { Notice, NoticeKind, NoticeMonitor } from '../domain/alerting.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Evidence } from '../domain/state.js';

/** A MonitorEvent as far as notices need it; types beyond today's union are read by their fields. */
export interface EventLike {
  readonly type: string;
  readonly at: number;
}

type Scope = { readonly vantages: readonly string[]; readonly regions: readonly string[] };

interface EventRow {
  readonly kind: NoticeKind;
  /** What the event adds to the monitor's line. */
  readonly describe: (event: Record<string, unknown>) => Partial<NoticeMonitor>;
}

const errorOf = (evidence: unknown): Partial<NoticeMonitor> => {
  const found = evidence as Evidence | undefined;
  return {
    ...(found?.errorKind ? { errorKind: found.errorKind } : {}),
    ...(found?.errorMessage ? { errorMessage: found.errorMessage } : {}),
  };
};

const scopeOf = (event: Record<string, unknown>): Partial<NoticeMonitor> => {
  const scope = event['scope'] as Scope | undefined;
  return scope ? { scope: { vantages: [...(scope.vantages ?? [])], regions: [...(scope.regions ?? [])] } } : {};
};

export const EVENT_NOTICES: Readonly<Record<string, EventRow>> = {
  went_down: { kind: 'went_down', describe: (event) => errorOf(event['confirmation']) },
  recovered: { kind: 'recovered', describe: (event) => (typeof event['downSince'] === 'number' ? { downSince: event['downSince'] } : {}) },
  degraded: { kind: 'degraded', describe: () => ({}) },
  partial: { kind: 'partial', describe: (event) => ({ ...scopeOf(event), ...errorOf(event['evidence']) }) },
};

export function noticesOfEvent(event: EventLike, monitor: MonitorSpec, regionOf?: (vantage: string) => string | undefined): Notice[] {
  const row = EVENT_NOTICES[event.type];
  if (!row) return [];
  const described = row.describe(event as unknown as Record<string, unknown>);
  // A scope that names vantages only gets their regions, so routes can choose by region.
  const scope = described.scope && regionOf && described.scope.regions.length === 0
    ? { ...described.scope, regions: [...new Set(described.scope.vantages.map(regionOf).filter((region): region is string => region !== undefined))] }
    : described.scope;
  const line: NoticeMonitor = { id: monitor.id, name: monitor.name, component: monitor.component, ...described, ...(scope ? { scope } : {}) };
  return [{ kind: row.kind, at: event.at, monitors: [line] }];
}
