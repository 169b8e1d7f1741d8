// The TLS probe: handshake with SNI and report the certificate whatever its state. The handshake
// itself never rejects; verification is computed afterwards so an expired or untrusted certificate
// still yields its facts (dates, names, fingerprint) as evidence.
import tls from 'node:tls';
import { isIP } from 'node:net';
import { performance } from 'node:perf_hooks';
import type { TlsProbeSpec } from '../domain/monitor.js';
import { systemClock, type Clock } from '../runtime/clock.js';
import {
  Deadline,
  ProbeFailure,
  bareHost,
  certificateErrorKind,
  failedOutcome,
  fixedLookup,
  okOutcome,
  resolveHost,
  roundMs,
  toProbeFailure,
  type ProbeStage,
  type HostLookup,
} from './errors.js';
import type { Probe, ProbeOutcome, ProbeRunOptions } from './types.js';
import type { CertificateFacts, ErrorKind, Phases, TlsDetails } from '../domain/observation.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TlsProbeDeps {
  /** Wall clock for daysRemaining; default the system clock. */
  readonly clock?: Clock;
  /** How names are resolved; default the system's (getaddrinfo). */
  readonly lookup?: HostLookup;
}


interface TlsProgress {
  stage: ProbeStage;
  phases: Omit<Phases, 'total'>;
  peerAddress?: string;
}

interface Handshake {
  readonly certificate: tls.PeerCertificate;
  readonly protocol: string;
  readonly cipher: string;
  readonly chainVerified: boolean;
  readonly chainError?: string;
}

/** "CN=example.org, O=Example" from Node's parsed name object (values may repeat as arrays). */
function formatName(name: Record<string, string | string[]> | undefined): string {
  if (!name) return '';
  return Object.entries(name)
    .flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((item) => `${key}=${item}`))
    .join(', ');
}

/** "DNS:a.example, IP Address:127.0.0.1" -> ["a.example", "127.0.0.1"]. */
function parseSans(subjectaltname: string | undefined): string[] {
  if (!subjectaltname) return [];
  return subjectaltname
    .split(', ')
    .map((entry) => entry.replace(/^(DNS|IP Address|email|URI):/, ''))
    .filter((entry) => entry.length > 0);
}

export function certificateFacts(certificate: tls.PeerCertificate, nowMs: number): CertificateFacts {
  const notBefore = new Date(certificate.valid_from);
  const notAfter = new Date(certificate.valid_to);
  return {
    subject: formatName(certificate.subject as unknown as Record<string, string | string[]>),
    issuer: formatName(certificate.issuer as unknown as Record<string, string | string[]>),
    sans: parseSans(certificate.subjectaltname),
    notBefore: Number.isNaN(notBefore.getTime()) ? certificate.valid_from : notBefore.toISOString(),
    notAfter: Number.isNaN(notAfter.getTime()) ? certificate.valid_to : notAfter.toISOString(),
    daysRemaining: Math.floor((notAfter.getTime() - nowMs) / DAY_MS),
    fingerprintSha256: certificate.fingerprint256,
    serialNumber: certificate.serialNumber,
  };
}

function handshake(spec: TlsProbeSpec, deadline: Deadline, progress: TlsProgress, lookup: ReturnType<typeof fixedLookup>) {
  const host = bareHost(spec.host);
  const servername = spec.servername ?? (isIP(host) === 0 ? host.replace(/\.$/, '') : undefined);
  const connectStartedAt = performance.now();
  return new Promise<Handshake>((resolve, reject) => {
    let settled = false;
    const socket = tls.connect({
      host,
      port: spec.port,
      ...(servername ? { servername } : {}),
      rejectUnauthorized: false,
      lookup: lookup as unknown as tls.ConnectionOptions['lookup'],
    });
    const settle = (result?: Handshake, error?: unknown): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      socket.destroy();
      if (result) resolve(result);
      else reject(error);
    };
    const onAbort = (): void => settle(undefined, deadline.failureAt(progress.stage));
    const stopWaiting = deadline.onExpire(onAbort);
    let connectedAt = connectStartedAt;
    socket.once('connect', () => {
      connectedAt = performance.now();
      progress.phases.connect = roundMs(connectedAt - connectStartedAt);
      progress.peerAddress = socket.remoteAddress;
      progress.stage = 'tls';
    });
    socket.once('secureConnect', () => {
      progress.phases.tls = roundMs(performance.now() - connectedAt);
      progress.stage = 'response';
      const certificate = socket.getPeerCertificate(false);
      if (!certificate || Object.keys(certificate).length === 0) {
        settle(undefined, new ProbeFailure('tls_handshake', 'server presented no certificate'));
        return;
      }
      // Node sets authorizationError to a code string (e.g. CERT_HAS_EXPIRED), despite its declared type. It also
      // folds its own hostname check in (ERR_TLS_CERT_ALTNAME_INVALID, only when the chain was fine); the
      // hostname is judged separately below, so that code means the chain itself verified.
      const reported = socket.authorizationError ? String(socket.authorizationError) : undefined;
      const chainError = reported === 'ERR_TLS_CERT_ALTNAME_INVALID' ? undefined : reported;
      settle({
        certificate,
        protocol: socket.getProtocol() ?? 'unknown',
        cipher: socket.getCipher()?.name ?? 'unknown',
        chainVerified: chainError === undefined,
        ...(chainError ? { chainError } : {}),
      });
    });
    socket.on('error', (error) => settle(undefined, toProbeFailure(error, progress.stage, deadline)));
    socket.on('close', () => {
      const kind: ErrorKind = progress.stage === 'tls' ? 'tls_handshake' : 'connect_reset';
      settle(undefined, new ProbeFailure(kind, 'connection closed before the TLS handshake finished'));
    });
    if (deadline.expired) onAbort();
  });
}

/** The name the certificate must cover: the SNI name, else the host (names or IP literals). */
function identityToCheck(spec: TlsProbeSpec): string {
  return spec.servername ?? bareHost(spec.host);
}

function verify(
  spec: TlsProbeSpec,
  result: Handshake,
  identityError: Error | undefined,
  facts: CertificateFacts,
): { kind: ErrorKind; message: string } | undefined {
  // Chain errors first, as Node's own https client reports them, so both probes agree on the kind.
  if (result.chainError) {
    const kind = certificateErrorKind(result.chainError);
    const when =
      kind === 'tls_cert_expired' ? `, expired ${facts.notAfter}` : kind === 'tls_cert_not_yet_valid' ? `, valid from ${facts.notBefore}` : '';
    return { kind, message: `certificate verification failed: ${result.chainError}${when}` };
  }
  if (identityError) return { kind: 'tls_hostname_mismatch', message: identityError.message };
  const minDays = spec.expect.minDaysValid;
  if (minDays !== undefined && facts.daysRemaining < minDays) {
    return { kind: 'assertion_failed', message: `certificate expires in ${facts.daysRemaining} days, expected at least ${minDays}` };
  }
  return undefined;
}

export function createTlsProbe(deps: TlsProbeDeps = {}): Probe<TlsProbeSpec> {
  const clock = deps.clock ?? systemClock;
  return {
    type: 'tls',
    async run(spec: TlsProbeSpec, options: ProbeRunOptions): Promise<ProbeOutcome> {
      const deadline = new Deadline(options);
      const progress: TlsProgress = { stage: 'dns', phases: {} };
      const phasesNow = (): Phases => ({ ...progress.phases, total: deadline.elapsedMs() });
      try {
        const resolved = await resolveHost(spec.host, deadline, { ...(deps.lookup ? { lookup: deps.lookup } : {}), publicOnly: options.publicTargetsOnly });
        if (resolved.dnsMs !== undefined) progress.phases.dns = resolved.dnsMs;
        // The address tried first: kept as evidence even when the connection then fails.
        progress.peerAddress = resolved.addresses[0]?.address;
        progress.stage = 'connect';
        const result = await handshake(spec, deadline, progress, fixedLookup(resolved));
        const facts = certificateFacts(result.certificate, clock.now());
        const identityError = tls.checkServerIdentity(identityToCheck(spec), result.certificate);
        const verifyError = result.chainError ?? identityError?.message;
        const details: TlsDetails = {
          type: 'tls',
          ...facts,
          protocol: result.protocol,
          cipher: result.cipher,
          chainVerified: result.chainVerified,
          hostnameVerified: identityError === undefined,
          ...(verifyError ? { verifyError } : {}),
        };
        const failure = verify(spec, result, identityError, facts);
        if (failure) return failedOutcome(failure, phasesNow(), details, progress.peerAddress);
        return okOutcome(phasesNow(), details, progress.peerAddress);
      } catch (error) {
        const failure = toProbeFailure(error, progress.stage, deadline);
        return failedOutcome(failure.toProbeError(), phasesNow(), { type: 'tls' }, progress.peerAddress);
      } finally {
        deadline.dispose();
      }
    },
  };
}
