// The shared vocabulary of what a vantage saw. Observations are immutable facts, signed one day by the
// agent that made them; they never carry the hub's later verdicts (see verdict.ts). Pure data.

/** Stable failure categories. Values are part of the public API and their order is stored: only ever append. */
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
  'target_forbidden',
] as const;

export type ErrorKind = (typeof ERROR_KINDS)[number];

/** Failures in which the target (or, for DNS, the resolver) never answered: their duration measures nothing of it. */
const UNANSWERED: ReadonlySet<ErrorKind> = new Set<ErrorKind>(['dns_timeout', 'dns_error', 'connect_refused', 'connect_timeout', 'connect_reset', 'connect_unreachable', 'timeout', 'internal', 'target_forbidden']);

/** Failures in which the target (or, for DNS, the resolver) did answer, so the check's duration was measured. */
export const ANSWERED_ERROR_KINDS: ReadonlySet<ErrorKind> = new Set(ERROR_KINDS.filter((kind) => !UNANSWERED.has(kind)));

export function isErrorKind(value: unknown): value is ErrorKind {
  return typeof value === 'string' && (ERROR_KINDS as readonly string[]).includes(value);
}

export interface ProbeError {
  readonly kind: ErrorKind;
  /** Human-readable detail, e.g. "expected status 200-299, got 503". */
  readonly message: string;
}

/** Phase timings in milliseconds (two decimals); a phase that did not happen is absent. */
export interface Phases {
  dns?: number;
  connect?: number;
  tls?: number;
  ttfb?: number;
  total: number;
}

export const PHASE_NAMES = ['dns', 'connect', 'tls', 'ttfb'] as const;

/** What an HTTP check saw; `status` and the rest are absent when no response came. */
export interface HttpDetails {
  readonly type: 'http';
  readonly status?: number;
  readonly httpVersion?: string;
  /** Response headers kept as evidence (lower-case names). */
  readonly headers?: Readonly<Record<string, string>>;
  readonly bodyBytes?: number;
  readonly bodyTruncated?: boolean;
  /** Only on failure: the start of the body. */
  readonly bodyExcerpt?: string;
  /** URLs followed, in order. */
  readonly redirects?: readonly string[];
}

export interface DnsAnswer {
  readonly type: string;
  readonly name: string;
  readonly ttl: number;
  /** Presentation form: an address, a name, "10 mail.example.org" for MX, joined strings for TXT. */
  readonly data: string;
}

export interface DnsDetails {
  readonly type: 'dns';
  /** host:port of the resolver asked. */
  readonly resolver?: string;
  readonly transport?: 'udp' | 'tcp';
  readonly rcode?: string;
  readonly answers?: readonly DnsAnswer[];
}

export interface CertificateFacts {
  readonly subject: string;
  readonly issuer: string;
  readonly sans: readonly string[];
  readonly notBefore: string;
  readonly notAfter: string;
  readonly daysRemaining: number;
  readonly fingerprintSha256: string;
  readonly serialNumber: string;
}

export interface TlsDetails extends Partial<CertificateFacts> {
  readonly type: 'tls';
  readonly protocol?: string | null;
  readonly cipher?: string;
  readonly chainVerified?: boolean;
  readonly hostnameVerified?: boolean;
  readonly verifyError?: string;
}

export interface TcpDetails {
  readonly type: 'tcp';
  readonly bytesReceived?: number;
  readonly bannerExcerpt?: string;
}

/** Probe-specific evidence, told apart by `type` (the probe that made it). */
export type Details = HttpDetails | DnsDetails | TlsDetails | TcpDetails;

/** One check as one vantage saw it. Immutable once made; identified by (monitor, vantage, startedAt). */
export interface Observation {
  readonly monitorId: string;
  /** Where the check ran; the hub itself is "local". */
  readonly vantage: string;
  /** When the scheduler planned the check (epoch ms). */
  readonly plannedAt: number;
  /** When the probe actually started (epoch ms). */
  readonly startedAt: number;
  /** false exactly when `error` is present. */
  readonly ok: boolean;
  readonly phases: Phases;
  /** The IP address actually connected to (or the resolver asked, for DNS). */
  readonly peerAddress?: string;
  readonly error?: ProbeError;
  readonly details: Details;
}
