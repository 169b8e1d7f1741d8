// The one registry of monitors the composition root owns: config monitors and API monitors together,
// with the API's maintenance windows folded in. Its `monitors` map is the one the checks, ingest and
// the read side all look monitors up in; it changes in place, and every change is told to the
// listeners (the checks thread, ingest's states, the pages' caches) with exactly what changed, so
// monitors that did not change keep their schedule and state.
import type { ApiMonitorRecord, MaintenanceRecord } from '../domain/management.js';
import type { ApiSettings, MonitorSpec } from '../domain/monitor.js';
import { diffMonitors, effectiveMonitors, isEmpty, type MonitorChanges, type MonitorSource } from '../domain/monitor-set.js';

export type MonitorListener = (changes: MonitorChanges) => void;

export interface ApiMonitor {
  readonly spec: MonitorSpec;
  readonly record: ApiMonitorRecord;
}

export class MonitorRegistry {
  /** Every monitor as it runs now (effective specs), config ones first. Changed in place. */
  readonly monitors = new Map<string, MonitorSpec>();
  private config: readonly MonitorSpec[] = [];
  private configIds = new Set<string>();
  private readonly api = new Map<string, ApiMonitor>();
  private maintenance: readonly MaintenanceRecord[] = [];
  private allowPrivateTargets = false;
  private readonly listeners: MonitorListener[] = [];
  private changeCount = 0;

  constructor(config: readonly MonitorSpec[], api?: ApiSettings) {
    this.config = config;
    this.configIds = new Set(config.map((m) => m.id));
    this.allowPrivateTargets = api?.allowPrivateTargets === true;
    this.rebuild();
  }

  /** Grows whenever a monitor or window changed: what was rendered before may be stale. */
  get revision(): number {
    return this.changeCount;
  }

  onChange(listener: MonitorListener): void {
    this.listeners.push(listener);
  }

  sourceOf(id: string): MonitorSource | undefined {
    if (this.configIds.has(id)) return 'config';
    return this.api.has(id) ? 'api' : undefined;
  }

  apiMonitor(id: string): ApiMonitor | undefined {
    return this.api.get(id);
  }

  /** Every component name in use. */
  components(): Set<string> {
    return new Set([...this.monitors.values()].map((m) => m.component));
  }

  windows(): readonly MaintenanceRecord[] {
    return this.maintenance;
  }

  /** Loads what is stored (at start): no listener is told, nothing runs yet. */
  load(api: readonly ApiMonitor[], maintenance: readonly MaintenanceRecord[]): MonitorChanges {
    for (const monitor of api) this.api.set(monitor.spec.id, monitor);
    this.maintenance = maintenance;
    return this.rebuild();
  }

  /** A reloaded config: its monitors and whether API monitors may reach private addresses. */
  setConfig(config: readonly MonitorSpec[], api?: ApiSettings): MonitorChanges {
    this.config = config;
    this.configIds = new Set(config.map((m) => m.id));
    this.allowPrivateTargets = api?.allowPrivateTargets === true;
    return this.rebuild();
  }

  putApi(monitor: ApiMonitor): MonitorChanges {
    this.api.set(monitor.spec.id, monitor);
    return this.rebuild();
  }

  removeApi(id: string): MonitorChanges {
    this.api.delete(id);
    return this.rebuild();
  }

  setMaintenance(maintenance: readonly MaintenanceRecord[]): MonitorChanges {
    this.maintenance = maintenance;
    return this.rebuild();
  }

  private rebuild(): MonitorChanges {
    const after = effectiveMonitors({
      config: this.config,
      api: [...this.api.values()].filter((m) => !this.configIds.has(m.spec.id)).map((m) => m.spec),
      maintenance: this.maintenance,
      allowPrivateTargets: this.allowPrivateTargets,
    });
    const changes = diffMonitors(this.monitors, after);
    if (isEmpty(changes) && [...this.monitors.keys()].every((id, i) => after[i]?.id === id)) return changes;
    this.changeCount++;
    // Refilled in one synchronous step: no reader ever sees it half done.
    this.monitors.clear();
    for (const monitor of after) this.monitors.set(monitor.id, monitor);
    if (!isEmpty(changes)) for (const listener of this.listeners) listener(changes);
    return changes;
  }
}
