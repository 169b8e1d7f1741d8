// RFC 9457 problem details: every error leaves the HTTP layer in this one shape.
import type { Duplex } from 'node:stream';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BadRequestError, CandorError, ConflictError, ForbiddenError, NotFoundError, StorageError, TooManyRequestsError, UnauthorizedError } from '../domain/errors.js';
import { ConfigError } from '../config/problems.js';
import { renderErrorPage } from '../web/pages/error.js';
import type { RouteMethods } from './methods.js';
import { SECURITY_HEADERS } from './security-headers.js';

export const problemSchema = {
  $id: 'Problem',
  type: 'object',
  description: 'RFC 9457 problem details (application/problem+json)',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string' },
    code: { type: 'string', description: 'Stable machine-readable error code' },
    instance: { type: 'string' },
    problems: {
      type: 'array',
      description: 'With code "config_invalid": every problem found, each at its place (a JSON path in a request body; a line and column in the config file)',
      items: {
        type: 'object',
        properties: { file: { type: 'string' }, line: { type: 'integer' }, col: { type: 'integer' }, path: { type: 'string' }, message: { type: 'string' } },
      },
    },
  },
  required: ['type', 'title', 'status', 'code'],
} as const;

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  408: 'Request Timeout',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** The one place a typed error gets its HTTP status. */
export function statusOf(error: CandorError): number {
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ForbiddenError) return 403;
  if (error instanceof UnauthorizedError) return 401;
  if (error instanceof ConflictError) return 409;
  if (error instanceof TooManyRequestsError) return 429;
  if (error instanceof BadRequestError || error instanceof ConfigError) return 400;
  if (error instanceof StorageError && error.code === 'storage_unavailable') return 503;
  return 500;
}

export function sendProblem(reply: FastifyReply, request: FastifyRequest, status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  // Set here as well as by the server's onSend hook: errors raised before routing skip the hooks.
  return reply
    .code(status)
    .headers(SECURITY_HEADERS)
    .type('application/problem+json')
    .send({ type: `urn:candor:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, instance: request.url, ...extra });
}

/** People (a browser GET outside /api) get an HTML page; programs and everything under /api get problem+json. */
export function wantsHtml(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false;
  const path = request.url.split('?')[0] ?? '';
  if (path === '/api' || path.startsWith('/api/')) return false;
  return (request.headers.accept ?? '').includes('text/html');
}

const HTML_TITLES: Record<number, string> = { 400: 'Bad request', 404: 'Page not found', 405: 'Method not allowed', 429: 'Too many requests', 500: 'Something went wrong' };

/** Stable codes for the client errors Fastify and its plugins raise themselves (a body too large, a bad content type). */
const CODES_BY_STATUS: Record<number, string> = {
  404: 'not_found',
  405: 'method_not_allowed',
  406: 'not_acceptable',
  413: 'body_too_large',
  415: 'unsupported_media_type',
  429: 'rate_limited',
};


/** The error as problem+json or, for people, as an HTML page; the detail never carries a stack trace. */
export function sendError(reply: FastifyReply, request: FastifyRequest, status: number, code: string, detail: string, extra: Record<string, unknown> = {}) {
  if (!wantsHtml(request)) return sendProblem(reply, request, status, code, detail, extra);
  // The zone shown in the fallback page's footer is UTC, whose name does not depend on the time.
  const page = renderErrorPage({ status, title: HTML_TITLES[status] ?? TITLES[status] ?? 'Error', detail, now: 0 });
  return reply.code(status).headers(SECURITY_HEADERS).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(page.value);
}

export function installProblemHandlers(app: FastifyInstance, routes: RouteMethods): void {
  // Unknown paths count towards the per-address limit too (scanners), when rate limiting is installed.
  const limit = app.hasDecorator('rateLimit') ? { preHandler: app.rateLimit() } : {};
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof CandorError) {
      const status = statusOf(error);
      if (error instanceof TooManyRequestsError) reply.header('retry-after', String(error.retryAfterSeconds));
      if (status >= 500) request.log.error({ err: error }, 'request failed');
      // Storage and internal details stay in the log; the caller learns what kind of failure it was.
      const detail = status >= 500 ? `${error.code}: the request could not be completed; it has been logged.` : error.message;
      // Bodies and config files are checked whole: every problem is listed with where it is.
      const extra = error instanceof ConfigError ? { problems: error.problems } : {};
      return sendError(reply, request, status, error.code, detail, extra);
    }
    if (error.validation) return sendError(reply, request, 400, 'bad_request', `invalid ${error.validationContext ?? 'request'}: ${error.message}`);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendError(reply, request, error.statusCode, CODES_BY_STATUS[error.statusCode] ?? 'bad_request', error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return sendError(reply, request, 500, 'internal', 'An internal error occurred; it has been logged.');
  });
  app.setNotFoundHandler(limit, (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const allowed = routes.allowedAt(path);
    if (allowed.length > 0 && !allowed.includes(request.method)) {
      reply.header('allow', allowed.join(', '));
      return sendError(reply, request, 405, 'method_not_allowed', `${request.method} is not allowed on ${path}; allowed: ${allowed.join(', ')}`);
    }
    return sendError(reply, request, 404, 'not_found', `No route for ${request.method} ${path}`);
  });
}

/**
 * Requests Node's HTTP parser refuses before Fastify sees them (a malformed request line or header,
 * headers too large, a client too slow) get the same problem shape, written on the raw socket.
 */
export function clientErrorProblem(error: NodeJS.ErrnoException, socket: Duplex): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, detail] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'the request took too long to arrive']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'the request headers are too large']
        : [400, 'bad_request', 'the request is not valid HTTP/1.1'];
  const body = JSON.stringify({ type: `urn:candor:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code });
  const headers = Object.entries(SECURITY_HEADERS).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${TITLES[status] ?? 'Error'}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n${headers}Connection: close\r\n\r\n${body}`);
  }
  socket.destroy();
}

/**
 * HTTP/1.1 requires a Host header. Node would refuse a request without one by itself, with a bare 400
 * and no body; the server lets it through (`requireHostHeader: false`) to refuse it here, as a problem.
 */
export function refuseMissingHost(app: FastifyInstance): void {
  app.addHook('onRequest', async (request) => {
    if (request.raw.httpVersion === '1.1' && request.headers.host === undefined) throw new BadRequestError('an HTTP/1.1 request needs a Host header');
  });
}
