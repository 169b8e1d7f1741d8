// At start: the monitors and maintenance windows made through the API, read back from the store.
import type { Logger } from 'pino';
import { ConfigError } from '../config/problems.js';
import type { Store } from '../storage/store.js';
import { apiMonitorOf } from './monitors.js';
import type { ApiMonitor, MonitorRegistry } from './registry.js';

/**
 * Each stored monitor is read with today's config rules. One that no longer passes (the rules grew
 * stricter in an upgrade) is left out and logged with its problems, not dropped from the store; one
 * whose id the config file now uses is shadowed by the config's.
 */
export async function loadManagedMonitors(deps: { store: Store; registry: MonitorRegistry; log: Logger }): Promise<void> {
  const records = await deps.store.listApiMonitors();
  const monitors: ApiMonitor[] = [];
  for (const record of records) {
    if (deps.registry.sourceOf(record.id) === 'config') {
      deps.log.warn({ monitor: record.id }, 'a monitor made through the API has the id of a config monitor: the config one runs');
      continue;
    }
    try {
      monitors.push(apiMonitorOf(record));
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      deps.log.error({ monitor: record.id, problems: error.format() }, 'a monitor made through the API no longer passes validation: it is not run');
    }
  }
  deps.registry.load(monitors, await deps.store.listMaintenance());
}
