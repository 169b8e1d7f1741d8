// What a channel type turns a notice into: an HTTP request or an email, built by a pure function and
// sent by the one shared sender (notify/send.ts).

import type { ChannelOf, ChannelType, Notice } from '../domain/alerting.js';

export interface HttpMessage {
  readonly kind: 'http';
  readonly method: 'POST' | 'PUT';
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface EmailMessage {
  readonly kind: 'email';
  readonly from: string;
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  /** Message-ID and any extra headers (List-Unsubscribe for subscribers). */
  readonly headers: Readonly<Record<string, string>>;
}

export type OutboundMessage = HttpMessage | EmailMessage;

/** What a builder knows besides the notice and the channel. */
export interface MessageContext {
  /** Stable for the notification across retries and restarts: sent as Idempotency-Key, or the service's own field. */
  readonly idempotencyKey: string;
  /** When this attempt is made (signatures, timestamps). */
  readonly now: number;
  /** Where people reach the status page, when configured. */
  readonly siteUrl?: string;
  readonly siteTitle: string;
}

export type MessageBuilder<T extends ChannelType> = (channel: ChannelOf<T>, notice: Notice, context: MessageContext) => OutboundMessage;

export function jsonRequest(url: string, body: unknown, context: MessageContext, headers: Record<string, string> = {}, method: 'POST' | 'PUT' = 'POST'): HttpMessage {
  return {
    kind: 'http',
    method,
    url,
    headers: { 'content-type': 'application/json', 'idempotency-key': context.idempotencyKey, ...headers },
    body: JSON.stringify(body),
  };
}
