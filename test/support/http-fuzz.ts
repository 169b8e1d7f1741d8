// Property-based HTTP tests (fast-check) against a real `candor serve`: random and malformed bodies,
// headers, query strings, paths and methods to every operation of its /openapi.json (so routes added
// later are covered without listing them here). Never a 5xx, never a hang or a crash, errors always
// problem+json (or what the document declares, or an HTML page for a browser), a token never echoed.
// Run by test/http/fuzz.test.ts in a network namespace of its own (see there why).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { Validator } from '@seriousme/openapi-schema-validator';
import { hashAgentToken, newAgentToken } from '../../src/agents/tokens.js';
import { hashSecretToken, newSecretToken } from '../../src/tokens/secret-token.js';
import { openStore } from '../../src/storage/open.js';
import { serveCandor } from './candor-process.js';
import { requestArbitrary, type Tokens } from './fuzz-requests.js';
import { operationsOf, type Operation } from './openapi-operations.js';
import { send, type Received, type Sent } from './raw-http.js';

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

