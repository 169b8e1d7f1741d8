import type { FastifyInstance } from 'fastify';
import { BadRequestError, ForbiddenError } from '../../domain/errors.js';
import type { UptimeWindow } from '../../domain/uptime.js';
import { getMonitor, listMonitorResults, listMonitors, monitorUptime, resultsArePublic, type ReadDeps } from '../../read/monitors.js';
import { calendarDateExists, cursorSchema, monitorIdSchema } from '../input.js';
import { errorResponses, monitorSchema, resultSchema, uptimeSchema } from '../schemas.js';

const idParams = { type: 'object', properties: { id: monitorIdSchema }, required: ['id'] } as const;

export function monitorRoutes(app: FastifyInstance, deps: ReadDeps): void {
  app.get('/api/v1/monitors', {
    schema: {
      summary: 'All monitors with their current state and last result',
      tags: ['monitors'],
      response: { 200: { type: 'object', properties: { monitors: { type: 'array', items: monitorSchema } } } },
    },
    handler: async () => ({ monitors: await listMonitors(deps) }),
  });

  app.get<{ Params: { id: string } }>('/api/v1/monitors/:id', {
    schema: { summary: 'One monitor', tags: ['monitors'], params: idParams, response: { 200: monitorSchema, ...errorResponses } },
    handler: async (request) => getMonitor(deps, request.params.id),
  });

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string; before?: string; vantage?: string; limit: number } }>(
    '/api/v1/monitors/:id/results',
    {
      schema: {
        summary: 'Raw results of one monitor, newest first, paged with `before`',
        tags: ['monitors'],
        params: idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            from: { type: 'string', description: 'Inclusive start: ISO 8601 time or epoch milliseconds' },
            to: { type: 'string', description: 'Exclusive end: ISO 8601 time or epoch milliseconds' },
            before: cursorSchema,
            vantage: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9._-]+$', description: 'Only the results of this vantage ("local" is the hub)' },
            limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
          },
        },
        response: {
          200: {
            type: 'object',
            properties: { results: { type: 'array', items: resultSchema }, nextBefore: { type: ['string', 'null'] } },
          },
          ...errorResponses,
          403: { $ref: 'Problem#', description: 'Raw results are private (api.publicResults: false)' },
        },
      },
      handler: async (request) => {
        if (!resultsArePublic(deps)) throw new ForbiddenError('results_private', 'raw results are private on this Candor (api.publicResults: false)');
        const { from, to, before, vantage, limit } = request.query;
        return listMonitorResults(deps, request.params.id, {
          limit,
          ...(vantage !== undefined ? { vantage } : {}),
          ...(from !== undefined ? { from: parseTime(from, 'from') } : {}),
          ...(to !== undefined ? { to: parseTime(to, 'to') } : {}),
          ...(before !== undefined ? { before } : {}),
        });
      },
    },
  );

  app.get<{ Params: { id: string }; Querystring: { window: UptimeWindow } }>('/api/v1/monitors/:id/uptime', {
    schema: {
      summary: 'Uptime over a window, from rollups',
      tags: ['monitors'],
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { window: { type: 'string', enum: ['24h', '7d', '30d', '90d'], default: '24h' } },
      },
      response: { 200: uptimeSchema, ...errorResponses },
    },
    handler: async (request) => monitorUptime(deps, request.params.id, request.query.window),
  });
}

/** ISO 8601 time or epoch milliseconds. */
export function parseTime(value: string, name: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  // Within JavaScript's date range (±8.64e15 ms), which every database integer column holds too.
  const isEpoch = /^\d+$/.test(value);
  if (!Number.isSafeInteger(ms) || Math.abs(ms) > 8.64e15 || !(isEpoch || calendarDateExists(value))) {
    throw new BadRequestError(`query parameter "${name}": expected an ISO 8601 time or epoch milliseconds, got "${value}"`);
  }
  return ms;
}
