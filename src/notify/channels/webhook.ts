// Generic webhook: the notice as JSON. With a `secret`, the body is signed: X-Candor-Signature is
// "sha256=" + hex HMAC-SHA256 over "TIMESTAMP.BODY", the timestamp (Unix seconds) in X-Candor-Timestamp,
// so a receiver can refuse old or replayed deliveries (docs/alerting.md shows the check).

import { createHmac } from 'node:crypto';
import type { Notice } from '../../domain/alerting.js';
import { jsonRequest, type MessageBuilder, type MessageContext } from '../message.js';
import { noticeText } from '../text.js';

export function signWebhook(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** The JSON document a webhook receives (docs/alerting.md describes each field). */
export function webhookDocument(notice: Notice, context: MessageContext): Record<string, unknown> {
  const text = noticeText(notice);
  return {
    id: context.idempotencyKey,
    kind: notice.kind,
    at: new Date(notice.at).toISOString(),
    title: text.title,
    text: text.lines.join('\n'),
    severity: text.severity,
    reminder: notice.reminder === true,
    test: notice.test === true,
    monitors: notice.monitors,
    ...(notice.agent ? { agent: notice.agent } : {}),
    ...(notice.detail ? { detail: notice.detail } : {}),
    ...(context.siteUrl ? { url: context.siteUrl } : {}),
  };
}

export const buildWebhook: MessageBuilder<'webhook'> = (channel, notice, context) => {
  const message = jsonRequest(channel.settings.url, webhookDocument(notice, context), context, { ...channel.settings.headers, 'user-agent': 'Candor' });
  if (!channel.settings.secret) return message;
  const timestamp = String(Math.floor(context.now / 1000));
  return { ...message, headers: { ...message.headers, 'x-candor-timestamp': timestamp, 'x-candor-signature': signWebhook(channel.settings.secret, timestamp, message.body) } };
};
