import type { FastifyInstance } from 'fastify';
import type { Clock } from '../../runtime/clock.js';
import type { Store } from '../../storage/store.js';
import { iso } from '../../read/serialise.js';
import { errorResponses } from '../schemas.js';
import { parseTime } from './monitors.js';

const DAY_MS = 86_400_000;

/** This hub's own record: when it was not running (and so observed nothing). */
export function hubRoutes(app: FastifyInstance, deps: { store: Store; clock: Clock }): void {
  app.get<{ Querystring: { from?: string; to?: string } }>('/api/v1/hub/gaps', {
    schema: {
      summary: 'When this Candor was not running: from its last write before a stop to its first check after the start',
      tags: ['meta'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          from: { type: 'string', description: 'Inclusive start: ISO 8601 time or epoch milliseconds; default 90 days ago' },
          to: { type: 'string', description: 'Exclusive end; default now' },
        },
      },
      response: {
        200: {
          type: 'object',
          properties: {
            gaps: { type: 'array', items: { type: 'object', properties: { from: { type: 'string', format: 'date-time' }, to: { type: 'string', format: 'date-time' } } } },
          },
        },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const now = deps.clock.now();
      const to = request.query.to !== undefined ? parseTime(request.query.to, 'to') : now;
      const from = request.query.from !== undefined ? parseTime(request.query.from, 'from') : now - 90 * DAY_MS;
      const gaps = await deps.store.listHubGaps(from, to);
      return { gaps: gaps.map((gap) => ({ from: iso(gap.from), to: iso(gap.to) })) };
    },
  });
}
