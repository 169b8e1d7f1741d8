// `subscriptions:` — visitors of the status pages may subscribe by email (double opt-in) to the
// outages of the components they choose. Emails go out through one of the config's email channels.
import type { ChannelSpec, SubscriptionSettings } from '../domain/alerting.js';
import { Fields, readBoolean, readString, type Located, type Reader } from './reader.js';
import { readDuration } from './values.js';

export function readSubscriptions(reader: Reader, at: Located, channels: readonly ChannelSpec[] | undefined, publicUrl: string | undefined): SubscriptionSettings | undefined {
  const fields = Fields.read(reader, at, ['email', 'linkTtl', 'webhooks', 'allowPrivateWebhooks']);
  if (!fields) return undefined;
  const emailAt = fields.required(reader, 'email', ' (the id of an email channel to send from)');
  const email = emailAt && readString(reader, emailAt);
  const ttlAt = fields.get('linkTtl');
  const linkTtlMs = ttlAt ? readDuration(reader, ttlAt, 600_000, 7 * 86_400_000) : 86_400_000;
  const webhooksAt = fields.get('webhooks');
  const webhooks = webhooksAt ? readBoolean(reader, webhooksAt) : false;
  const privateAt = fields.get('allowPrivateWebhooks');
  const allowPrivateWebhooks = privateAt ? readBoolean(reader, privateAt) : false;
  if (email === undefined || linkTtlMs === undefined || !emailAt || webhooks === undefined || allowPrivateWebhooks === undefined) return undefined;
  if (channels) {
    const channel = channels.find((candidate) => candidate.id === email);
    const emailChannels = channels.filter((candidate) => candidate.type === 'email').map((candidate) => candidate.id);
    if (!channel || channel.type !== 'email') {
      reader.report(emailAt, `expected the id of an email channel, got "${email}" (${emailChannels.length > 0 ? `email channels: ${emailChannels.join(', ')}` : 'no email channel is configured'})`);
      return undefined;
    }
  }
  if (publicUrl === undefined) {
    reader.report({ offset: fields.offset, path: fields.path }, 'subscriptions need server.publicUrl: the links in their emails must be absolute');
    return undefined;
  }
  return { emailChannel: email, linkTtlMs, webhooks, allowPrivateWebhooks };
}
