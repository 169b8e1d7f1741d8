// Property-based HTTP tests (fast-check) against a real `candor serve`: random and malformed bodies,
// headers, query strings, paths and methods to every operation of its /openapi.json (so routes added
// later are covered without listing them here). Never a 5xx, never a hang or a crash, errors always
// problem+json (or what the document declares, or an HTML page for a browser), a token never echoed.
// Run by test/http/fuzz.test.ts in a network namespace of its own (see there why).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { join } from 'node:path';
import fc from 'fast-check';
import { Validator } from '@seriousme/openapi-schema-validator';
import { hashAgentToken, newAgentToken } from '../../src/agents/tokens.js';
import { hashSecretToken, newSecretToken } from '../../src/tokens/secret-token.js';
import { openStore } from '../../src/storage/open.js';
import { serveCandor } from './candor-process.js';
import { operationsOf, type Operation } from './openapi-operations.js';

export interface FuzzOptions {
  /** Also send valid write and admin tokens, so write handlers see the random bodies (only where nothing can leave loopback). */
  readonly privileged: boolean;
  readonly runs: number;
  readonly parallel: number;
  readonly timeLimitMs: number;
}

export interface FuzzReport {
  readonly requests: number;
  readonly operations: number;
  readonly seconds: number;
  readonly byStatus: Record<string, number>;
  readonly failures: string[];
  readonly authFailures: string[];
  readonly openapiErrors: unknown;
  readonly healthAfter: number;
  readonly exitedEarly: boolean;
}

interface Sent {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body?: string | Uint8Array;
  /** Written byte for byte on a socket (a malformed request), instead of through node:http. */
  readonly raw: boolean;
}

interface Received {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

const CONFIG = `
api: { bodyLimit: 64KiB, rateLimit: { public: { max: 1000000000 }, failedAuth: { max: 1000000000 } } }
monitors:
  - { id: web, name: Web, type: http, url: "http://127.0.0.1:9/", interval: 1h }
  - { id: ssh, name: SSH, type: tcp, host: 127.0.0.1, port: 9, interval: 1h }
`;

export async function runHttpFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const dir = mkdtempSync(join(tmpdir(), 'candor-fuzz-'));
  const data = join(dir, 'data');
  const config = join(dir, 'candor.yaml');
  writeFileSync(config, CONFIG);
  const tokens = await issueTokens(data);
  const server = await serveCandor(['--config', config, '--data', data, '--log-level', 'error']);
  const started = Date.now();
  try {
    const agent = new http.Agent({ keepAlive: true, maxSockets: options.parallel * 2 });
    const base = new URL(server.url);
    const document = JSON.parse((await send(base, agent, { method: 'GET', path: '/openapi.json', headers: {}, raw: false })).body);
    const validator = new Validator();
    const validation = await validator.validate(document);
    const operations = operationsOf(document);
    const authFailures = await checkAuth(base, agent, operations, tokens);

    const byStatus: Record<string, number> = {};
    const failures: string[] = [];
    let requests = 0;
    const arbitrary = requestArbitrary(operations, tokens, options.privileged);
    const property = fc.asyncProperty(arbitrary, async ({ sent, operation }) => {
      requests++;
      const received = await send(base, agent, sent);
      byStatus[received.status] = (byStatus[received.status] ?? 0) + 1;
      const problem = judge(sent, received, operation, Object.values(tokens));
      if (problem) {
        failures.push(`${problem}: ${describe(sent)} → ${received.status} ${String(received.headers['content-type'])} ${received.body.slice(0, 300)}`);
        return false;
      }
      return true;
    });
    const perProperty = Math.ceil(options.runs / options.parallel);
    await Promise.all(
      Array.from({ length: options.parallel }, (_, i) =>
        fc.check(property, { numRuns: perProperty, seed: 18_000 + i, endOnFailure: true, interruptAfterTimeLimit: options.timeLimitMs }),
      ),
    );
    const health = await send(base, agent, { method: 'GET', path: '/healthz', headers: {}, raw: false });
    agent.destroy();
    return {
      requests,
      operations: operations.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
      byStatus,
      failures,
      authFailures,
      openapiErrors: validation.valid ? null : validation.errors,
      healthAfter: health.status,
      exitedEarly: server.process.exitCode !== null,
    };
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

type Tokens = Record<'admin' | 'write' | 'read' | 'revoked' | 'agent', string>;

/** The CLI's way (as candor tokens create and candor agents add do it), straight into the database before the server starts. */
async function issueTokens(data: string): Promise<Tokens> {
  const store = await openStore({ dataDir: data });
  await store.migrate();
  const tokens: Tokens = { admin: '', write: '', read: '', revoked: '', agent: newAgentToken() };
  for (const scope of ['admin', 'write', 'read', 'revoked'] as const) {
    tokens[scope] = newSecretToken('candor_api_');
    await store.tokens.add({ name: `fuzz-${scope}`, scope: scope === 'revoked' ? 'admin' : scope, tokenHash: hashSecretToken(tokens[scope]), createdAt: Date.now() });
  }
  await store.tokens.revoke('fuzz-revoked', Date.now());
  await store.agents.add({ name: 'fuzz-agent', tokenHash: hashAgentToken(tokens.agent), createdAt: Date.now() });
  await store.close();
  return tokens;
}

/** Every operation that needs write or admin refuses a missing, wrong, revoked and read-only token. */
async function checkAuth(base: URL, agent: http.Agent, operations: readonly Operation[], tokens: Tokens): Promise<string[]> {
  const failures: string[] = [];
  for (const operation of operations.filter((o) => o.scope === 'write' || o.scope === 'admin')) {
    const path = operation.template.replace(/\{[^}]+\}/g, 'x1');
    const cases: [string, Record<string, string>, number][] = [
      ['missing', {}, 401],
      ['wrong', { authorization: `Bearer ${newSecretToken('candor_api_')}` }, 401],
      ['revoked', { authorization: `Bearer ${tokens.revoked}` }, 401],
      ['read-only', { authorization: `Bearer ${tokens.read}` }, 403],
      ['an agent', { authorization: `Bearer ${tokens.agent}` }, 401],
    ];
    if (operation.scope === 'admin') cases.push(['write', { authorization: `Bearer ${tokens.write}` }, 403]);
    for (const [name, headers, status] of cases) {
      const withBody = operation.method !== 'GET' && operation.method !== 'HEAD';
      const received = await send(base, agent, { method: operation.method, path, headers: { ...headers, ...(withBody ? { 'content-type': 'application/json' } : {}) }, ...(withBody ? { body: '{}' } : {}), raw: false });
      if (received.status !== status) failures.push(`${operation.method} ${operation.template} with ${name} token: ${received.status}, expected ${status}`);
    }
  }
  return failures;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];
const WEIRD = [
  '', '.', '..', '%00', '%E0%A4%A', '%2F', '%252F', '%2e%2e', 'a%20b', '%C3%A9', '%F0%9F%98%80', '%FF', 'x'.repeat(300), 'null', '-1', '0', '1e309',
  'NaN', '__proto__', 'constructor', '01KB3Q4T0M2YB8K6X1Z7N9P5QR', 'web', 'ssh', 'main', 'fuzz-agent', 'app.css', '%3Cscript%3E', '%22', "'", '%27%20OR%201=1',
];
const printable = (max: number) => fc.string({ unit: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)), maxLength: max });
const segment = fc.oneof(
  fc.constantFrom(...WEIRD),
  fc.stringMatching(/^[a-z0-9-]{1,64}$/),
  fc.string({ maxLength: 40 }).map(encodeURIComponent),
  fc.string({ unit: 'grapheme', maxLength: 12 }).map(encodeURIComponent),
);

function requestArbitrary(operations: readonly Operation[], tokens: Tokens, privileged: boolean): fc.Arbitrary<{ sent: Sent; operation: Operation | undefined }> {
  const usable = privileged ? Object.values(tokens) : [tokens.read, tokens.revoked];
  const authorization = fc.oneof(
    { arbitrary: fc.constantFrom(...usable.map((token) => `Bearer ${token}`)), weight: 3 },
    fc.constantFrom('Bearer', 'Bearer ', 'bearer x', 'Basic Zm9vOmJhcg==', `Bearer ${'a'.repeat(300)}`, 'Bearer candor_api_', 'Token abc'),
    printable(80),
  );
  const headers = fc.record(
    {
      authorization,
      'content-type': fc.oneof(
        fc.constantFrom('application/json', 'application/json; charset=utf-8', 'text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/octet-stream', 'application/json; charset=latin1', 'application/json;;;', ''),
        printable(40),
      ),
      accept: fc.oneof(fc.constantFrom('text/html', 'application/json', '*/*', 'image/svg+xml', 'application/problem+json', 'text/html;q=0', 'application/atom+xml'), printable(40)),
      'accept-encoding': fc.oneof(fc.constantFrom('gzip', 'br', 'deflate', 'identity', '*;q=0', 'identity;q=0', 'gzip;q=0, identity;q=0', 'zstd', 'gzip, br;q=1.5'), printable(30)),
      'if-none-match': fc.oneof(fc.constantFrom('*', '"abc"', 'W/"x"', ''), printable(60)),
      origin: fc.oneof(fc.constantFrom('https://evil.example', 'null', 'http://127.0.0.1'), printable(40)),
      host: fc.oneof(fc.constantFrom('localhost', 'evil.example:99999', '[::1', 'a b', '127.0.0.1:1'), printable(40)),
      'x-forwarded-for': printable(40),
      'x-forwarded-proto': fc.constantFrom('https', 'gopher', ''),
      'candor-agent-buffered': fc.oneof(fc.constantFrom('-1', '1e400', '99999999999999999999', '5'), printable(20)),
      'candor-agent-region': printable(120),
      cookie: printable(60),
      'content-encoding': fc.constantFrom('gzip', 'br', 'deflate', 'x-unknown', 'identity'),
      range: fc.constantFrom('bytes=0-10', 'bytes=-1', 'lines=1'),
    },
    { requiredKeys: [] },
  );
  const jsonBody = fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value));
  const body = fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: jsonBody, weight: 3 },
    { arbitrary: fc.record({ observations: fc.array(fc.dictionary(fc.constantFrom('monitorId', 'vantage', 'startedAt', 'plannedAt', 'ok', 'phases', 'error', 'details', 'x'), fc.jsonValue({ maxDepth: 2 })), { maxLength: 4 }), agent: fc.jsonValue({ maxDepth: 1 }), sentAt: fc.jsonValue({ maxDepth: 1 }), signature: fc.string({ maxLength: 90 }) }, { requiredKeys: [] }).map((value) => JSON.stringify(value)), weight: 2 },
    { arbitrary: fc.string({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.uint8Array({ maxLength: 200 }), weight: 1 },
    { arbitrary: fc.constantFrom('{"a":', '[[[[[[[[[[', '{"__proto__":{"polluted":1}}', 'null', '"x"', '1e999', '{"publicKey":"' + 'A'.repeat(43) + '"}', '[' .repeat(5000)), weight: 1 },
    { arbitrary: fc.constant('x'.repeat(70 * 1024)), weight: 1 },
  );
  const queryValue = fc.oneof(fc.constantFrom(...WEIRD), fc.integer({ min: -5, max: 2000 }).map(String), fc.string({ maxLength: 30 }), fc.date({ noInvalidDate: true }).map((d) => d.toISOString()));

  const forOperation = (operation: Operation) =>
    fc.record({
      method: fc.oneof({ arbitrary: fc.constant(operation.method), weight: 8 }, { arbitrary: fc.constantFrom(...METHODS), weight: 2 }),
      params: fc.tuple(...operation.pathParams.map(() => segment)),
      query: fc.dictionary(fc.oneof({ arbitrary: fc.constantFrom(...operation.queryParams, 'limit', 'before'), weight: 4 }, { arbitrary: fc.string({ maxLength: 10 }), weight: 1 }), fc.oneof(queryValue, fc.constantFrom(...operation.queryEnums)), { maxKeys: 4 }),
      headers,
      body,
      raw: fc.oneof({ arbitrary: fc.constant(false), weight: 9 }, { arbitrary: fc.constant(true), weight: 1 }),
      rawQuery: fc.option(fc.constantFrom('%zz', 'a=%', '&&&', 'limit=1&limit=2', 'a[b]=c', '=', '?'), { freq: 8 }),
    }).map(({ method, params, query, headers, body, raw, rawQuery }) => {
      let index = 0;
      const path = operation.template.replace(/\{[^}]+\}/g, () => params[index++] ?? 'x');
      const search = Object.entries(query).map(([key, value]) => `${encodeURIComponent(key)}=${encodeURIComponent(value)}`);
      if (rawQuery !== null) search.push(rawQuery);
      const sent: Sent = { method, path: search.length > 0 ? `${path}?${search.join('&')}` : path, headers, ...(body !== undefined ? { body } : {}), raw };
      return { sent, operation };
    });

  const randomPath = fc
    .record({
      method: fc.constantFrom(...METHODS),
      segments: fc.array(segment, { minLength: 0, maxLength: 5 }),
      prefix: fc.constantFrom('/', '/api/v1/', '/api/v2/', '/s/', '/s/main/', '/badge/', '/assets/', '/monitors/', '/incidents/', '//', '/api/v1/agent/'),
      headers,
      body,
      raw: fc.boolean(),
      garbage: fc.option(fc.string({ unit: 'binary', maxLength: 30 }), { freq: 4 }),
    })
    .map(({ method, segments, prefix, headers, body, raw, garbage }) => {
      const path = `${prefix}${segments.join('/')}${garbage ?? ''}`;
      // Unescaped bytes in a path can only be sent raw: node:http refuses to send them.
      const sent: Sent = { method, path, headers, ...(body !== undefined ? { body } : {}), raw: raw || garbage !== null };
      return { sent, operation: undefined as Operation | undefined };
    });

  return fc.oneof({ arbitrary: fc.constantFrom(...operations).chain(forOperation), weight: 8 }, { arbitrary: randomPath, weight: 2 });
}

/** What is wrong with this answer, if anything. */
function judge(sent: Sent, received: Received, operation: Operation | undefined, tokens: readonly string[]): string | undefined {
  if (received.status === 0) return `no answer (a hang or a dropped connection: ${received.body})`;
  if (received.status >= 500) return `server error ${received.status}`;
  for (const token of tokens) if (received.body.includes(token)) return 'a token echoed in the answer';
  if (/\n\s+at .+:\d+:\d+/.test(received.body)) return 'a stack trace in the answer';
  if (received.status < 400) return undefined;
  if (received.headers['x-content-type-options'] !== 'nosniff') return 'an error without the security headers';
  if (sent.method === 'HEAD') return undefined;
  const type = String(received.headers['content-type'] ?? '');
  if (type.startsWith('application/problem+json')) {
    let problem: { code?: unknown; status?: unknown };
    try {
      problem = JSON.parse(received.body);
    } catch {
      return 'problem+json that is not JSON';
    }
    if (typeof problem.code !== 'string' || !/^[a-z_]+$/.test(problem.code)) return 'a problem without a stable code';
    if (problem.status !== received.status) return 'a problem whose status differs from the answer';
    return undefined;
  }
  const path = sent.path.split('?')[0] ?? '';
  const wantsHtml = (sent.method === 'GET' || sent.method === 'HEAD') && !(path === '/api' || path.startsWith('/api/')) && (sent.headers.accept ?? '').includes('text/html');
  if (type.startsWith('text/html') && wantsHtml) return undefined;
  const declared = operation?.responses[String(received.status)] ?? [];
  if (declared.some((media) => type.startsWith(media))) return undefined;
  return `an error ${received.status} as "${type}", not problem+json`;
}

function describe(sent: Sent): string {
  const body = sent.body === undefined ? '' : typeof sent.body === 'string' ? ` body ${JSON.stringify(sent.body.slice(0, 120))}` : ` ${sent.body.length} bytes`;
  return `${sent.raw ? 'raw ' : ''}${sent.method} ${sent.path.slice(0, 200)} headers ${JSON.stringify(sent.headers).slice(0, 400)}${body}`;
}

const REQUEST_TIMEOUT_MS = 10_000;

async function send(base: URL, agent: http.Agent, sent: Sent): Promise<Received> {
  return sent.raw ? sendRaw(base, sent) : sendHttp(base, agent, sent);
}

function sendHttp(base: URL, agent: http.Agent | false, sent: Sent): Promise<Received> {
  return new Promise((resolve) => {
    let request: http.ClientRequest;
    // A body is always framed by its length: node:http would send a HEAD's body unframed, as a second request.
    const headers = sent.body === undefined ? sent.headers : { ...sent.headers, 'content-length': String(Buffer.byteLength(sent.body)) };
    try {
      request = http.request({ host: base.hostname, port: base.port, method: sent.method, path: sent.path, headers, agent, timeout: REQUEST_TIMEOUT_MS }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: decoded(Buffer.concat(chunks), response.headers['content-encoding']) }));
        response.on('error', (error: NodeJS.ErrnoException) => resolve(noAnswer(error)));
      });
    } catch {
      // node:http refused to send it (a header value it deems invalid): send the same bytes raw.
      void sendRaw(base, { ...sent, raw: true }).then(resolve);
      return;
    }
    request.on('timeout', () => request.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })));
    request.on('error', (error: NodeJS.ErrnoException) => {
      // A kept-alive connection the server closed (after refusing the previous request on it) as this
      // one was sent: the race node:http documents; the request never reached the server. Once more, fresh.
      if (request.reusedSocket && agent !== false && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) void sendHttp(base, false, sent).then(resolve);
      else resolve(noAnswer(error));
    });
    request.end(sent.body);
  });
}

function noAnswer(error: NodeJS.ErrnoException): Received {
  return { status: 0, headers: {}, body: `(${error.code ?? error.message})` };
}

/** Bytes on a socket, then the answer read until the server closes (Connection: close). */
function sendRaw(base: URL, sent: Sent): Promise<Received> {
  return new Promise((resolve) => {
    const socket = net.connect(Number(base.port), base.hostname);
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => socket.destroy(), REQUEST_TIMEOUT_MS);
    socket.on('connect', () => {
      const body = sent.body === undefined ? Buffer.alloc(0) : Buffer.from(sent.body);
      const headers = Object.entries(sent.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.end(Buffer.concat([Buffer.from(`${sent.method} ${sent.path} HTTP/1.1\r\n${headers}content-length: ${body.length}\r\nconnection: close\r\n\r\n`, 'latin1'), body]));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(parseRaw(Buffer.concat(chunks)));
    });
  });
}

function parseRaw(bytes: Buffer): Received {
  const end = bytes.indexOf('\r\n\r\n');
  if (end < 0) return { status: 0, headers: {}, body: '' };
  const [statusLine, ...lines] = bytes.subarray(0, end).toString('latin1').split('\r\n');
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = bytes.subarray(end + 4);
  if (headers['transfer-encoding'] === 'chunked') body = dechunk(body);
  return { status: Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1] ?? 0), headers, body: decoded(body, headers['content-encoding']) };
}

function dechunk(bytes: Buffer): Buffer {
  const parts: Buffer[] = [];
  let offset = 0;
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    if (lineEnd < 0) break;
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    if (!(size > 0)) break;
    parts.push(bytes.subarray(lineEnd + 2, lineEnd + 2 + size));
    offset = lineEnd + 2 + size + 2;
  }
  return Buffer.concat(parts);
}

function decoded(body: Buffer, encoding: string | string[] | undefined): string {
  try {
    if (encoding === 'gzip') return gunzipSync(body).toString('utf8');
    if (encoding === 'br') return brotliDecompressSync(body).toString('utf8');
    if (encoding === 'deflate') return inflateSync(body).toString('utf8');
  } catch {
    return `(undecodable ${String(encoding)} body)`;
  }
  return body.toString('utf8');
}
