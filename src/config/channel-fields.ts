// The fields of each channel type, as a table: what `channels:` accepts for each type, which fields are
// secrets, and the services' default base URLs (configurable, so each can point at a relay or a test receiver).

import type { ChannelType } from '../domain/alerting.js';

export type FieldKind =
  /** An http(s) URL that is itself a credential (a webhook with its key in the path): a secret. */
  | 'secret-url'
  /** An http(s) base URL, not secret. */
  | 'base-url'
  | 'secret'
  | 'text'
  /** `user:pass` SMTP URL: smtp:// (STARTTLS when offered) or smtps:// (TLS from the start). */
  | 'smtp-url'
  | 'email'
  | 'emails'
  | 'headers';

export interface FieldSpec {
  readonly kind: FieldKind;
  readonly required?: true;
  /** Used when the field is left out. */
  readonly default?: string;
  /** Shown with a missing-field problem. */
  readonly hint?: string;
}

export const CHANNEL_FIELDS: Readonly<Record<ChannelType, Readonly<Record<string, FieldSpec>>>> = {
  webhook: { url: { kind: 'secret-url', required: true }, secret: { kind: 'secret' }, headers: { kind: 'headers' } },
  email: {
    smtp: { kind: 'smtp-url', required: true, hint: ' (like "smtps://user:${SMTP_PASSWORD}@mail.example.org:465")' },
    from: { kind: 'email', required: true },
    to: { kind: 'emails', required: true },
  },
  slack: { webhookUrl: { kind: 'secret-url', required: true, hint: ' (an incoming webhook, https://hooks.slack.com/services/...)' } },
  discord: { webhookUrl: { kind: 'secret-url', required: true, hint: ' (https://discord.com/api/webhooks/ID/TOKEN)' } },
  teams: { webhookUrl: { kind: 'secret-url', required: true, hint: ' (the URL of a Workflows "post to a channel when a webhook request is received" flow)' } },
  telegram: { baseUrl: { kind: 'base-url', default: 'https://api.telegram.org' }, botToken: { kind: 'secret', required: true }, chatId: { kind: 'text', required: true } },
  mattermost: { webhookUrl: { kind: 'secret-url', required: true, hint: ' (https://HOST/hooks/KEY)' }, channel: { kind: 'text' } },
  ntfy: { baseUrl: { kind: 'base-url', default: 'https://ntfy.sh' }, topic: { kind: 'text', required: true }, token: { kind: 'secret' } },
  gotify: { baseUrl: { kind: 'base-url', required: true }, token: { kind: 'secret', required: true, hint: ' (an application token)' } },
  pushover: { baseUrl: { kind: 'base-url', default: 'https://api.pushover.net' }, token: { kind: 'secret', required: true }, user: { kind: 'secret', required: true } },
  matrix: {
    baseUrl: { kind: 'base-url', required: true, hint: ' (the homeserver, like https://matrix.example.org)' },
    accessToken: { kind: 'secret', required: true },
    roomId: { kind: 'text', required: true, hint: ' (like "!abc:example.org")' },
  },
  pagerduty: { baseUrl: { kind: 'base-url', default: 'https://events.pagerduty.com' }, routingKey: { kind: 'secret', required: true, hint: ' (an Events API v2 integration key)' } },
  opsgenie: { baseUrl: { kind: 'base-url', default: 'https://api.opsgenie.com', hint: '' }, apiKey: { kind: 'secret', required: true } },
};
