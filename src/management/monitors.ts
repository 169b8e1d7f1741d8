// Monitors made through the API: create, replace, delete, pause, resume. Each write is committed
// before the registry (and so the checks, ingest and pages) takes it: an answered write survives a
// crash. Monitors of the config file are read-only here.
import { readMonitorBody } from '../config/api-body.js';
import { ConfigError } from '../config/problems.js';
import { BadRequestError, ConflictError, NotFoundError } from '../domain/errors.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { ManagementDeps } from './deps.js';
import type { ApiMonitor } from './registry.js';

type Body = Readonly<Record<string, unknown>>;

/** A stored API monitor's body read again (at start): a ConfigError means the rules changed since. */
export function apiMonitorOf(record: ApiMonitor['record']): ApiMonitor {
  return { spec: readMonitorBody(record.body), record };
}

function requireWritable(deps: ManagementDeps, id: string): ApiMonitor {
  const source = deps.registry.sourceOf(id);
  if (source === 'config') {
    throw new ConflictError('monitor_from_config', `monitor "${id}" comes from the config file (${'source: "config"'}) and can only be changed there`);
  }
  const monitor = deps.registry.apiMonitor(id);
  if (!monitor) throw new NotFoundError('monitor', id);
  return monitor;
}

function asBody(body: unknown): Body {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) throw new BadRequestError('expected a JSON object as the request body');
  return body as Body;
}

async function store(deps: ManagementDeps, body: Body, createdAt: number): Promise<MonitorSpec> {
  const spec = readMonitorBody(body);
  const record = { id: spec.id, body, createdAt, updatedAt: deps.clock.now() };
  await deps.store.transact((tx) => tx.management.putMonitor(record));
  deps.registry.putApi({ spec, record });
  return spec;
}

export function createMonitor(deps: ManagementDeps, input: unknown): Promise<MonitorSpec> {
  return deps.serial(async () => {
    const body = asBody(input);
    const spec = readMonitorBody(body);
    const source = deps.registry.sourceOf(spec.id);
    if (source === 'config') throw new ConflictError('monitor_from_config', `monitor "${spec.id}" exists in the config file; choose another id`);
    if (source === 'api') throw new ConflictError('monitor_exists', `monitor "${spec.id}" exists already (PUT /api/v1/monitors/${spec.id} replaces it)`);
    const created = await store(deps, body, deps.clock.now());
    deps.log.info({ monitor: spec.id }, 'monitor created through the API');
    return created;
  });
}

/** Replaces an API monitor's whole body; `id` may be left out, or must be the one in the path. */
export function replaceMonitor(deps: ManagementDeps, id: string, input: unknown): Promise<MonitorSpec> {
  return deps.serial(async () => {
    const existing = requireWritable(deps, id);
    const body = asBody(input);
    if (body['id'] !== undefined && body['id'] !== id) {
      throw new ConfigError([{ file: 'request body', line: 1, col: 1, path: 'id', message: `expected the id of the path ("${id}") or none, got ${JSON.stringify(body['id'])}` }]);
    }
    const updated = await store(deps, { ...body, id }, existing.record.createdAt);
    deps.log.info({ monitor: id }, 'monitor changed through the API');
    return updated;
  });
}

export function setPaused(deps: ManagementDeps, id: string, paused: boolean): Promise<MonitorSpec> {
  return deps.serial(async () => {
    const existing = requireWritable(deps, id);
    if (existing.spec.paused === paused) return existing.spec;
    const updated = await store(deps, { ...existing.record.body, paused }, existing.record.createdAt);
    deps.log.info({ monitor: id }, paused ? 'monitor paused through the API' : 'monitor resumed through the API');
    return updated;
  });
}

/** Deletes an API monitor; an incident it has open ends with it (nothing would ever resolve it). */
export function deleteMonitor(deps: ManagementDeps, id: string): Promise<void> {
  return deps.serial(async () => {
    const { spec } = requireWritable(deps, id);
    const openIncident = deps.openIncidentOf(id);
    const now = deps.clock.now();
    await deps.store.transact(async (tx) => {
      await tx.management.deleteMonitor(id);
      if (!openIncident) return;
      await tx.incidents.append([{ id: deps.ids.next(), incidentId: openIncident, at: now, kind: 'note', message: `${spec.name} was deleted; the incident ends here`, monitorId: id }]);
      await tx.incidents.resolve([{ id: openIncident, resolvedAt: now }]);
    });
    deps.registry.removeApi(id);
    if (openIncident) deps.incidentsChanged();
    deps.log.info({ monitor: id }, 'monitor deleted through the API');
  });
}
