import type { FastifyInstance } from 'fastify';
import { listPolicies, listProvenanceChanges, monitorProvenance, monitorProvenanceHistory, type ProvenanceReadDeps } from '../../read/provenance.js';
import { monitorIdSchema } from '../input.js';
import { changeSchema, ledgerEntrySchema, policySchema, violationSchema } from '../provenance-schemas.js';
import { errorResponses } from '../schemas.js';
import { parseTime } from './monitors.js';

const idParams = { type: 'object', properties: { id: monitorIdSchema }, required: ['id'] } as const;
const timeParameter = (description: string) => ({ type: 'string', maxLength: 40, description }) as const;

export function provenanceRoutes(app: FastifyInstance, deps: ProvenanceReadDeps): void {
  app.get<{ Params: { id: string } }>('/api/v1/monitors/:id/provenance', {
    schema: {
      summary: 'Where a monitor is served from now, per vantage, and the policy violations open',
      tags: ['provenance'],
      params: idParams,
      response: {
        200: {
          type: 'object',
          properties: { monitorId: { type: 'string' }, vantages: { type: 'array', items: ledgerEntrySchema }, violations: { type: 'array', items: violationSchema } },
        },
        ...errorResponses,
      },
    },
    handler: async (request) => monitorProvenance(deps, request.params.id),
  });

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>('/api/v1/monitors/:id/provenance/history', {
    schema: {
      summary: 'The ledger of one monitor over a window (default the last 30 days): entries in effect, oldest first, and the changes, newest first',
      tags: ['provenance'],
      params: idParams,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: timeParameter('Inclusive start: ISO 8601 time or epoch milliseconds'),
          to: timeParameter('Exclusive end: ISO 8601 time or epoch milliseconds'),
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            monitorId: { type: 'string' },
            from: { type: 'string', format: 'date-time' },
            to: { type: 'string', format: 'date-time' },
            entries: { type: 'array', items: ledgerEntrySchema },
            changes: { type: 'array', items: changeSchema },
          },
        },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { from, to } = request.query;
      return monitorProvenanceHistory(deps, request.params.id, {
        ...(from !== undefined ? { from: parseTime(from, 'from') } : {}),
        ...(to !== undefined ? { to: parseTime(to, 'to') } : {}),
      });
    },
  });

  app.get<{ Querystring: { since?: string; before?: string; limit: number } }>('/api/v1/provenance/changes', {
    schema: {
      summary: 'Every change of where monitors are served from, newest first, paged with `before`',
      tags: ['provenance'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          since: timeParameter('Only changes at or after this time: ISO 8601 or epoch milliseconds'),
          before: { type: 'string', maxLength: 100, description: 'Page cursor: `nextBefore` of the previous page' },
          limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 },
        },
      },
      response: {
        200: { type: 'object', properties: { changes: { type: 'array', items: changeSchema }, nextBefore: { type: ['string', 'null'] } } },
        400: errorResponses[400],
      },
    },
    handler: async (request) => {
      const { since, before, limit } = request.query;
      return listProvenanceChanges(deps.store, {
        limit,
        ...(since !== undefined ? { since: parseTime(since, 'since') } : {}),
        ...(before !== undefined ? { before } : {}),
      });
    },
  });

  app.get('/api/v1/policies', {
    schema: {
      summary: 'The sovereignty policies, the monitors each covers and the violations open now',
      tags: ['provenance'],
      response: { 200: { type: 'object', properties: { policies: { type: 'array', items: policySchema } } } },
    },
    handler: async () => listPolicies(deps),
  });
}
