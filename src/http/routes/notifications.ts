// GET /api/v1/notifications: the outbox as operators read it (what was sent where, what failed and
// why). Channel settings never appear; errors and answers are redacted of every configured secret.
import type { FastifyInstance } from 'fastify';
import { NOTICE_KINDS } from '../../domain/alerting.js';
import type { CandorConfig } from '../../domain/monitor.js';
import { createRedactor } from '../../domain/redaction.js';
import { secretsOf } from '../../config/secrets.js';
import { noticeText } from '../../notify/text.js';
import type { NotificationState, Store, StoredNotification } from '../../storage/store.js';
import { CONFIG_ID_PATTERN, cursorSchema } from '../input.js';
import { errorResponses } from '../schemas.js';

const STATES: readonly NotificationState[] = ['pending', 'delivered', 'failed', 'cancelled', 'silenced'];
const time = { type: ['string', 'null'], format: 'date-time' } as const;

const notificationSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'Also the Idempotency-Key receivers see' },
    channel: { type: 'string' },
    channelType: { type: ['string', 'null'], description: 'null when the channel is no longer configured' },
    kind: { type: 'string', enum: [...NOTICE_KINDS] },
    reminder: { type: 'boolean' },
    title: { type: 'string' },
    monitors: { type: 'array', items: { type: 'string' } },
    state: { type: 'string', enum: [...STATES] },
    attempts: { type: 'integer' },
    createdAt: time,
    nextAttemptAt: { ...time, description: 'When pending: the next attempt' },
    deliveredAt: time,
    lastStatus: { type: ['integer', 'null'], description: 'HTTP or SMTP status of the last attempt' },
    lastError: { type: ['string', 'null'] },
    answer: { type: ['string', 'null'], description: "The receiver's answer to the delivered attempt (cut short)" },
  },
  required: ['id', 'channel', 'kind', 'state', 'attempts', 'createdAt'],
} as const;

export function notificationRoutes(app: FastifyInstance, deps: { store: Store; config: CandorConfig }): void {
  const redactor = createRedactor(secretsOf(deps.config));
  const typeOf = new Map((deps.config.channels ?? []).map((channel) => [channel.id, channel.type]));
  const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
  const view = (n: StoredNotification) => ({
    id: n.id,
    channel: n.channelId,
    channelType: typeOf.get(n.channelId) ?? null,
    kind: n.notice.kind,
    reminder: n.notice.reminder === true,
    title: redactor.text(noticeText(n.notice).title),
    monitors: n.notice.monitors.map((monitor) => monitor.id),
    state: n.state,
    attempts: n.attempts,
    createdAt: iso(n.createdAt),
    nextAttemptAt: n.state === 'pending' ? iso(n.dueAt) : null,
    deliveredAt: iso(n.deliveredAt),
    lastStatus: n.lastStatus ?? null,
    lastError: n.lastError === undefined ? null : redactor.text(n.lastError),
    answer: n.answer === undefined ? null : redactor.text(n.answer),
  });

  app.get<{ Querystring: { channel?: string; state?: NotificationState; before?: string; limit: number } }>('/api/v1/notifications', {
    config: { scope: 'read' },
    schema: {
      summary: 'Notifications (the outbox), newest first, paged with `before`',
      tags: ['notifications'],
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: {
          channel: { type: 'string', pattern: CONFIG_ID_PATTERN, description: 'Only this channel id' },
          state: { type: 'string', enum: [...STATES] },
          before: cursorSchema,
          limit: { type: 'integer', minimum: 1, maximum: 500, default: 50 },
        },
      },
      response: {
        200: { type: 'object', properties: { notifications: { type: 'array', items: notificationSchema }, nextBefore: { type: ['string', 'null'] } } },
        ...errorResponses,
      },
    },
    handler: async (request) => {
      const { channel, state, before, limit } = request.query;
      const page = await deps.store.outbox.list({ limit: limit + 1, ...(channel ? { channelId: channel } : {}), ...(state ? { state } : {}), ...(before ? { before } : {}) });
      const shown = page.slice(0, limit);
      return { notifications: shown.map(view), nextBefore: page.length > limit ? (shown.at(-1)?.id ?? null) : null };
    },
  });
}
