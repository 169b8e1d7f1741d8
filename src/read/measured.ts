// Which figures rest on a measurement. A check's duration is a response time only when the target
// answered: a refused connection "takes" 1 ms and a timeout takes exactly its limit, and showing either
// as a response time would be a figure without a measurement behind it. Pure.
import type { ErrorKind } from '../domain/observation.js';

/** Failures in which the target (or, for DNS, the resolver) did answer, so the duration was measured. */
const ANSWERED: ReadonlySet<ErrorKind> = new Set<ErrorKind>([
  'dns_nxdomain',
  'dns_servfail',
  'dns_refused',
  'dns_no_answer',
  'tls_handshake',
  'tls_cert_expired',
  'tls_cert_not_yet_valid',
  'tls_cert_untrusted',
  'tls_hostname_mismatch',
  'http_status',
  'http_protocol',
  'too_many_redirects',
  'assertion_failed',
  'body_too_large',
  'banner_mismatch',
]);

export interface TimedCheck {
  readonly ok: boolean;
  readonly latencyMs: number;
  readonly error?: { readonly kind: ErrorKind };
}

/** The check's response time when its target answered; undefined when it never got an answer. */
export function measuredLatency(check: TimedCheck): number | undefined {
  if (check.ok) return check.latencyMs;
  return check.error && ANSWERED.has(check.error.kind) ? check.latencyMs : undefined;
}
