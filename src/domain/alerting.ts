// The alerting vocabulary: channels, routes, notice kinds and the notices themselves. Plain data only.
//
// Adding a kind of notice: add it to NOTICE_KINDS, give it a title in notify/text.ts, and make
// something emit it: a row in notify/events.ts (for monitor events), or a writer of its own
// (agent_offline in notify/agent-offline.ts). Routes accept every kind listed here.

export const NOTICE_KINDS = [
  'went_down',
  'recovered',
  'degraded',
  'partial',
  'certificate_expiring',
  'agent_offline',
  'policy_violation',
  'declared_mismatch',
] as const;

export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** Kinds that concern monitors (routes' monitor, component and tag selectors apply to them). */
export const MONITOR_NOTICE_KINDS: readonly NoticeKind[] = ['went_down', 'recovered', 'degraded', 'partial', 'certificate_expiring', 'policy_violation', 'declared_mismatch'];

/** What `notify: [CHANNEL]` on a monitor sends. */
export const DEFAULT_MONITOR_KINDS: readonly NoticeKind[] = ['went_down', 'recovered', 'partial', 'certificate_expiring'];

/** Days before a certificate expires when `certificate_expiring` is sent, once each. */
export const CERTIFICATE_DAYS = [30, 14, 7, 1] as const;

export interface NoticeMonitor {
  readonly id: string;
  readonly name: string;
  readonly component: string;
  readonly errorKind?: string;
  readonly errorMessage?: string;
  /** For `partial`: the failing vantages and regions. */
  readonly scope?: { readonly vantages: readonly string[]; readonly regions: readonly string[] };
  /** For `certificate_expiring`. */
  readonly daysRemaining?: number;
  readonly notAfter?: string;
  /** For `recovered`: when it went down. */
  readonly downSince?: number;
}

/** What one notification says: stored in the outbox, turned into each channel's message when sent. */
export interface Notice {
  readonly kind: NoticeKind;
  readonly at: number;
  /** Monitors concerned (several when grouped); empty for agent_offline. */
  readonly monitors: readonly NoticeMonitor[];
  /** A reminder that the monitors are still down. */
  readonly reminder?: true;
  /** Sent by `candor notify test`. */
  readonly test?: true;
  readonly agent?: { readonly name: string; readonly lastSeenAt?: number };
  /** Free text from the emitter (policy violations, declared mismatches). */
  readonly detail?: string;
}

export const CHANNEL_TYPES = [
  'webhook',
  'email',
  'slack',
  'discord',
  'teams',
  'telegram',
  'mattermost',
  'ntfy',
  'gotify',
  'pushover',
  'matrix',
  'pagerduty',
  'opsgenie',
] as const;

export type ChannelType = (typeof CHANNEL_TYPES)[number];

export interface SmtpSettings {
  readonly host: string;
  readonly port: number;
  /** tls: TLS from the start (465); starttls: upgrade (587); none: plain (loopback relays only). */
  readonly security: 'tls' | 'starttls' | 'none';
  readonly username?: string;
  readonly password?: string;
}

/** One channel; `settings` holds the type's own fields (see config/channels-schema.ts for each). */
export type ChannelSpec =
  | ChannelBase<'webhook', { url: string; secret?: string; headers: Readonly<Record<string, string>> }>
  | ChannelBase<'email', { smtp: SmtpSettings; from: string; to: readonly string[] }>
  | ChannelBase<'slack', { webhookUrl: string }>
  | ChannelBase<'discord', { webhookUrl: string }>
  | ChannelBase<'teams', { webhookUrl: string }>
  | ChannelBase<'telegram', { baseUrl: string; botToken: string; chatId: string }>
  | ChannelBase<'mattermost', { webhookUrl: string; channel?: string }>
  | ChannelBase<'ntfy', { baseUrl: string; topic: string; token?: string }>
  | ChannelBase<'gotify', { baseUrl: string; token: string }>
  | ChannelBase<'pushover', { baseUrl: string; token: string; user: string }>
  | ChannelBase<'matrix', { baseUrl: string; accessToken: string; roomId: string }>
  | ChannelBase<'pagerduty', { baseUrl: string; routingKey: string }>
  | ChannelBase<'opsgenie', { baseUrl: string; apiKey: string }>;

interface ChannelBase<T extends ChannelType, S> {
  readonly id: string;
  readonly type: T;
  readonly settings: Readonly<S>;
  /** Values of this channel never shown (tokens, passwords, URLs carrying keys). */
  readonly secrets: readonly string[];
}

export type ChannelOf<T extends ChannelType> = Extract<ChannelSpec, { type: T }>;

export interface RouteSpec {
  readonly events: readonly NoticeKind[];
  /** Selectors: a notice about a monitor matches when any given selector matches; none given: every monitor. */
  readonly monitors?: readonly string[];
  readonly components?: readonly string[];
  readonly tags?: readonly string[];
  /** Regions or vantage names: a `partial` notice matches when its scope names one; a global outage always does. */
  readonly scopes?: readonly string[];
  readonly channels: readonly string[];
  /** While still down, send a reminder this often. */
  readonly remindEveryMs?: number;
}

export interface AlertingSettings {
  /** Monitors that go down (or recover) within this window are sent as one message per channel. */
  readonly groupWindowMs: number;
  /** Attempts per notification before it is `failed`. */
  readonly maxAttempts: number;
  readonly retryMinDelayMs: number;
  readonly retryMaxDelayMs: number;
  /** One attempt's bound (connect, send, answer). */
  readonly timeoutMs: number;
}

export const DEFAULT_ALERTING: AlertingSettings = {
  groupWindowMs: 30_000,
  maxAttempts: 8,
  retryMinDelayMs: 10_000,
  retryMaxDelayMs: 3_600_000,
  timeoutMs: 10_000,
};

/** Public subscriptions from the status pages (email, double opt-in). */
export interface SubscriptionSettings {
  /** The email channel whose SMTP server and sender address are used. */
  readonly emailChannel: string;
  /** How long a confirmation link is valid. */
  readonly linkTtlMs: number;
  /** Visitors may also subscribe a webhook URL (confirmed by a link sent to it). */
  readonly webhooks: boolean;
  /** Webhook URLs may point at private addresses (and use http://): for status pages on an intranet. */
  readonly allowPrivateWebhooks: boolean;
}

/** Kinds sent to public subscribers: what a visitor of a status page wants to hear about. */
export const SUBSCRIBER_KINDS: readonly NoticeKind[] = ['went_down', 'recovered', 'partial'];
