// A public subscriber: someone who asked, from a status page, to be told of outages by email or webhook.

export type SubscriberKind = 'email' | 'webhook';

export interface Subscriber {
  readonly id: string;
  readonly kind: SubscriberKind;
  /** The email address or webhook URL: used to send, never shown. */
  readonly address: string;
  /** Component names followed; empty: every component. */
  readonly components: readonly string[];
  /** Regions followed (for partial outages); empty: everywhere. */
  readonly regions: readonly string[];
  readonly confirmedAt: number;
}
