// What every probe shares: the run deadline, phase timing, outcome builders and the one mapping
// from Node's network error codes to stable ErrorKinds.
import { performance } from 'node:perf_hooks';
import { isIP } from 'node:net';
import { lookup } from 'node:dns/promises';
import type { ProbeOutcome, ProbeRunOptions } from './types.js';
import type { Details, ErrorKind, Phases, ProbeError } from '../domain/observation.js';
import { assertPublicAddresses } from './target-guard.js';

/** Where a run was when something went wrong; decides which timeout kind a deadline becomes. */
export type ProbeStage = 'dns' | 'connect' | 'tls' | 'request' | 'response';

const STAGE_WORDS: Record<ProbeStage, string> = {
  dns: 'resolving the name',
  connect: 'connecting',
  tls: 'in the TLS handshake',
  request: 'waiting for the response',
  response: 'reading the response',
};

/** A probe failure carried through async code until run() turns it into an outcome. */
export class ProbeFailure extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'ProbeFailure';
  }

  toProbeError(): ProbeError {
    return { kind: this.kind, message: this.message };
  }
}

/** Monotonic milliseconds since the deadline started; never the wall clock. */
export function roundMs(ms: number): number {
  return Math.max(0, Math.round(ms * 100) / 100);
}

/**
 * Ends every run that was given it (a shutdown). What the checks pass to each run instead of an
 * AbortSignal: a run joins and leaves a set, where an AbortSignal listener added and removed per check
 * cost several microseconds of the thread that times the checks.
 */
export class RunCancellation {
  private readonly waiting = new Set<() => void>();
  private done = false;

  get cancelled(): boolean {
    return this.done;
  }

  cancel(): void {
    if (this.done) return;
    this.done = true;
    for (const callback of [...this.waiting]) callback();
    this.waiting.clear();
  }

  /** Calls `callback` on cancel(); returns what stops waiting. Never calls back once cancelled (look at `cancelled` first). */
  onCancel(callback: () => void): () => void {
    if (this.done) return () => {};
    this.waiting.add(callback);
    return () => void this.waiting.delete(callback);
  }
}

/**
 * The overall bound of one run: fires once after timeoutMs or when the caller's signal aborts, and
 * then calls back whatever the run waits on (onExpire). dispose() releases the timer and listener.
 * Callbacks rather than an AbortSignal per run: passing a signal to a request costs about a tenth of a
 * loopback check (listeners added and removed on the request and its socket).
 */
export class Deadline {
  readonly startedAt = performance.now();
  readonly timeoutMs: number;
  private readonly timer: NodeJS.Timeout;
  private readonly outerSignal: AbortSignal | undefined;
  private readonly onOuterAbort = (): void => this.fire('aborted');
  private readonly stopWaitingForCancel: (() => void) | undefined;
  private cause: 'timeout' | 'aborted' | undefined;
  private waiting: (() => void)[] = [];

  constructor(options: ProbeRunOptions) {
    // Node fires a timer longer than 2^31-1 ms at once: clamp rather than time out immediately.
    this.timeoutMs = Math.min(2_147_483_647, Math.max(0, options.timeoutMs));
    this.timer = setTimeout(() => this.fire('timeout'), this.timeoutMs);
    this.outerSignal = options.signal;
    if (this.outerSignal?.aborted || options.cancel?.cancelled) this.fire('aborted');
    else {
      this.outerSignal?.addEventListener('abort', this.onOuterAbort, { once: true });
      this.stopWaitingForCancel = options.cancel?.onCancel(this.onOuterAbort);
    }
  }

  get expired(): boolean {
    return this.cause !== undefined;
  }

  /**
   * Calls `callback` once when the deadline fires; returns what stops waiting. Never calls back for a
   * deadline that has already fired: callers look at `expired` once what the callback ends exists.
   */
  onExpire(callback: () => void): () => void {
    if (this.cause) return () => {};
    this.waiting.push(callback);
    return () => {
      this.waiting = this.waiting.filter((waiting) => waiting !== callback);
    };
  }

  /** Milliseconds since the run started. */
  elapsedMs(): number {
    return roundMs(performance.now() - this.startedAt);
  }

  /** The failure a deadline means at this stage: still resolving, still connecting, or later. */
  failureAt(stage: ProbeStage): ProbeFailure {
    if (this.cause === 'aborted') return new ProbeFailure('timeout', `aborted while ${STAGE_WORDS[stage]}`);
    const kind: ErrorKind = stage === 'dns' ? 'dns_timeout' : stage === 'connect' ? 'connect_timeout' : 'timeout';
    return new ProbeFailure(kind, `timed out after ${this.timeoutMs} ms while ${STAGE_WORDS[stage]}`);
  }

  /** Rejects with failureAt(stage) when the deadline fires first. */
  race<T>(promise: Promise<T>, stage: ProbeStage): Promise<T> {
    if (this.expired) return Promise.reject(this.failureAt(stage));
    return new Promise<T>((resolve, reject) => {
      const stopWaiting = this.onExpire(() => reject(this.failureAt(stage)));
      promise.then(
        (value) => {
          stopWaiting();
          resolve(value);
        },
        (error: unknown) => {
          stopWaiting();
          reject(error);
        },
      );
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outerSignal?.removeEventListener('abort', this.onOuterAbort);
    this.stopWaitingForCancel?.();
  }

  private fire(cause: 'timeout' | 'aborted'): void {
    if (this.cause) return;
    this.cause = cause;
    const waiting = this.waiting;
    this.waiting = [];
    for (const callback of waiting) callback();
  }
}

const UNTRUSTED_CERT_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'CERT_CHAIN_TOO_LONG',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  // The handshake got this far but the certificate does not hold up: not a handshake failure.
  'CERT_SIGNATURE_FAILURE',
  'UNABLE_TO_DECRYPT_CERT_SIGNATURE',
  'UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY',
  'CERT_REVOKED',
]);

/** The kind of a certificate verification error code (OpenSSL's, as Node reports them). */
export function certificateErrorKind(code: string): ErrorKind {
  if (code === 'CERT_HAS_EXPIRED') return 'tls_cert_expired';
  if (code === 'CERT_NOT_YET_VALID') return 'tls_cert_not_yet_valid';
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH') return 'tls_hostname_mismatch';
  if (UNTRUSTED_CERT_CODES.has(code)) return 'tls_cert_untrusted';
  return 'tls_handshake';
}

function errorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The stable kind of a Node network/TLS/HTTP-parser error seen at `stage`. */
export function networkErrorKind(code: string | undefined, stage: ProbeStage): ErrorKind {
  switch (code) {
    case 'ENOTFOUND':
      return 'dns_nxdomain';
    case 'EAI_AGAIN':
      return 'dns_timeout';
    case 'ENODATA':
      return 'dns_no_answer';
    case 'ESERVFAIL':
      return 'dns_servfail';
    case 'EREFUSED':
      return stage === 'dns' ? 'dns_refused' : 'connect_refused';
    case 'ECONNREFUSED':
      return 'connect_refused';
    // A reset before the handshake finished is a failed handshake, not a dropped connection.
    case 'ECONNRESET':
    case 'EPIPE':
      return stage === 'tls' ? 'tls_handshake' : 'connect_reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENETDOWN':
    case 'EADDRNOTAVAIL':
      return 'connect_unreachable';
    case 'ETIMEDOUT':
      return stage === 'dns' ? 'dns_timeout' : stage === 'connect' ? 'connect_timeout' : 'timeout';
    case 'EPROTO':
      return 'tls_handshake';
    default:
      break;
  }
  if (code === undefined) return stage === 'dns' ? 'dns_error' : 'internal';
  if (code.startsWith('HPE_') || code === 'ERR_INVALID_HTTP_RESPONSE') return 'http_protocol';
  if (code.startsWith('ERR_SSL_') || code.startsWith('ERR_TLS_')) {
    return code === 'ERR_TLS_CERT_ALTNAME_INVALID' ? 'tls_hostname_mismatch' : 'tls_handshake';
  }
  const certificateKind = certificateErrorKind(code);
  if (certificateKind !== 'tls_handshake') return certificateKind;
  if (stage === 'dns') return 'dns_error';
  if (stage === 'tls') return 'tls_handshake';
  return 'internal';
}

/** Turns anything a socket, request or lookup threw into a ProbeFailure, honouring an expired deadline. */
export function toProbeFailure(error: unknown, stage: ProbeStage, deadline: Deadline): ProbeFailure {
  if (error instanceof ProbeFailure) return error;
  if (deadline.expired) return deadline.failureAt(stage);
  const code = errorCode(error);
  const kind = networkErrorKind(code, stage);
  // Racing several addresses (happy eyeballs) fails with an AggregateError whose own message is empty.
  const text = error instanceof AggregateError && !error.message ? error.errors.map(errorMessage).join('; ') : errorMessage(error);
  const message = code && !text.includes(code) ? `${text} (${code})` : text;
  return new ProbeFailure(kind, message);
}

export interface ResolvedHost {
  readonly addresses: readonly { address: string; family: number }[];
  /** Absent when the host was an IP literal and nothing was resolved. */
  readonly dnsMs?: number;
}

/** Strips the brackets a URL puts around IPv6 literals. */
export function bareHost(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/**
 * Resolves a host name with the system resolver (getaddrinfo), bounded by the deadline. With
 * `publicOnly` (the run's `publicTargetsOnly`), addresses that are not public end the run as
 * `target_forbidden`: every probe connects through the addresses returned here, so this is the check.
 */
export async function resolveHost(host: string, deadline: Deadline, resolution: Resolution = {}): Promise<ResolvedHost> {
  const resolved = await resolveAny(host, deadline, resolution.lookup ?? systemLookup);
  if (resolution.publicOnly) assertPublicAddresses(bareHost(host), resolved.addresses);
  return resolved;
}

/** Every address a name resolves to. */
export type HostLookup = (host: string) => Promise<{ address: string; family: number }[]>;

/** getaddrinfo, as every program on the machine resolves names. */
export const systemLookup: HostLookup = (host) => lookup(host, { all: true });

/** How a run resolves names: the lookup used (the system's unless given), and whether only public addresses may be reached. */
export interface Resolution {
  readonly lookup?: HostLookup;
  readonly publicOnly?: boolean | undefined;
}

async function resolveAny(host: string, deadline: Deadline, hostLookup: HostLookup): Promise<ResolvedHost> {
  const bare = bareHost(host);
  const family = isIP(bare);
  if (family !== 0) return { addresses: [{ address: bare, family }] };
  const startedAt = performance.now();
  try {
    const addresses = await deadline.race(hostLookup(bare), 'dns');
    if (addresses.length === 0) throw new ProbeFailure('dns_no_answer', `no addresses for ${bare}`);
    return { addresses, dnsMs: roundMs(performance.now() - startedAt) };
  } catch (error) {
    const failure = toProbeFailure(error, 'dns', deadline);
    if (failure.kind === 'dns_nxdomain') throw new ProbeFailure('dns_nxdomain', `${bare} does not resolve (ENOTFOUND)`);
    throw failure;
  }
}

/** A net/tls `lookup` option that hands back addresses already resolved (so DNS is timed on its own). */
export function fixedLookup(resolved: ResolvedHost) {
  return (
    _hostname: string,
    options: { all?: boolean },
    callback: (error: Error | null, address: string | { address: string; family: number }[], family?: number) => void,
  ): void => {
    const first = resolved.addresses[0]!;
    if (options.all) callback(null, [...resolved.addresses]);
    else callback(null, first.address, first.family);
  };
}

export function failedOutcome(
  failure: ProbeError,
  phases: Phases,
  details: Details,
  peerAddress?: string,
): ProbeOutcome {
  return { ok: false, error: failure, phases, details, ...(peerAddress ? { peerAddress } : {}) };
}

export function okOutcome(phases: Phases, details: Details, peerAddress?: string): ProbeOutcome {
  return { ok: true, phases, details, ...(peerAddress ? { peerAddress } : {}) };
}

/** Text for evidence: decoded leniently and cut to `maxChars`. */
export function excerpt(bytes: Buffer | string, maxChars = 512): string {
  const text = typeof bytes === 'string' ? bytes : bytes.toString('utf8');
  return text.length > maxChars ? `${text.slice(0, maxChars)}…` : text;
}
