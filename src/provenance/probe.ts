// The provenance probe: who serves a host, as seen from here, now. Resolves the name straight at a
// resolver (the given one, else the system's first from /etc/resolv.conf), connects to the addresses in
// order, reads the certificate, asks the IP database about every address and reads CDN hints from
// response headers (the caller's, from its HTTP check, or from one HEAD request when asked). Failures
// are data: the snapshot says what failed with an error kind; this never throws for a bad target.
import { isIP } from 'node:net';
import type { IncomingHttpHeaders } from 'node:http';
import { parseServerAddress, systemResolver, type ResolverAddress } from '../probes/dns.js';
import { Deadline, ProbeFailure, bareHost, toProbeFailure } from '../probes/errors.js';
import { cdnHints, type CdnHint, type ResponseHeaders } from './cdn-hints.js';
import { connectFirst, headOver, type Connection } from './connection.js';
import type { IpDb } from './ipdb.js';
import { resolveWith } from './resolution.js';
import type { NetworkInfo, ProvenanceSnapshot, ResolvedAddress } from './snapshot.js';

export interface ProvenanceRequest {
  readonly host: string;
  readonly port: number;
  /** "IP" or "IP:PORT" ("[IPv6]:PORT"); default the system's first resolver. */
  readonly resolver?: string;
  readonly timeoutMs: number;
  readonly ipdb: IpDb;
  /** Headers of an HTTP response from this host (an HTTP check's evidence), for CDN hints. */
  readonly headers?: ResponseHeaders;
  /** TLS handshake for the certificate; default true. */
  readonly tls?: boolean;
  /** Without `headers`: send one HEAD / after connecting and read the hints from its answer; default false. */
  readonly requestHeaders?: boolean;
  readonly signal?: AbortSignal;
  /** The system's resolvers, in Node's getServers() format (tests); default node:dns getServers. */
  readonly systemResolvers?: () => string[];
}

/** The snapshot and, for a report, what was seen on the way there. */
export interface ProvenanceTrace {
  readonly snapshot: ProvenanceSnapshot;
  readonly hints: readonly CdnHint[];
  /** Why the HEAD request gave no headers, when one was sent. */
  readonly headersFailure?: { readonly kind: string; readonly message: string };
}

export async function observeProvenance(request: ProvenanceRequest): Promise<ProvenanceSnapshot> {
  return (await traceProvenance(request)).snapshot;
}

function resolverOf(request: ProvenanceRequest): ResolverAddress {
  if (request.resolver === undefined) return systemResolver(request.systemResolvers ? { systemResolvers: request.systemResolvers } : {});
  const parsed = parseServerAddress(request.resolver);
  if (!parsed) throw new ProbeFailure('dns_error', `resolver ${JSON.stringify(request.resolver)} is not IP or IP:PORT`);
  return parsed;
}

function networksOf(addresses: readonly string[], ipdb: IpDb): NetworkInfo[] {
  return [...new Set(addresses)].map((address) => {
    const info = ipdb.lookup(address);
    if (!info) return { address };
    return { address, asn: info.asn, org: info.org, ...(info.country === undefined ? {} : { country: info.country }) };
  });
}

export async function traceProvenance(request: ProvenanceRequest): Promise<ProvenanceTrace> {
  const host = bareHost(request.host).replace(/\.$/, '') || request.host;
  const literal = isIP(host);
  const deadline = new Deadline({ timeoutMs: request.timeoutMs, ...(request.signal ? { signal: request.signal } : {}) });
  let resolverText: string | undefined;
  let cnames: readonly string[] = [];
  let addresses: readonly ResolvedAddress[] = [];
  let connection: Connection | undefined;
  let failure: ProbeFailure | undefined;
  let headers: ResponseHeaders | IncomingHttpHeaders | undefined = request.headers;
  let headersFailure: ProbeFailure | undefined;
  try {
    if (literal !== 0) {
      addresses = [{ address: host, family: literal as 4 | 6, ttl: 0 }];
    } else {
      const resolver = resolverOf(request);
      resolverText = resolver.host.includes(':') ? `[${resolver.host}]:${resolver.port}` : `${resolver.host}:${resolver.port}`;
      const resolution = await resolveWith(resolver, host, deadline);
      cnames = resolution.cnames;
      addresses = resolution.addresses;
    }
    connection = await connectFirst(
      addresses.map((entry) => entry.address),
      request.port,
      literal === 0 ? host : undefined,
      request.tls !== false,
      deadline,
    );
    failure = connection.failure;
    if (!failure && headers === undefined && request.requestHeaders) {
      const head = await headOver(connection.socket, literal === 6 ? `[${host}]:${request.port}` : `${host}:${request.port}`, deadline);
      headers = head.headers;
      headersFailure = head.failure;
    }
  } catch (error) {
    failure = toProbeFailure(error, connection ? 'response' : addresses.length > 0 ? 'connect' : 'dns', deadline);
  } finally {
    connection?.socket.destroy();
    deadline.dispose();
  }
  const hints = cdnHints(headers as ResponseHeaders | undefined);
  const snapshot: ProvenanceSnapshot = {
    host,
    port: request.port,
    ...(resolverText ? { resolver: resolverText } : {}),
    cnames,
    addresses,
    ...(connection ? { connectedAddress: connection.address } : {}),
    networks: networksOf([...addresses.map((entry) => entry.address), ...(connection ? [connection.address] : [])], request.ipdb),
    ...(connection?.certificate ? { certificate: connection.certificate } : {}),
    cdns: hints.map((hint) => hint.provider),
    ...(failure ? { error: failure.toProbeError() } : {}),
  };
  return { snapshot, hints, ...(headersFailure ? { headersFailure: headersFailure.toProbeError() } : {}) };
}
