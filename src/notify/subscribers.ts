// Public subscribers: which of a batch's notices each one gets (by component and region), and the
// emails they receive. Every email to a subscriber carries a one-click unsubscribe link and the
// List-Unsubscribe and List-Unsubscribe-Post headers (RFC 2369, RFC 8058). Pure.

import { SUBSCRIBER_KINDS, type ChannelOf, type Notice } from '../domain/alerting.js';
import type { MonitorSpec } from '../domain/monitor.js';
import type { Subscriber } from '../domain/subscriber.js';
import { escapeHtml } from '../web/html.js';
import { buildEmail } from './channels/email.js';
import { jsonRequest, type EmailMessage, type HttpMessage, type MessageContext } from './message.js';
import { webhookDocument } from './channels/webhook.js';
import type { PlannedEntry } from './plan.js';

/** The pseudo-channel of subscribers' notifications: one queue for all of them. */
export const SUBSCRIBERS_CHANNEL = 'subscribers';

export function subscriberFollows(subscriber: Subscriber, monitor: MonitorSpec, scope?: { readonly regions: readonly string[] }): boolean {
  if (subscriber.components.length > 0 && !subscriber.components.includes(monitor.component)) return false;
  if (scope && subscriber.regions.length > 0) return scope.regions.some((region) => subscriber.regions.includes(region));
  return true;
}

export function planForSubscribers(
  notices: readonly { readonly notice: Notice; readonly monitor: MonitorSpec; readonly dedup: string }[],
  subscribers: readonly Subscriber[],
  groupWindowMs: number,
  now: number,
): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  for (const { notice, monitor, dedup } of notices) {
    if (!SUBSCRIBER_KINDS.includes(notice.kind)) continue;
    for (const subscriber of subscribers) {
      if (!subscriberFollows(subscriber, monitor, notice.monitors[0]?.scope)) continue;
      const grouped = groupWindowMs > 0 && notice.kind !== 'partial';
      entries.push({
        channelId: SUBSCRIBERS_CHANNEL,
        subscriberId: subscriber.id,
        dedup: `${dedup}:${subscriber.id}`,
        notice,
        createdAt: now,
        dueAt: grouped ? now + groupWindowMs : now,
        ...(grouped ? { groupKey: `${notice.kind}:${subscriber.id}` } : {}),
      });
    }
  }
  return entries;
}

/** A notice to one subscriber, through the subscriptions' email channel. */
export function subscriberEmail(channel: ChannelOf<'email'>, subscriber: Subscriber, notice: Notice, context: MessageContext, unsubscribeUrl: string): EmailMessage {
  const message = buildEmail({ ...channel, settings: { ...channel.settings, to: [subscriber.address] } }, notice, context) as EmailMessage;
  return {
    ...message,
    text: `${message.text}\n\nYou get this because you subscribed on ${context.siteTitle}. Unsubscribe: ${unsubscribeUrl}\n`,
    html: `${message.html}\n<p>You get this because you subscribed on ${escapeHtml(context.siteTitle)}. <a href="${escapeHtml(unsubscribeUrl)}">Unsubscribe</a></p>`,
    headers: { ...message.headers, 'List-Unsubscribe': `<${unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' },
  };
}

/** The double opt-in email: nothing is stored until its link is followed. */
export function confirmationEmail(channel: ChannelOf<'email'>, address: string, components: readonly string[], confirmUrl: string, ttlHours: number, siteTitle: string): EmailMessage {
  const what = components.length > 0 ? components.join(', ') : 'every component';
  const text = [
    `Someone (we hope you) asked to be told by email when ${what} on ${siteTitle} goes down or recovers.`,
    '',
    `Confirm within ${ttlHours} hours: ${confirmUrl}`,
    '',
    'If it was not you, ignore this email: nothing was stored, and nothing more will be sent.',
  ].join('\n');
  const html = [
    `<p>Someone (we hope you) asked to be told by email when ${escapeHtml(what)} on ${escapeHtml(siteTitle)} goes down or recovers.</p>`,
    `<p><a href="${escapeHtml(confirmUrl)}">Confirm the subscription</a> (valid for ${ttlHours} hours).</p>`,
    '<p>If it was not you, ignore this email: nothing was stored, and nothing more will be sent.</p>',
  ].join('\n');
  return { kind: 'email', from: channel.settings.from, to: [address], subject: `[${siteTitle}] Confirm your subscription`, text, html, headers: {} };
}

/** A notice to a webhook subscriber: the webhook document, with the link that ends the subscription. */
export function subscriberWebhook(subscriber: Subscriber, notice: Notice, context: MessageContext, unsubscribeUrl: string): HttpMessage {
  return jsonRequest(subscriber.address, { ...webhookDocument(notice, context), unsubscribeUrl }, context, { 'user-agent': 'Candor' });
}

/** The opt-in request to a webhook: whoever controls it confirms by following `confirmUrl`. */
export function webhookConfirmation(url: string, components: readonly string[], confirmUrl: string, context: MessageContext): HttpMessage {
  const what = components.length > 0 ? components.join(', ') : 'every component';
  return jsonRequest(url, {
    id: context.idempotencyKey,
    kind: 'subscription_confirmation',
    title: `Confirm the subscription of this webhook to ${context.siteTitle}`,
    text: `Someone asked to send the outages of ${what} on ${context.siteTitle} to this URL. Open confirmUrl in a browser and confirm to start; ignore this request otherwise.`,
    confirmUrl,
  }, context, { 'user-agent': 'Candor' });
}
