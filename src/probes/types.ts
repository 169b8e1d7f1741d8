import type { ProbeSpec } from '../domain/monitor.js';

/** Stable failure categories. Values are part of the public API: never rename one. */
export const ERROR_KINDS = [
  'dns_nxdomain',
  'dns_servfail',
  'dns_refused',
  'dns_timeout',
  'dns_no_answer',
  'dns_error',
  'connect_refused',
  'connect_timeout',
  'connect_reset',
  'connect_unreachable',
  'tls_handshake',
  'tls_cert_expired',
  'tls_cert_not_yet_valid',
  'tls_cert_untrusted',
  'tls_hostname_mismatch',
  'http_status',
  'http_protocol',
  'too_many_redirects',
  'assertion_failed',
  'timeout',
  'body_too_large',
  'banner_mismatch',
  'internal',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

export interface ProbeError {
  readonly kind: ErrorKind;
  /** Human-readable detail, e.g. "expected status 200-299, got 503". */
  readonly message: string;
}

/** Phase timings in milliseconds; a phase that did not happen is absent. */
export interface Phases {
  dns?: number;
  connect?: number;
  tls?: number;
  ttfb?: number;
  total: number;
}

/**
 * What one probe run observed. `ok` is false exactly when `error` is present.
 * `details` is probe-specific evidence (status, kept headers, body size, DNS answers, certificate facts...),
 * plain JSON only.
 */
export interface ProbeOutcome {
  readonly ok: boolean;
  readonly phases: Phases;
  /** The IP address actually connected to (or the resolver asked, for DNS). */
  readonly peerAddress?: string;
  readonly error?: ProbeError;
  readonly details: Readonly<Record<string, unknown>>;
}

export interface ProbeRunOptions {
  readonly timeoutMs: number;
  /** Aborts the run early (shutdown); the outcome is then a `timeout`. */
  readonly signal?: AbortSignal;
}

/** One probe type. run() never throws for a failing target: failures are data. */
export interface Probe<S extends ProbeSpec = ProbeSpec> {
  readonly type: S['type'];
  run(spec: S, options: ProbeRunOptions): Promise<ProbeOutcome>;
}

/** A stored observation: immutable once written, with a stable unique id. */
export interface CheckResult {
  /** Unique, sortable by time (ULID-like). */
  readonly id: string;
  readonly monitorId: string;
  /** Where the check ran; the hub itself is "local". */
  readonly vantage: string;
  /** When the scheduler planned the check. */
  readonly plannedAt: number;
  /** When the probe actually started. */
  readonly startedAt: number;
  readonly ok: boolean;
  /** Assertions passed but latency was above degradedAfter. */
  readonly degraded: boolean;
  /** Taken during a maintenance window: stored, but not counted in uptime. */
  readonly maintenance: boolean;
  /**
   * Failed before reaching its target while this vantage's own network was down (src/domain/vantage.ts):
   * stored, but no evidence about the target, so not counted in uptime. Absent otherwise.
   */
  readonly inconclusive?: true;
  readonly latencyMs: number;
  readonly phases: Phases;
  readonly peerAddress?: string;
  readonly error?: ProbeError;
  readonly details: Readonly<Record<string, unknown>>;
}
