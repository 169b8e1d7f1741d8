// Writes to monitors: create, replace, delete, pause, resume. Bodies are read with the config's rules
// (config/api-body.ts): a refused body is a 400 problem listing every problem at its JSON path.
import type { FastifyInstance } from 'fastify';
import type { ManagementDeps } from '../../management/deps.js';
import { createMonitor, deleteMonitor, replaceMonitor, setPaused } from '../../management/monitors.js';
import { getMonitor, type ReadDeps } from '../../read/monitors.js';
import { monitorIdSchema } from '../input.js';
import { monitorSchema } from '../schemas.js';

const idParams = { type: 'object', properties: { id: monitorIdSchema }, required: ['id'] } as const;

/**
 * Documents the body; checking it is left to the config's rules, so its messages are those of
 * candor.yaml. Any key of a monitor in the config is accepted (see docs/config.md).
 */
export const monitorBodySchema = {
  type: 'object',
  description: 'A monitor as under `monitors:` in candor.yaml, as JSON (docs/config.md). Durations are strings like "30s".',
  properties: {
    id: { description: 'a-z, 0-9 and -, 1 to 64 characters; unique' },
    type: { description: 'http, tcp, dns or tls' },
    name: { description: 'Display name (default: the id)' },
    url: { description: 'http: the URL checked' },
    host: { description: 'tcp, tls: the host' },
    port: { description: 'tcp, tls: the port' },
    interval: { description: 'e.g. "30s" (default 60s)' },
    timeout: { description: 'e.g. "5s"' },
    component: { description: 'Status-page component (default: the name)' },
    paused: { description: 'true: not checked' },
    maintenance: { description: 'Maintenance windows, as in the config' },
    expect: { description: 'Assertions, as in the config' },
  },
} as const;

const problems = {
  400: { $ref: 'Problem#', description: 'The body breaks the config rules: `problems` lists each with its JSON path' },
  404: { $ref: 'Problem#' },
  409: { $ref: 'Problem#', description: '`monitor_from_config` (config monitors are read-only here) or `monitor_exists`' },
} as const;

export function manageMonitorRoutes(app: FastifyInstance, deps: { read: ReadDeps; manage: ManagementDeps }): void {
  app.post('/api/v1/monitors', {
    config: { scope: 'write' },
    schema: { summary: 'Create a monitor (source "api"); it starts being checked at once', tags: ['monitors'], body: monitorBodySchema, response: { 201: monitorSchema, ...problems } },
    handler: async (request, reply) => {
      const spec = await createMonitor(deps.manage, request.body);
      return reply.code(201).header('location', `/api/v1/monitors/${spec.id}`).send(await getMonitor(deps.read, spec.id));
    },
  });

  app.put<{ Params: { id: string } }>('/api/v1/monitors/:id', {
    config: { scope: 'write' },
    schema: { summary: 'Replace a monitor made through the API (its state and schedule go on unless its interval changed)', tags: ['monitors'], params: idParams, body: monitorBodySchema, response: { 200: monitorSchema, ...problems } },
    handler: async (request) => {
      await replaceMonitor(deps.manage, request.params.id, request.body);
      return getMonitor(deps.read, request.params.id);
    },
  });

  app.delete<{ Params: { id: string } }>('/api/v1/monitors/:id', {
    config: { scope: 'write' },
    schema: { summary: 'Delete a monitor made through the API (its results stay until retention)', tags: ['monitors'], params: idParams, response: { 204: { type: 'null', description: 'Deleted' }, ...problems } },
    handler: async (request, reply) => {
      await deleteMonitor(deps.manage, request.params.id);
      return reply.code(204).send();
    },
  });

  for (const action of ['pause', 'resume'] as const) {
    app.post<{ Params: { id: string } }>(`/api/v1/monitors/:id/${action}`, {
      config: { scope: 'write' },
      schema: {
        summary: action === 'pause' ? 'Pause a monitor made through the API: it is not checked until resumed' : 'Resume a paused monitor',
        tags: ['monitors'],
        params: idParams,
        response: { 200: monitorSchema, ...problems },
      },
      handler: async (request) => {
        await setPaused(deps.manage, request.params.id, action === 'pause');
        return getMonitor(deps.read, request.params.id);
      },
    });
  }
}
