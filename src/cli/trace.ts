// `candor trace HOST`: where a host is served from, now, from here: the resolution chain, the addresses,
// their networks (ASN, organisation, registered country), the certificate with its fingerprints and the
// CDN hinted by the response headers. Exit 0 when something answered, 1 when the name does not resolve or
// nothing answers, 2 on usage errors.
import { isIP } from 'node:net';
import { parseDuration } from '../config/durations.js';
import { MAX_TIMER_MS } from '../config/values.js';
import { parseServerAddress } from '../probes/dns.js';
import { traceProvenance, type ProvenanceTrace } from '../provenance/probe.js';
import { writeOut } from './check.js';
import { EXIT } from './exit.js';
import { openIpDb, type CommandIo } from './ipdb.js';

export interface TraceOptions {
  readonly port?: string;
  readonly resolver?: string;
  readonly json?: boolean;
  readonly ipdb?: string;
  readonly timeout: string;
  /** false with --no-tls: plain TCP (no certificate). */
  readonly tls?: boolean;
  /** false with --no-http: no HEAD request for CDN hints. */
  readonly http?: boolean;
}

const HOST_NAME = /^(?=.{1,253}$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\.?$/i;

/** HOST, or a URL whose host (and port) are taken; undefined when it is neither. */
function targetOf(text: string): { host: string; port?: number } | undefined {
  if (text.includes('://')) {
    try {
      const url = new URL(text);
      const host = url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname;
      const port = url.port ? Number(url.port) : url.protocol === 'http:' ? 80 : url.protocol === 'https:' ? 443 : undefined;
      return { host, ...(port === undefined ? {} : { port }) };
    } catch {
      return undefined;
    }
  }
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  if (isIP(bare) !== 0 || HOST_NAME.test(bare)) return { host: bare };
  return undefined;
}

function usage(io: CommandIo, message: string): number {
  io.err.write(`candor trace: ${message}\n`);
  return EXIT.usage;
}

export async function traceCommand(target: string, options: TraceOptions, io: CommandIo): Promise<number> {
  const parsed = targetOf(target);
  if (!parsed) return usage(io, `${JSON.stringify(target)} is not a host name, an IP address or a URL`);
  const port = options.port === undefined ? (parsed.port ?? 443) : Number(options.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return usage(io, `--port must be a whole number from 1 to 65535, got ${JSON.stringify(options.port)}`);
  if (options.resolver !== undefined && !parseServerAddress(options.resolver)) {
    return usage(io, `--resolver must be IP or IP:PORT (like 127.0.0.1:5353 or [::1]:53), got ${JSON.stringify(options.resolver)}`);
  }
  const timeoutMs = parseDuration(options.timeout);
  if (timeoutMs === undefined || timeoutMs <= 0 || timeoutMs > MAX_TIMER_MS) return usage(io, `--timeout must be a duration like "10s", got ${JSON.stringify(options.timeout)}`);
  const ipdb = openIpDb('trace', options.ipdb, io.err);
  if (typeof ipdb === 'number') return ipdb;

  const trace = await traceProvenance({
    host: parsed.host,
    port,
    ...(options.resolver === undefined ? {} : { resolver: options.resolver }),
    timeoutMs,
    ipdb,
    tls: options.tls !== false && !(options.tls === undefined && port === 80),
    requestHeaders: options.http !== false,
  });
  const text = options.json ? `${JSON.stringify({ ...trace.snapshot, cdnEvidence: trace.hints }, null, 2)}\n` : formatTrace(trace);
  const failed = await writeOut(io.out, text);
  if (failed && failed.code !== 'EPIPE') io.err.write(`candor trace: could not print the report: ${failed.code ?? failed.message}\n`);
  return trace.snapshot.connectedAddress === undefined ? EXIT.checkFailed : EXIT.ok;
}

export function formatTrace(trace: ProvenanceTrace): string {
  const s = trace.snapshot;
  const lines: string[] = [`trace ${s.host} port ${s.port}${s.resolver ? `, resolver ${s.resolver}` : ''}`];
  const row = (label: string, value: string): void => {
    lines.push(`${label.padEnd(17)}${value}`);
  };
  if (s.resolver) row('resolution', [s.host, ...s.cnames].join(' → ') + (s.cnames.length > 0 ? '  (CNAME)' : ''));
  s.addresses.forEach((entry, index) => row(index === 0 ? 'addresses' : '', `${entry.address}  ${entry.family === 4 ? 'A' : 'AAAA'}${s.resolver ? `  ttl ${entry.ttl}s` : ''}`));
  s.networks.forEach((network, index) =>
    row(
      index === 0 ? 'networks' : '',
      network.asn === undefined
        ? `${network.address}  (not in the IP database)`
        : `${network.address}  AS${network.asn}  ${network.org}  ${network.country ?? '(no country)'}`,
    ),
  );
  row('connected', s.connectedAddress ?? '(nothing answered)');
  const certificate = s.certificate;
  if (certificate) {
    row('certificate', certificate.subject);
    row('  issuer', certificate.issuer);
    row('  names', certificate.sans.join(', ') || '(none)');
    row('  valid', `${certificate.validFrom} to ${certificate.validTo}`);
    row('  sha256', certificate.fingerprint256);
    row('  issuer sha256', certificate.issuerFingerprint256 ?? '(issuer not sent)');
  }
  row('cdn', trace.hints.length > 0 ? trace.hints.map((hint) => `${hint.provider} (${hint.evidence})`).join('; ') : trace.headersFailure ? `(no response headers: ${trace.headersFailure.kind})` : '(no hint)');
  if (s.error) row('error', `${s.error.kind}: ${s.error.message}`);
  lines.push('countries are where a network is registered, not where the server stands (anycast, CDNs)');
  return `${lines.join('\n')}\n`;
}
