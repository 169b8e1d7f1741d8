// Status-page verdicts from monitor states: per component and overall. Pure.
// The vocabulary follows Atlassian Statuspage v2, so /api/v2 can serve it unchanged.
import type { MonitorStatus } from './state.js';

export type ComponentStatus = 'operational' | 'degraded_performance' | 'partial_outage' | 'major_outage' | 'under_maintenance';
export type Indicator = 'none' | 'minor' | 'major' | 'critical' | 'maintenance';

export interface OverallStatus {
  readonly indicator: Indicator;
  /** e.g. "All Systems Operational", "Partial System Outage". */
  readonly description: string;
}

/**
 * A component is as healthy as its monitors: all down is a major outage, some down (or any down from
 * some places only) a partial one,
 * any degraded is degraded performance, all in maintenance is under maintenance. Paused monitors do not
 * count; pending ones count as operational (nothing is known against them yet).
 */
export function componentStatus(statuses: readonly MonitorStatus[]): ComponentStatus {
  const counted = statuses.filter((s) => s !== 'paused');
  if (counted.length === 0) return 'operational';
  const down = counted.filter((s) => s === 'down').length;
  // A monitor down for some places only (partial) makes a partial outage, never a major one.
  if (down > 0 || counted.includes('partial')) return down === counted.length ? 'major_outage' : 'partial_outage';
  if (counted.some((s) => s === 'degraded')) return 'degraded_performance';
  if (counted.every((s) => s === 'maintenance')) return 'under_maintenance';
  return 'operational';
}

const SEVERITY: Record<ComponentStatus, number> = {
  operational: 0,
  under_maintenance: 1,
  degraded_performance: 2,
  partial_outage: 3,
  major_outage: 4,
};

/** The worst component decides, as on hosted status pages. */
export function overallStatus(components: readonly ComponentStatus[]): OverallStatus {
  const worst = components.reduce<ComponentStatus>((a, b) => (SEVERITY[b] > SEVERITY[a] ? b : a), 'operational');
  switch (worst) {
    case 'operational':
      return { indicator: 'none', description: 'All Systems Operational' };
    case 'under_maintenance':
      return { indicator: 'maintenance', description: 'Service Under Maintenance' };
    case 'degraded_performance':
      return { indicator: 'minor', description: 'Degraded Performance' };
    case 'partial_outage':
      return { indicator: 'major', description: 'Partial System Outage' };
    case 'major_outage':
      return { indicator: 'critical', description: 'Major System Outage' };
  }
}

export const COMPONENT_STATUS_LABEL: Record<ComponentStatus, string> = {
  operational: 'Operational',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
  under_maintenance: 'Under maintenance',
};

/** What an operator's impact on an open incident says of the components it names. */
export const IMPACT_COMPONENT_STATUS: Record<'none' | 'minor' | 'major' | 'critical', ComponentStatus> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

/** The worse of two component statuses. */
export function worseComponentStatus(a: ComponentStatus, b: ComponentStatus): ComponentStatus {
  return SEVERITY[b] > SEVERITY[a] ? b : a;
}
