// What one delivery attempt means for its notification: delivered, tried again later (exponential
// backoff with jitter, or the receiver's Retry-After), or failed for good. Pure.

import retry from 'retry';
import type { AlertingSettings } from '../domain/alerting.js';
import type { NotificationSettlement } from '../storage/store.js';
import type { SendOutcome } from './send.js';

/** The longest Retry-After honoured: a receiver asking for more is asked again after a day. */
const MAX_RETRY_AFTER_MS = 86_400_000;

/**
 * Delay before attempt `attempt + 1` (attempt counts from 1): min × 2^(attempt-1), times a jitter
 * factor in [1, 2) so that many notifications failing together do not retry together, capped at max.
 */
export function backoffDelayMs(attempt: number, settings: Pick<AlertingSettings, 'retryMinDelayMs' | 'retryMaxDelayMs'>, random: () => number): number {
  const exponential = retry.createTimeout(attempt - 1, { minTimeout: settings.retryMinDelayMs, maxTimeout: Number.MAX_SAFE_INTEGER, factor: 2, randomize: false });
  return Math.min(settings.retryMaxDelayMs, Math.round(exponential * (1 + random())));
}

export function settlementOf(outcome: SendOutcome, attempts: number, settings: AlertingSettings, now: number, random: () => number): NotificationSettlement {
  const status = outcome.status !== undefined ? { lastStatus: outcome.status } : {};
  if (outcome.ok) return { state: 'delivered', attempts, at: now, ...status, answer: outcome.answer };
  if (outcome.permanent) return { state: 'failed', attempts, at: now, ...status, lastError: `${outcome.error} (not retried: the receiver refused it)` };
  if (attempts >= settings.maxAttempts) return { state: 'failed', attempts, at: now, ...status, lastError: `${outcome.error} (gave up after ${attempts} attempt${attempts === 1 ? '' : 's'})` };
  const delay = outcome.retryAfterMs !== undefined ? Math.min(MAX_RETRY_AFTER_MS, outcome.retryAfterMs) : backoffDelayMs(attempts, settings, random);
  return { state: 'pending', attempts, at: now, dueAt: now + delay, ...status, lastError: outcome.error };
}
