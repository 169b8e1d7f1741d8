import type { FastifyInstance } from 'fastify';
import type { IncidentState } from '../../domain/state.js';
import { getIncident, listIncidents } from '../../read/incidents.js';
import type { Clock } from '../../runtime/clock.js';
import type { Store } from '../../storage/store.js';
import { cursorSchema, monitorIdSchema, recordIdSchema } from '../input.js';
import { errorResponses, incidentSchema } from '../schemas.js';

export function incidentRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock }): void {
  app.get<{ Querystring: { state?: IncidentState; monitor?: string; before?: string; limit: number } }>('/api/v1/incidents', {
    schema: {
      summary: 'Incidents, newest first, paged with `before`',
      tags: ['incidents'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          state: { type: 'string', enum: ['open', 'resolved'] },
          monitor: { ...monitorIdSchema, description: 'Only incidents affecting this monitor id' },
          before: cursorSchema,
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        },
      },
      response: {
        200: { type: 'object', properties: { incidents: { type: 'array', items: incidentSchema }, nextBefore: { type: ['string', 'null'] } } },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { state, monitor, before, limit } = request.query;
      return listIncidents(deps, {
        limit,
        ...(state ? { state } : {}),
        ...(monitor ? { monitorId: monitor } : {}),
        ...(before ? { before } : {}),
      });
    },
  });

  app.get<{ Params: { id: string } }>('/api/v1/incidents/:id', {
    schema: {
      summary: 'One incident with its whole timeline',
      tags: ['incidents'],
      params: { type: 'object', properties: { id: recordIdSchema }, required: ['id'] },
      response: { 200: incidentSchema, ...errorResponses },
    },
    handler: async (request) => getIncident(deps, request.params.id),
  });
}
