// The HTTP(S) probe: one fresh connection per hop (no keep-alive) so every check measures real
// DNS, connect, TLS and first-byte phases; redirects followed up to maxRedirects; body read up to a cap.
//
// Phases describe the final hop: dns (lookup, absent for IP literals), connect (TCP), tls (handshake,
// https only), ttfb (from the start of that hop, its lookup included, to the first response byte).
// total runs from the start of the whole run to the end of the body, redirects included.
import http from 'node:http';
import https from 'node:https';
import { performance } from 'node:perf_hooks';
import type { Socket } from 'node:net';
import type { HttpProbeSpec } from '../domain/monitor.js';
import { evaluateHttpExpect } from './http-assertions.js';
import {
  Deadline,
  ProbeFailure,
  bareHost,
  excerpt,
  failedOutcome,
  fixedLookup,
  okOutcome,
  resolveHost,
  roundMs,
  toProbeFailure,
  type HostLookup,
  type ProbeStage,
  type Resolution,
} from './errors.js';
import type { Probe, ProbeOutcome, ProbeRunOptions } from './types.js';
import type { HttpDetails, Phases } from '../domain/observation.js';

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);
const DEFAULT_USER_AGENT = 'Candor/0.1 (uptime probe)';
/** Headers a redirect to another origin must not carry along. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization']);

interface HopRequest {
  readonly url: URL;
  readonly method: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

interface HopResponse {
  readonly status: number;
  readonly httpVersion: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  readonly bodyBytes: number;
  readonly bodyTruncated: boolean;
  /** Phases of this hop, ttfb measured from the hop's start (its DNS lookup included). */
  readonly phases: Omit<Phases, 'total'>;
  peerAddress?: string;
}

/** Per-hop progress, kept outside the promise so a failure still reports what was measured. */
interface HopProgress {
  stage: ProbeStage;
  phases: Omit<Phases, 'total'>;
  peerAddress?: string;
}

/** Fields whose repeats Node drops (keeping the first) in IncomingMessage#headers; others are joined. */
const SINGLE_VALUED = new Set([
  'age', 'authorization', 'content-length', 'content-type', 'etag', 'expires', 'from', 'host', 'if-modified-since',
  'if-unmodified-since', 'last-modified', 'location', 'max-forwards', 'proxy-authorization', 'referer', 'retry-after',
  'server', 'user-agent',
]);

/**
 * Every response header, names lower-case, repeats joined with ", " as Node's `headers` does (with
 * set-cookie joined too), read straight from the raw pairs: `response.headers` builds its own object
 * first, a cost paid on every check.
 */
function flattenHeaders(raw: readonly string[]): Record<string, string> {
  const headers = Object.create(null) as Record<string, string>;
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i]!.toLowerCase();
    const value = raw[i + 1]!;
    const existing = headers[name];
    if (existing === undefined) headers[name] = value;
    else if (!SINGLE_VALUED.has(name)) headers[name] = `${existing}, ${value}`;
  }
  return headers;
}

function keptHeaders(headers: Record<string, string>, keep: readonly string[]): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of keep) {
    const value = headers[name.toLowerCase()];
    if (value !== undefined) kept[name.toLowerCase()] = value;
  }
  return kept;
}

function withDefaultHeaders(request: HopRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  headers['user-agent'] ??= DEFAULT_USER_AGENT;
  headers['connection'] = 'close';
  if (request.body !== undefined) headers['content-length'] ??= String(Buffer.byteLength(request.body));
  return headers;
}

/** One request/response on its own connection; rejects with a ProbeFailure. */
async function runHop(
  request: HopRequest,
  spec: HttpProbeSpec,
  deadline: Deadline,
  progress: HopProgress,
  resolution: Resolution,
): Promise<HopResponse> {
  const hopStartedAt = performance.now();
  const isHttps = request.url.protocol === 'https:';
  progress.stage = 'dns';
  const resolved = await resolveHost(request.url.hostname, deadline, resolution);
  if (resolved.dnsMs !== undefined) progress.phases.dns = resolved.dnsMs;
  // The address tried first: kept as evidence even when the connection then fails.
  progress.peerAddress = resolved.addresses[0]?.address;
  progress.stage = 'connect';
  const connectStartedAt = performance.now();

  const agent = isHttps
    ? new https.Agent({ keepAlive: false, maxSockets: 1, rejectUnauthorized: spec.verifyTls })
    : new http.Agent({ keepAlive: false, maxSockets: 1 });
  return new Promise<HopResponse>((resolve, reject) => {
    let settled = false;
    let firstByteAt: number | undefined;
    const finish = (outcome: { response?: HopResponse; error?: unknown }): void => {
      if (settled) return;
      settled = true;
      stopWaiting();
      if (outcome.response) return resolve(outcome.response);
      clientRequest.destroy();
      reject(toProbeFailure(outcome.error, progress.stage, deadline));
    };
    let stopWaiting = (): void => {};
    const onConnected = (socket: Socket): void => {
      const connectedAt = performance.now();
      progress.phases.connect = roundMs(connectedAt - connectStartedAt);
      // With one address there is nothing to ask the kernel (getpeername) about.
      if (resolved.addresses.length > 1) progress.peerAddress = socket.remoteAddress ?? progress.peerAddress;
      if (!isHttps) {
        progress.stage = 'request';
        return;
      }
      progress.stage = 'tls';
      socket.once('secureConnect', () => {
        progress.phases.tls = roundMs(performance.now() - connectedAt);
        progress.stage = 'request';
      });
    };

    const options: https.RequestOptions = {
      protocol: request.url.protocol,
      hostname: bareHost(request.url.hostname),
      port: request.url.port || (isHttps ? 443 : 80),
      path: `${request.url.pathname}${request.url.search}`,
      method: request.method,
      headers: withDefaultHeaders(request),
      agent,
      lookup: fixedLookup(resolved) as unknown as http.RequestOptions['lookup'],
    };
    if (isHttps) options.rejectUnauthorized = spec.verifyTls;
    const clientRequest = (isHttps ? https : http).request(options);
    // Released once the socket is closed, not as soon as the body is in: the server closes first
    // (connection: close), so its side, not ours, keeps the TIME_WAIT, and our connects stay cheap.
    clientRequest.on('close', () => agent.destroy());
    // The error it is destroyed with is replaced by the deadline's own failure (toProbeFailure).
    const expire = (): void => void clientRequest.destroy(new Error('deadline'));
    stopWaiting = deadline.onExpire(expire);
    if (deadline.expired) expire();

    clientRequest.on('socket', (socket: Socket) => {
      socket.once('data', () => {
        firstByteAt ??= performance.now();
      });
      if (socket.connecting) socket.once('connect', () => onConnected(socket));
      else onConnected(socket);
    });
    clientRequest.on('error', (error) => finish({ error }));
    clientRequest.on('response', (response) => {
      firstByteAt ??= performance.now();
      progress.phases.ttfb = roundMs(firstByteAt - hopStartedAt);
      progress.stage = 'response';
      const headers = flattenHeaders(response.rawHeaders);
      const status = response.statusCode ?? 0;
      const done = (body: Buffer, bodyBytes: number, bodyTruncated: boolean): void => {
        const hop: HopResponse = { status, httpVersion: response.httpVersion, headers, body, bodyBytes, bodyTruncated, phases: progress.phases };
        if (progress.peerAddress) hop.peerAddress = progress.peerAddress;
        finish({ response: hop });
      };

      // A redirect we are going to follow: its body is of no interest.
      if (isFollowedRedirect(status, headers, spec)) {
        done(Buffer.alloc(0), 0, false);
        response.destroy();
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        if (settled) return;
        received += chunk.length;
        chunks.push(chunk);
        if (received > spec.maxBodyBytes) {
          // Settle before destroying: destroy() synchronously reports the cut-short body as an abort.
          done(Buffer.concat(chunks).subarray(0, spec.maxBodyBytes), received, true);
          response.destroy();
        }
      });
      response.on('end', () => done(Buffer.concat(chunks), received, false));
      response.on('error', (error) => finish({ error }));
      response.on('aborted', () => finish({ error: Object.assign(new Error('response body cut short'), { code: 'ECONNRESET' }) }));
    });
    clientRequest.end(request.body);
  });
}

function isFollowedRedirect(status: number, headers: Record<string, string>, spec: HttpProbeSpec): boolean {
  return spec.maxRedirects > 0 && REDIRECT_STATUSES.has(status) && headers['location'] !== undefined;
}

/** The request a redirect leads to (RFC 9110 §15.4): 303, and 301/302 after POST, become GET without body. */
function nextRequest(previous: HopRequest, status: number, location: string): HopRequest {
  let url: URL;
  try {
    url = new URL(location, previous.url);
  } catch {
    throw new ProbeFailure('http_protocol', `invalid redirect location ${JSON.stringify(location)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ProbeFailure('http_protocol', `redirect to unsupported scheme ${url.protocol}`);
  }
  const becomesGet =
    (status === 303 && previous.method !== 'HEAD') || ((status === 301 || status === 302) && previous.method === 'POST');
  const sameOrigin = url.origin === previous.url.origin;
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(previous.headers)) {
    const lower = name.toLowerCase();
    if (!sameOrigin && CREDENTIAL_HEADERS.has(lower)) continue;
    // A configured Host names the first server's virtual host; the next hop has its own.
    if (lower === 'host') continue;
    if (becomesGet && (lower === 'content-type' || lower === 'content-length')) continue;
    headers[name] = value;
  }
  return {
    url,
    method: becomesGet ? 'GET' : previous.method,
    headers,
    ...(becomesGet || previous.body === undefined ? {} : { body: previous.body }),
  };
}

async function runHttp(spec: HttpProbeSpec, deadline: Deadline, resolution: Resolution): Promise<ProbeOutcome> {
  const redirects: string[] = [];
  const progress: HopProgress = { stage: 'dns', phases: {} };
  const phasesNow = (): Phases => ({ ...progress.phases, total: deadline.elapsedMs() });
  try {
    let url: URL;
    try {
      url = new URL(spec.url);
    } catch {
      throw new ProbeFailure('http_protocol', `invalid URL ${JSON.stringify(spec.url)}`);
    }
    let request: HopRequest = {
      url,
      method: spec.method.toUpperCase(),
      headers: spec.headers,
      ...(spec.body === undefined ? {} : { body: spec.body }),
    };
    for (;;) {
      // Phases describe the final hop; total covers the whole chain.
      progress.phases = {};
      delete progress.peerAddress;
      const response = await runHop(request, spec, deadline, progress, resolution);
      const location = response.headers['location'];
      if (location !== undefined && isFollowedRedirect(response.status, response.headers, spec)) {
        if (redirects.length >= spec.maxRedirects) {
          throw new ProbeFailure(
            'too_many_redirects',
            `more than ${spec.maxRedirects} redirects (next would be ${location})`,
          );
        }
        request = nextRequest(request, response.status, location);
        redirects.push(request.url.href);
        continue;
      }
      return judge(spec, response, redirects, phasesNow());
    }
  } catch (error) {
    const failure = toProbeFailure(error, progress.stage, deadline);
    return failedOutcome(failure.toProbeError(), phasesNow(), { type: 'http', redirects }, progress.peerAddress);
  }
}

function judge(spec: HttpProbeSpec, response: HopResponse, redirects: string[], phases: Phases): ProbeOutcome {
  const bodyText = response.body.toString('utf8');
  const details: HttpDetails = {
    type: 'http',
    status: response.status,
    httpVersion: response.httpVersion,
    headers: keptHeaders(response.headers, spec.keepHeaders),
    bodyBytes: response.bodyBytes,
    bodyTruncated: response.bodyTruncated,
    redirects,
  };
  const failure = evaluateHttpExpect(spec.expect, {
    status: response.status,
    headers: response.headers,
    bodyText,
    bodyTruncated: response.bodyTruncated,
    maxBodyBytes: spec.maxBodyBytes,
    latencyMs: phases.total,
  });
  const fullPhases: Phases = { ...response.phases, total: phases.total };
  if (!failure) return okOutcome(fullPhases, details, response.peerAddress);
  return failedOutcome(failure, fullPhases, bodyText.length > 0 ? { ...details, bodyExcerpt: excerpt(bodyText) } : details, response.peerAddress);
}

export function createHttpProbe(deps: { readonly lookup?: HostLookup } = {}): Probe<HttpProbeSpec> {
  return {
    type: 'http',
    async run(spec: HttpProbeSpec, options: ProbeRunOptions): Promise<ProbeOutcome> {
      const deadline = new Deadline(options);
      try {
        return await runHttp(spec, deadline, { ...deps, publicOnly: options.publicTargetsOnly });
      } finally {
        deadline.dispose();
      }
    },
  };
}
