// What a poll of a declared source is bounded by and remembers, apart from the fetching itself
// (fetch.ts, over undici), which is loaded only once a hub has a source to poll.
import type { PollFailure } from '../domain/declared.js';

export interface FetchLimits {
  readonly timeoutMs: number;
  readonly maxBodyBytes: number;
  readonly maxRedirects: number;
  readonly userAgent: string;
}

export const DEFAULT_FETCH_LIMITS: Omit<FetchLimits, 'userAgent'> = { timeoutMs: 10_000, maxBodyBytes: 2 * 1024 * 1024, maxRedirects: 3 };

/** Validators from the last answer with a body, sent back so an unchanged source answers 304. */
export interface Validators {
  readonly etag?: string;
  readonly lastModified?: string;
}

export type FetchOutcome =
  | { readonly kind: 'body'; readonly text: string; readonly validators: Validators }
  | { readonly kind: 'not_modified' }
  | { readonly kind: 'failed'; readonly failure: PollFailure };
