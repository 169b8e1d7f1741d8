// RFC 9457 problem details: every error leaves the HTTP layer in this one shape.
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CandorError } from '../domain/errors.js';

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
  },
  required: ['type', 'title', 'status', 'code'],
} as const;

const TITLES: Record<number, string> = { 400: 'Bad Request', 404: 'Not Found', 405: 'Method Not Allowed', 500: 'Internal Server Error' };

export function sendProblem(reply: FastifyReply, request: FastifyRequest, status: number, code: string, detail: string) {
  return reply
    .code(status)
    .type('application/problem+json')
    .send({ type: `urn:candor:problem:${code}`, title: TITLES[status] ?? 'Error', status, detail, code, instance: request.url });
}

export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (error instanceof CandorError) return sendProblem(reply, request, error.status, error.code, error.message);
    if (error.validation) return sendProblem(reply, request, 400, 'bad_request', `invalid ${error.validationContext ?? 'request'}: ${error.message}`);
    if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
      return sendProblem(reply, request, error.statusCode, 'bad_request', error.message);
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(reply, request, 500, 'internal', 'An internal error occurred; it has been logged.');
  });
  app.setNotFoundHandler((request, reply) => sendProblem(reply, request, 404, 'not_found', `No route for ${request.method} ${request.url.split('?')[0]}`));
}
