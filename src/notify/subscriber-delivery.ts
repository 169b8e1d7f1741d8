// The queue of public subscribers' notifications: each goes by email through the subscriptions'
// email channel, with the subscriber's own unsubscribe link.
import type { ChannelOf, SubscriptionSettings, ChannelSpec } from '../domain/alerting.js';
import type { Store } from '../storage/store.js';
import { signLink } from './signed-links.js';
import { subscriberEmail, subscriberWebhook, SUBSCRIBERS_CHANNEL } from './subscribers.js';
import { webhookTargetProblem } from './webhook-target.js';
import type { Deliverer } from './worker.js';

/** The key that signs subscription links (kept in the database, made once). */
export const LINK_KEY = 'subscription-links';

export function unsubscribeUrl(publicUrl: string, subscriberId: string, key: Buffer): string {
  return `${publicUrl}/unsubscribe?token=${signLink({ purpose: 'unsubscribe', subscriberId }, key)}`;
}

export function subscriberDeliverer(deps: {
  readonly store: Store;
  readonly settings: SubscriptionSettings;
  readonly channels: ReadonlyMap<string, ChannelSpec>;
  readonly publicUrl: string;
  readonly siteTitle: string;
}): Deliverer {
  const channel = deps.channels.get(deps.settings.emailChannel) as ChannelOf<'email'>;
  let key: Buffer | undefined;
  return {
    id: SUBSCRIBERS_CHANNEL,
    async prepare(notification, now) {
      const subscriber = notification.subscriberId === undefined ? undefined : await deps.store.subscribers.get(notification.subscriberId);
      if (!subscriber) return { cancel: 'the subscriber unsubscribed' };
      key ??= await deps.store.subscribers.key(LINK_KEY);
      const context = { idempotencyKey: notification.id, now, siteTitle: deps.siteTitle, siteUrl: deps.publicUrl };
      const unsubscribe = unsubscribeUrl(deps.publicUrl, subscriber.id, key);
      if (subscriber.kind === 'email') return { channel, message: subscriberEmail(channel, subscriber, notification.notice, context, unsubscribe) };
      // Checked again before each send: the name may point elsewhere now.
      const problem = await webhookTargetProblem(subscriber.address, deps.settings.allowPrivateWebhooks);
      // Not the problem itself: it names the host, and subscribers' addresses are never shown.
      if (problem) return { cancel: 'not sent: the webhook URL no longer resolves to a public address' };
      return { channel: webhookChannel(subscriber.address), message: subscriberWebhook(subscriber, notification.notice, context, unsubscribe) };
    },
  };
}

/** A visitor's webhook as a channel for the sender (never configured, so it has no secrets of its own). */
export function webhookChannel(url: string): ChannelSpec {
  return { id: SUBSCRIBERS_CHANNEL, type: 'webhook', settings: { url, headers: {} }, secrets: [] };
}
