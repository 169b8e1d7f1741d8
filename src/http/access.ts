// Who may call what: the one hook that reads the caller's API token and enforces the scope a route
// declares (route-scope.ts), and the per-address rate limits (@fastify/rate-limit) on routes answered
// without a token and on failed authentication. Registered before any route.
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest, FastifySchema } from 'fastify';
import { scopeCovers, type TokenScope } from '../domain/api-token.js';
import { ForbiddenError, TooManyRequestsError, UnauthorizedError } from '../domain/errors.js';
import type { ApiSettings } from '../domain/monitor.js';
import type { TokenDirectory } from '../storage/store.js';
import { bearerToken, holderOfToken } from '../tokens/secret-token.js';

/** The API token a request was made with, once the access hook has checked it. */
export interface Caller {
  readonly name: string;
  readonly scope: TokenScope;
}

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
}

export interface AccessDeps {
  readonly tokens: TokenDirectory;
  readonly api: ApiSettings;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The scope a route needs: the one it declares; else none for safe reads of the status pages and
 * their outputs (and of /api/v1 and /metrics while `api.publicRead` is true, else `read`); else
 * `write` for any other method, so a route that forgot to declare a scope is closed, not open.
 */
export function neededScope(method: string, route: string, declared: TokenScope | 'public' | undefined, publicRead: boolean): TokenScope | undefined {
  if (declared === 'public') return undefined;
  if (declared !== undefined) return declared;
  if (!SAFE_METHODS.has(method)) return 'write';
  const isApiRead = route.startsWith('/api/v1/') || route === '/metrics';
  return isApiRead && !publicRead ? 'read' : undefined;
}

/**
 * In /openapi.json, a route that needs a token says so: the bearer scheme, its 401, 403 and 429
 * answers, and `x-candor-scope` (read, write, admin, or agent for the agents' own tokens).
 */
function documentScope(app: FastifyInstance, publicRead: boolean): void {
  app.addHook('onRoute', (route) => {
    if (route.schema === undefined || route.url === '*') return;
    const declared = route.config?.scope;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((method) => method.toUpperCase());
    const needed = declared === 'agent' ? declared : methods.map((method) => neededScope(method, route.url, declared, publicRead)).find((scope) => scope !== undefined);
    if (needed === undefined) return;
    const problem = { $ref: 'Problem#' };
    const documented: FastifySchema & Record<string, unknown> = {
      ...route.schema,
      security: [{ bearer: [] }],
      'x-candor-scope': needed,
      response: { 401: problem, 403: problem, 429: problem, ...(route.schema.response as object | undefined) },
    };
    route.schema = documented;
  });
}

export async function installAccess(app: FastifyInstance, deps: AccessDeps): Promise<void> {
  const { api } = deps;
  documentScope(app, api.publicRead);
  await app.register(rateLimit, {
    global: true,
    max: api.rateLimit.public.max,
    timeWindow: api.rateLimit.public.windowMs,
    // Callers with a token, and agents (their own tokens), are not limited per address.
    allowList: (request) => request.caller !== undefined || request.routeOptions.config?.scope === 'agent',
    errorResponseBuilder: (_request, context) =>
      new TooManyRequestsError('rate_limited', `too many requests from this address (at most ${context.max} in ${api.rateLimit.public.windowMs / 1000} s); retry in ${context.after}`, Math.ceil(context.ttl / 1000)),
  });
  const failedAuth = app.createRateLimit({ max: api.rateLimit.failedAuth.max, timeWindow: api.rateLimit.failedAuth.windowMs, allowList: () => false });

  /** An address that failed to authenticate too often may not try again (not even with a good token) until the window ends. */
  const refuseWhileBlocked = async (request: FastifyRequest) => {
    const state = await failedAuth(request, { increment: false });
    if (state.isAllowed || state.remaining > 0) return;
    throw new TooManyRequestsError(
      'auth_rate_limited',
      `too many failed authentications from this address (${state.max} in ${api.rateLimit.failedAuth.windowMs / 1000} s); retry in ${state.ttlInSeconds} s`,
      state.ttlInSeconds,
    );
  };

  app.addHook('onRequest', async (request, reply) => {
    const route = request.routeOptions.url;
    // No route: a 404 or 405 tells nothing that needs a token.
    if (route === undefined) return;
    const declared = request.routeOptions.config?.scope;
    if (declared === 'agent') return refuseWhileBlocked(request);
    const needed = neededScope(request.method, route, declared, api.publicRead);
    const authorization = request.headers.authorization;
    // Only Bearer counts: a Basic header added by a proxy in front of the pages is not ours to judge.
    const presented = authorization !== undefined && /^bearer(\s|$)/i.test(authorization);
    if (!presented && needed === undefined) return;
    await refuseWhileBlocked(request);
    if (!presented) {
      reply.header('www-authenticate', 'Bearer realm="candor"');
      throw new UnauthorizedError('token_required', `${request.method} ${route} needs a token with scope "${needed}" (Authorization: Bearer TOKEN, from candor tokens create)`);
    }
    const token = bearerToken(authorization);
    const holder = token === undefined ? undefined : holderOfToken(await deps.tokens.list(), token);
    if (!holder) {
      reply.header('www-authenticate', 'Bearer realm="candor", error="invalid_token"');
      throw new UnauthorizedError('invalid_token', 'the bearer token is malformed, wrong or revoked');
    }
    if (needed !== undefined && !scopeCovers(holder.scope, needed)) {
      throw new ForbiddenError('insufficient_scope', `${request.method} ${route} needs a token with scope "${needed}"; token "${holder.name}" has scope "${holder.scope}"`);
    }
    request.caller = { name: holder.name, scope: holder.scope };
  });

  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode !== 401) return;
    await failedAuth(request);
    request.log.warn({ address: request.ip, route: request.routeOptions.url, method: request.method }, 'authentication failed');
  });
}
