// Maintenance windows made through the API: over monitors (by id) and/or components (by name), fixed
// or recurring. They are folded into the monitors they cover (domain/monitor-set.ts), so verdicts,
// states and pages treat them exactly as windows written in the config.
import { readMaintenanceBody } from '../config/api-body.js';
import { BadRequestError, NotFoundError } from '../domain/errors.js';
import type { MaintenanceRecord } from '../domain/management.js';
import type { ManagementDeps } from './deps.js';

export function createMaintenance(deps: ManagementDeps, body: unknown): Promise<MaintenanceRecord> {
  return deps.serial(async () => {
    const read = readMaintenanceBody(body);
    const unknownMonitors = read.monitorIds.filter((id) => !deps.registry.monitors.has(id));
    if (unknownMonitors.length > 0) throw new BadRequestError(`monitors: no monitor ${unknownMonitors.map((id) => JSON.stringify(id)).join(', ')}`);
    const known = deps.registry.components();
    const unknownComponents = read.components.filter((name) => !known.has(name));
    if (unknownComponents.length > 0) throw new BadRequestError(`components: no component ${unknownComponents.map((n) => JSON.stringify(n)).join(', ')}`);
    const record: MaintenanceRecord = {
      id: deps.ids.next(),
      ...(read.window.title !== undefined ? { title: read.window.title } : {}),
      monitorIds: read.monitorIds,
      components: read.components,
      window: read.window,
      createdAt: deps.clock.now(),
    };
    await deps.store.transact((tx) => tx.management.addMaintenance(record));
    deps.registry.setMaintenance([...deps.registry.windows(), record]);
    return record;
  });
}

export function deleteMaintenance(deps: ManagementDeps, id: string): Promise<void> {
  return deps.serial(async () => {
    if (!deps.registry.windows().some((w) => w.id === id)) throw new NotFoundError('maintenance window', id);
    await deps.store.transact((tx) => tx.management.deleteMaintenance(id));
    deps.registry.setMaintenance(deps.registry.windows().filter((w) => w.id !== id));
  });
}
