// Which figures rest on a measurement. A check's duration is a response time only when the target
// answered: a refused connection "takes" 1 ms and a timeout takes exactly its limit, and showing either
// as a response time would be a figure without a measurement behind it. Pure.
import { ANSWERED_ERROR_KINDS, type ErrorKind } from '../domain/observation.js';

export interface TimedCheck {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: { readonly kind: ErrorKind };
}

/** The check's response time when its target answered; undefined when it never got an answer. */
export function measuredLatency(check: TimedCheck): number | undefined {
  if (check.ok) return check.latencyMs;
  return check.error && ANSWERED_ERROR_KINDS.has(check.error.kind) ? check.latencyMs : undefined;
}
