// The monitors Candor runs: those of the config file and those made through the API, with the
// maintenance windows made through the API folded into each monitor they cover. Pure.
import { isDeepStrictEqual } from 'node:util';
import type { MaintenanceRecord } from './management.js';
import type { MonitorSpec } from './monitor.js';

export type MonitorSource = 'config' | 'api';

export interface MonitorSetInput {
  readonly config: readonly MonitorSpec[];
  /** In the order they were made. */
  readonly api: readonly MonitorSpec[];
  readonly maintenance: readonly MaintenanceRecord[];
  /** `api.allowPrivateTargets`: API monitors may then reach any address. */
  readonly allowPrivateTargets: boolean;
}

/** What changed between two sets: monitors to start, to update in place, to stop. */
export interface MonitorChanges {
  readonly added: readonly MonitorSpec[];
  readonly changed: readonly MonitorSpec[];
  readonly removed: readonly string[];
}

export const NO_CHANGES: MonitorChanges = { added: [], changed: [], removed: [] };

export function isEmpty(changes: MonitorChanges): boolean {
  return changes.added.length + changes.changed.length + changes.removed.length === 0;
}

/** Whether a window made through the API covers a monitor: by id, or by the monitor's component. */
export function covers(record: MaintenanceRecord, monitor: MonitorSpec): boolean {
  return record.monitorIds.includes(monitor.id) || record.components.includes(monitor.component);
}

/** Config monitors first (in file order), then API monitors; each with the API windows that cover it. */
export function effectiveMonitors(input: MonitorSetInput): MonitorSpec[] {
  const effective = (monitor: MonitorSpec, fromApi: boolean): MonitorSpec => {
    const windows = input.maintenance.filter((record) => covers(record, monitor)).map((record) => record.window);
    const guarded = fromApi && !input.allowPrivateTargets;
    if (windows.length === 0 && !guarded) return monitor;
    return {
      ...monitor,
      ...(windows.length > 0 ? { maintenance: [...monitor.maintenance, ...windows] } : {}),
      ...(guarded ? { publicTargetsOnly: true as const } : {}),
    };
  };
  return [...input.config.map((m) => effective(m, false)), ...input.api.map((m) => effective(m, true))];
}

/** Monitors added, changed (in anything at all) and removed from `before` to `after`. */
export function diffMonitors(before: ReadonlyMap<string, MonitorSpec>, after: readonly MonitorSpec[]): MonitorChanges {
  const added: MonitorSpec[] = [];
  const changed: MonitorSpec[] = [];
  const ids = new Set<string>();
  for (const monitor of after) {
    ids.add(monitor.id);
    const previous = before.get(monitor.id);
    if (!previous) added.push(monitor);
    else if (!isDeepStrictEqual(previous, monitor)) changed.push(monitor);
  }
  const removed = [...before.keys()].filter((id) => !ids.has(id));
  return { added, changed, removed };
}
