// GET /api/v1/audit: every write through the API, newest first (admin tokens only).
import type { FastifyInstance } from 'fastify';
import { iso } from '../../read/serialise.js';
import type { Store } from '../../storage/store.js';
import { cursorSchema } from '../input.js';
import { errorResponses } from '../schemas.js';

const auditEntrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    at: { type: 'string', format: 'date-time' },
    token: { type: ['string', 'null'], description: 'Name of the API token used; null when none was (refused, or an agent)' },
    method: { type: 'string' },
    route: { type: 'string', description: 'The route as declared, like /api/v1/monitors/:id' },
    target: { type: 'object', additionalProperties: { type: 'string' }, description: "The route's path parameters" },
    status: { type: 'integer', description: 'The HTTP status answered' },
    address: { type: 'string', description: 'Source address of the request' },
  },
  required: ['id', 'at', 'token', 'method', 'route', 'target', 'status', 'address'],
} as const;

export function auditRoutes(app: FastifyInstance, deps: { store: Store }): void {
  app.get<{ Querystring: { before?: string; limit: number } }>('/api/v1/audit', {
    config: { scope: 'admin' },
    schema: {
      summary: 'The audit log: every write through the API with token name, route, target, time and outcome, newest first, paged with `before`',
      tags: ['access'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { before: cursorSchema, limit: { type: 'integer', minimum: 1, maximum: 500, default: 100 } },
      },
      response: {
        200: { type: 'object', properties: { entries: { type: 'array', items: auditEntrySchema }, nextBefore: { type: ['string', 'null'] } }, required: ['entries', 'nextBefore'] },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { before, limit } = request.query;
      const entries = await deps.store.listAudit({ limit, ...(before !== undefined ? { before } : {}) });
      const last = entries.at(-1);
      return {
        entries: entries.map(({ at, token, ...entry }) => ({ ...entry, at: iso(at), token: token ?? null })),
        nextBefore: entries.length === limit && last ? last.id : null,
      };
    },
  });
}
