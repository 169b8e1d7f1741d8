// API tokens, the one access hook, the audit log and the per-address limits, over a real SQLite store.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { parseConfig } from '../../src/config/load.js';
import type { TokenScope } from '../../src/domain/api-token.js';
import { hashSecretToken, newSecretToken } from '../../src/tokens/secret-token.js';
import { startSeededServer, type SeededServer } from '../support/seeded-server.js';
import { T0 } from '../storage/fixtures.js';

const MONITORS = `
monitors:
  - { id: shop, name: Shop, type: http, url: "http://127.0.0.1:9/" }
`;

interface Tokens {
  readonly read: string;
  readonly write: string;
  readonly admin: string;
  readonly revoked: string;
}

/** A server with a token of each scope, one revoked, and a write route as other resources will declare them. */
async function start(api: string): Promise<{ server: SeededServer; app: FastifyInstance; tokens: Tokens }> {
  let now = T0;
  const server = await startSeededServer({ config: parseConfig(`${api}\n${MONITORS}`, 'candor.yaml', {}), now: () => (now += 1000) });
  const issue = async (name: string, scope: TokenScope) => {
    const token = newSecretToken('candor_api_');
    await server.store.tokens.add({ name, scope, tokenHash: hashSecretToken(token), createdAt: T0 });
    return token;
  };
  const tokens = { read: await issue('reader', 'read'), write: await issue('writer', 'write'), admin: await issue('root', 'admin'), revoked: await issue('gone', 'admin') };
  await server.store.tokens.revoke('gone', T0);
  server.app.post<{ Params: { id: string } }>('/api/v1/things/:id/poke', {
    config: { scope: 'write' },
    schema: {
      summary: 'A write route, as the management API declares them',
      params: { type: 'object', properties: { id: { type: 'string', maxLength: 20 } }, required: ['id'] },
      response: { 200: { type: 'object', properties: { poked: { type: 'string' } } } },
    },
    handler: async (request) => ({ poked: request.params.id }),
  });
  return { server, app: server.app, tokens };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

function assertProblem(response: { statusCode: number; headers: Record<string, unknown>; json(): { code: string; status: number } }, status: number, code: string): void {
  assert.equal(response.statusCode, status, JSON.stringify(response.json()));
  assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
  assert.equal(response.json().code, code);
  assert.equal(response.json().status, status);
}

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly scope: string;
}

/** Every operation /openapi.json marks with a scope, with its path parameters filled in. */
async function scopedOperations(app: FastifyInstance): Promise<Operation[]> {
  const document = (await app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, { 'x-candor-scope'?: string }>> };
  const operations: Operation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      const scope = operation['x-candor-scope'];
      if (scope !== undefined) operations.push({ method: method.toUpperCase(), path: path.replace(/\{[^}]+\}/g, 'x1'), scope });
    }
  }
  return operations;
}

describe('access: tokens and scopes', () => {
  let server: SeededServer;
  let app: FastifyInstance;
  let tokens: Tokens;
  before(async () => ({ server, app, tokens } = await start('api: { publicRead: false, rateLimit: { failedAuth: { max: 1000 } } }')));
  after(() => server.close());

  it('documents the scope of every route that needs one, with the bearer scheme', async () => {
    const operations = await scopedOperations(app);
    const byRoute = new Map(operations.map((o) => [`${o.method} ${o.path}`, o.scope]));
    assert.equal(byRoute.get('GET /api/v1/audit'), 'admin');
    assert.equal(byRoute.get('POST /api/v1/things/x1/poke'), 'write');
    assert.equal(byRoute.get('GET /api/v1/monitors'), 'read', 'api.publicRead: false');
    const document = (await app.inject('/openapi.json')).json();
    assert.deepEqual(document.paths['/api/v1/audit'].get.security, [{ bearer: [] }]);
    assert.equal(document.components.securitySchemes.bearer.scheme, 'bearer');
  });

  it('every write and admin route refuses missing, wrong, revoked and too weak tokens', async () => {
    const operations = (await scopedOperations(app)).filter((o) => o.scope === 'write' || o.scope === 'admin');
    assert.ok(operations.length >= 2, 'the audit log and the test write route at least');
    for (const { method, path, scope } of operations) {
      const call = (headers: Record<string, string>) => app.inject({ method: method as InjectOptions['method'], url: path, headers, ...(method === 'GET' ? {} : { payload: {} }) });
      const missing = await call({});
      assertProblem(missing, 401, 'token_required');
      assert.equal(missing.headers['www-authenticate'], 'Bearer realm="candor"');
      const wrong = await call(bearer(newSecretToken('candor_api_')));
      assertProblem(wrong, 401, 'invalid_token');
      assert.equal(wrong.headers['www-authenticate'], 'Bearer realm="candor", error="invalid_token"');
      assertProblem(await call(bearer('not a token at all')), 401, 'invalid_token');
      assertProblem(await call({ authorization: 'Basic dXNlcjpwYXNz' }), 401, 'token_required');
      assertProblem(await call(bearer(tokens.revoked)), 401, 'invalid_token');
      assertProblem(await call(bearer(tokens.read)), 403, 'insufficient_scope');
      if (scope === 'admin') assertProblem(await call(bearer(tokens.write)), 403, 'insufficient_scope');
      const allowed = await call(bearer(tokens.admin));
      assert.ok(![401, 403].includes(allowed.statusCode), `${method} ${path} with an admin token: ${allowed.statusCode}`);
    }
  });

  it('api.publicRead: false: API reads need a read token; pages, feeds, badges and /api/v2 stay public', async () => {
    assertProblem(await app.inject('/api/v1/monitors'), 401, 'token_required');
    assertProblem(await app.inject('/api/v1/incidents'), 401, 'token_required');
    assert.equal((await app.inject({ url: '/api/v1/monitors', headers: bearer(tokens.read) })).statusCode, 200);
    assert.equal((await app.inject({ url: '/api/v1/monitors', headers: bearer(tokens.write) })).statusCode, 200, 'write includes read');
    for (const url of ['/', '/feed.atom', '/api/v2/summary.json', '/badge/shop/status.svg', '/healthz', '/openapi.json']) {
      assert.equal((await app.inject(url)).statusCode, 200, url);
    }
  });

  it('a write with the right token passes, and the token is never echoed', async () => {
    const response = await app.inject({ method: 'POST', url: '/api/v1/things/t1/poke', headers: bearer(tokens.write) });
    assert.equal(response.statusCode, 200);
    assert.deepEqual(response.json(), { poked: 't1' });
    const refused = await app.inject({ method: 'POST', url: '/api/v1/things/t1/poke', headers: bearer(tokens.revoked) });
    assert.equal(refused.body.includes(tokens.revoked), false);
  });

  it('an undeclared write route needs a write token all the same', async () => {
    const fresh = await start('');
    fresh.app.delete('/api/v1/forgotten', { schema: { summary: 'no scope declared' } }, async () => ({ deleted: true }));
    try {
      assertProblem(await fresh.app.inject({ method: 'DELETE', url: '/api/v1/forgotten' }), 401, 'token_required');
      assertProblem(await fresh.app.inject({ method: 'DELETE', url: '/api/v1/forgotten', headers: bearer(fresh.tokens.read) }), 403, 'insufficient_scope');
      assert.equal((await fresh.app.inject({ method: 'DELETE', url: '/api/v1/forgotten', headers: bearer(fresh.tokens.write) })).statusCode, 200);
    } finally {
      await fresh.server.close();
    }
  });
});

describe('access: audit log', () => {
  let server: SeededServer;
  let app: FastifyInstance;
  let tokens: Tokens;
  before(async () => ({ server, app, tokens } = await start('')));
  after(() => server.close());

  it('records every write with token name, method, route, target, time and outcome; admins page through it', async () => {
    await app.inject({ method: 'POST', url: '/api/v1/things/a/poke', headers: bearer(tokens.write) });
    await app.inject({ method: 'POST', url: '/api/v1/things/b/poke', headers: bearer(tokens.read) });
    await app.inject({ method: 'POST', url: '/api/v1/things/c/poke' });
    await app.inject({ method: 'POST', url: '/api/v1/things/d/poke', headers: bearer(tokens.admin) });
    await app.inject({ method: 'GET', url: '/api/v1/monitors', headers: bearer(tokens.admin) });
    await app.inject({ method: 'POST', url: '/api/v1/nothing-here' });

    const page1 = await app.inject({ url: '/api/v1/audit?limit=3', headers: bearer(tokens.admin) });
    assert.equal(page1.statusCode, 200);
    const first = page1.json() as { entries: Record<string, unknown>[]; nextBefore: string | null };
    assert.deepEqual(
      first.entries.map(({ token, method, route, target, status }) => ({ token, method, route, target, status })),
      [
        { token: 'root', method: 'POST', route: '/api/v1/things/:id/poke', target: { id: 'd' }, status: 200 },
        { token: null, method: 'POST', route: '/api/v1/things/:id/poke', target: { id: 'c' }, status: 401 },
        { token: null, method: 'POST', route: '/api/v1/things/:id/poke', target: { id: 'b' }, status: 403 },
      ],
    );
    assert.match(String(first.entries[0]!.at), /^\d{4}-\d\d-\d\dT/);
    assert.equal(first.entries[0]!.address, '127.0.0.1');
    assert.ok(first.nextBefore);
    const second = (await app.inject({ url: `/api/v1/audit?limit=3&before=${first.nextBefore}`, headers: bearer(tokens.admin) })).json();
    assert.deepEqual(
      second.entries.map((e: { token: string; target: { id: string } }) => [e.token, e.target.id]),
      [['writer', 'a']],
      'reads and unknown routes are not audited',
    );
    assert.equal(second.nextBefore, null);
  });

  it('only admin tokens read it', async () => {
    assertProblem(await app.inject({ url: '/api/v1/audit', headers: bearer(tokens.write) }), 403, 'insufficient_scope');
    assertProblem(await app.inject('/api/v1/audit'), 401, 'token_required');
  });
});

describe('access: rate limits', () => {
  it('refuses an address after too many failed authentications, even with a good token, with Retry-After', async () => {
    const { server, app, tokens } = await start('api: { rateLimit: { failedAuth: { max: 3, window: 1m } } }');
    try {
      for (let i = 0; i < 3; i++) assertProblem(await app.inject({ url: '/api/v1/audit', headers: bearer(`candor_api_wrong${i}`) }), 401, 'invalid_token');
      const blocked = await app.inject({ url: '/api/v1/audit', headers: bearer(tokens.admin) });
      assertProblem(blocked, 429, 'auth_rate_limited');
      const audit = (await app.inject({ url: '/api/v1/audit' })).statusCode;
      assert.equal(audit, 429, 'no token at all is refused too while blocked');
      const retryAfter = Number(blocked.headers['retry-after']);
      assert.ok(retryAfter > 0 && retryAfter <= 60, String(blocked.headers['retry-after']));
      // Reads that need no token still work.
      assert.equal((await app.inject('/api/v1/monitors')).statusCode, 200);
      const audited = await server.store.listAudit({ limit: 50 });
      assert.deepEqual(audited.map((e) => e.status), [401, 401, 401], 'the refusals are audited, the 429s are not');
    } finally {
      await server.close();
    }
  });

  it('limits requests per address to routes answered without a token (429 with Retry-After), not callers with a token', async () => {
    const { server, app, tokens } = await start('api: { rateLimit: { public: { max: 5, window: 1m } } }');
    try {
      for (let i = 0; i < 5; i++) assert.equal((await app.inject('/api/v1/monitors')).statusCode, 200);
      const limited = await app.inject('/api/v1/monitors');
      assertProblem(limited, 429, 'rate_limited');
      assert.ok(Number(limited.headers['retry-after']) > 0);
      const page = await app.inject({ url: '/', headers: { accept: 'text/html' } });
      assert.equal(page.statusCode, 429);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.equal((await app.inject({ url: '/nothing/here' })).statusCode, 429, 'unknown paths count too');
      assert.equal((await app.inject({ url: '/api/v1/monitors', headers: bearer(tokens.read) })).statusCode, 200);
    } finally {
      await server.close();
    }
  });
});

describe('access: behind a reverse proxy', () => {
  it('server.trustProxy: the limits are per client as X-Forwarded-For names it, and the audit log shows it', async () => {
    const { server, app } = await start('server: { trustProxy: [127.0.0.1] }\napi: { rateLimit: { public: { max: 2 } } }');
    try {
      const from = (client: string) => app.inject({ url: '/api/v1/monitors', headers: { 'x-forwarded-for': client } });
      for (let i = 0; i < 2; i++) assert.equal((await from('198.51.100.1')).statusCode, 200);
      assert.equal((await from('198.51.100.1')).statusCode, 429);
      assert.equal((await from('198.51.100.2')).statusCode, 200, 'another client behind the same proxy');
      await app.inject({ method: 'POST', url: '/api/v1/things/a/poke', headers: { 'x-forwarded-for': '198.51.100.3' } });
      assert.equal((await server.store.listAudit({ limit: 1 }))[0]?.address, '198.51.100.3');
    } finally {
      await server.close();
    }
  });

  it('without it, X-Forwarded-For is not believed: a client cannot pick another address to escape its limit', async () => {
    const { server, app } = await start('api: { rateLimit: { public: { max: 2 } } }');
    try {
      for (let i = 0; i < 2; i++) assert.equal((await app.inject({ url: '/api/v1/monitors', headers: { 'x-forwarded-for': `198.51.100.${i}` } })).statusCode, 200);
      assert.equal((await app.inject({ url: '/api/v1/monitors', headers: { 'x-forwarded-for': '198.51.100.9' } })).statusCode, 429);
    } finally {
      await server.close();
    }
  });
});

describe('hardening: CORS and bodies', () => {
  it('CORS is off by default', async () => {
    const { server, app } = await start('');
    try {
      const response = await app.inject({ url: '/api/v1/monitors', headers: { origin: 'https://elsewhere.example' } });
      assert.equal(response.headers['access-control-allow-origin'], undefined);
    } finally {
      await server.close();
    }
  });

  it('api.cors.origins allows those origins to read, never to write', async () => {
    const { server, app, tokens } = await start('api: { cors: { origins: ["https://dash.example.org"] } }');
    try {
      const read = await app.inject({ url: '/api/v1/monitors', headers: { origin: 'https://dash.example.org' } });
      assert.equal(read.headers['access-control-allow-origin'], 'https://dash.example.org');
      const other = await app.inject({ url: '/api/v1/monitors', headers: { origin: 'https://evil.example' } });
      assert.notEqual(other.headers['access-control-allow-origin'], 'https://evil.example');
      const preflight = await app.inject({ method: 'OPTIONS', url: '/api/v1/monitors', headers: { origin: 'https://dash.example.org', 'access-control-request-method': 'GET' } });
      assert.equal(preflight.statusCode, 204);
      assert.equal(preflight.headers['access-control-allow-origin'], 'https://dash.example.org');
      const writePreflight = await app.inject({ method: 'OPTIONS', url: '/api/v1/things/a/poke', headers: { origin: 'https://dash.example.org', 'access-control-request-method': 'POST' } });
      assert.equal(writePreflight.headers['access-control-allow-origin'], undefined);
      const write = await app.inject({ method: 'POST', url: '/api/v1/things/a/poke', headers: { origin: 'https://dash.example.org', ...bearer(tokens.write) } });
      assert.equal(write.headers['access-control-allow-origin'], undefined);
      assertProblem(await app.inject({ url: '/api/v1/no-such-thing' }), 404, 'not_found');
    } finally {
      await server.close();
    }
  });

  it('a body over api.bodyLimit is a 413 problem; a body of the wrong type a 415', async () => {
    const { server, app, tokens } = await start('api: { bodyLimit: 1KiB }');
    try {
      const big = await app.inject({ method: 'POST', url: '/api/v1/things/a/poke', headers: { ...bearer(tokens.write), 'content-type': 'application/json' }, payload: JSON.stringify({ x: 'y'.repeat(2048) }) });
      assertProblem(big, 413, 'body_too_large');
      const odd = await app.inject({ method: 'POST', url: '/api/v1/things/a/poke', headers: { ...bearer(tokens.write), 'content-type': 'application/x-candor' }, payload: 'x' });
      assertProblem(odd, 415, 'unsupported_media_type');
      const malformed = await app.inject({ method: 'POST', url: '/api/v1/things/a/poke', headers: { ...bearer(tokens.write), 'content-type': 'application/json' }, payload: '{"x":' });
      assertProblem(malformed, 400, 'bad_request');
    } finally {
      await server.close();
    }
  });
});
