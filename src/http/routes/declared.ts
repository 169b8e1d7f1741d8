// What platforms declare, and how it compares with what Candor observed (docs/transparency.md).
import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../../domain/errors.js';
import { declaredOverview, monitorDeclaredHistory, transparencyReport, type DeclaredReadDeps } from '../../read/declared.js';
import { monitorIdSchema } from '../input.js';
import { errorResponses } from '../schemas.js';
import { declaredHistorySchema, declaredOverviewSchema, transparencySchema } from '../schemas-declared.js';
import { parseTime } from './monitors.js';

const DAY = 86_400_000;
const MAX_HISTORY_DAYS = 400;

export function declaredRoutes(app: FastifyInstance, deps: DeclaredReadDeps): void {
  app.get('/api/v1/declared', {
    schema: {
      summary: "Declared sources (platforms' own status pages and feeds), what each says now and its last poll",
      tags: ['declared'],
      response: { 200: declaredOverviewSchema },
    },
    handler: async () => declaredOverview(deps),
  });

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>('/api/v1/monitors/:id/declared/history', {
    schema: {
      summary: "What the monitor's declared source said over time (changes only) and the incidents it declared",
      tags: ['declared'],
      params: { type: 'object', properties: { id: monitorIdSchema }, required: ['id'] },
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: { type: 'string', description: 'Inclusive start: ISO 8601 time or epoch milliseconds (default: 7 days before `to`)' },
          to: { type: 'string', description: 'Exclusive end (default: now)' },
        },
      },
      response: { 200: declaredHistorySchema, ...errorResponses },
    },
    handler: async (request) => {
      const to = request.query.to !== undefined ? parseTime(request.query.to, 'to') : deps.clock.now();
      const from = request.query.from !== undefined ? parseTime(request.query.from, 'from') : to - 7 * DAY;
      if (from >= to) throw new BadRequestError('query parameter "from" must be before "to"');
      if (to - from > MAX_HISTORY_DAYS * DAY) throw new BadRequestError(`at most ${MAX_HISTORY_DAYS} days at once`);
      return monitorDeclaredHistory(deps, request.params.id, from, to);
    },
  });

  app.get('/api/v1/transparency', {
    schema: {
      summary: 'Declared vs observed per platform over 30 and 90 days: acknowledgement lag, unacknowledged outages, minutes in disagreement, with the evidence behind each figure',
      tags: ['declared'],
      response: { 200: transparencySchema },
    },
    handler: async () => transparencyReport(deps),
  });
}
