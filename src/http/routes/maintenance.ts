// Maintenance windows made through the API: create, list, delete. Windows from the config file stay
// under their monitors (GET /api/v1/monitors shows them there); these are listed here.
import type { FastifyInstance } from 'fastify';
import type { MaintenanceRecord } from '../../domain/management.js';
import type { ManagementDeps } from '../../management/deps.js';
import { createMaintenance, deleteMaintenance } from '../../management/maintenance.js';
import { activeMaintenance } from '../../domain/maintenance.js';
import { iso } from '../../read/serialise.js';
import { recordIdSchema } from '../input.js';

const isoTime = { type: 'string', format: 'date-time' } as const;

export const maintenanceSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    title: { type: ['string', 'null'] },
    monitors: { type: 'array', items: { type: 'string' } },
    components: { type: 'array', items: { type: 'string' } },
    kind: { type: 'string', enum: ['fixed', 'cron'] },
    start: { ...isoTime, description: 'Fixed windows' },
    end: { ...isoTime, description: 'Fixed windows' },
    cron: { type: 'string', description: 'Recurring windows' },
    durationSeconds: { type: 'number', description: 'Recurring windows' },
    timezone: { type: 'string', description: 'Recurring windows' },
    active: { type: 'boolean', description: 'Covers the present moment' },
    createdAt: isoTime,
  },
} as const;

const bodySchema = {
  type: 'object',
  description: 'A window as under a monitor\'s `maintenance:` in candor.yaml (start and end, or cron and duration, with optional timezone and title), plus what it covers',
  properties: {
    monitors: { description: 'Monitor ids' },
    components: { description: 'Component names: every monitor of the component' },
    start: { description: 'ISO 8601 time with a zone' },
    end: { description: 'ISO 8601 time with a zone' },
    cron: { description: 'e.g. "0 3 * * 0"' },
    duration: { description: 'e.g. "1h"' },
    timezone: { description: 'IANA time zone of the cron expression (default UTC)' },
    title: { description: 'Shown with the window' },
  },
} as const;

export function maintenanceJson(record: MaintenanceRecord, now: number) {
  const window = record.window;
  return {
    id: record.id,
    title: record.title ?? null,
    monitors: record.monitorIds,
    components: record.components,
    kind: window.kind,
    ...(window.kind === 'fixed'
      ? { start: iso(window.startAt), end: iso(window.endAt) }
      : { cron: window.cron, durationSeconds: window.durationMs / 1000, timezone: window.timezone }),
    active: activeMaintenance([window], now) !== undefined,
    createdAt: iso(record.createdAt),
  };
}

export function maintenanceRoutes(app: FastifyInstance, deps: ManagementDeps): void {
  app.get('/api/v1/maintenance', {
    schema: { summary: 'Maintenance windows made through the API, oldest first', tags: ['maintenance'], response: { 200: { type: 'object', properties: { maintenance: { type: 'array', items: maintenanceSchema } } } } },
    handler: async () => ({ maintenance: deps.registry.windows().map((record) => maintenanceJson(record, deps.clock.now())) }),
  });

  app.post('/api/v1/maintenance', {
    config: { scope: 'write' },
    schema: {
      summary: 'Plan a maintenance window over monitors and/or components',
      tags: ['maintenance'],
      body: bodySchema,
      response: { 201: maintenanceSchema, 400: { $ref: 'Problem#', description: 'The body breaks the config rules: `problems` lists each with its JSON path' } },
    },
    handler: async (request, reply) => {
      const record = await createMaintenance(deps, request.body);
      return reply.code(201).header('location', `/api/v1/maintenance/${record.id}`).send(maintenanceJson(record, deps.clock.now()));
    },
  });

  app.delete<{ Params: { id: string } }>('/api/v1/maintenance/:id', {
    config: { scope: 'write' },
    schema: {
      summary: 'Delete a maintenance window made through the API',
      tags: ['maintenance'],
      params: { type: 'object', properties: { id: recordIdSchema }, required: ['id'] },
      response: { 204: { type: 'null', description: 'Deleted' }, 400: { $ref: 'Problem#' }, 404: { $ref: 'Problem#' } },
    },
    handler: async (request, reply) => {
      await deleteMaintenance(deps, request.params.id);
      return reply.code(204).send();
    },
  });
}
