// CORS (@fastify/cors), off unless `api.cors.origins` lists origins, and then only for reads: a browser
// on another origin may GET (and HEAD) the API, never write through it. Feeds and the Statuspage v2
// API allow any origin anyway (public-urls.ts).
import cors from '@fastify/cors';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const READS = ['GET', 'HEAD'];

function isRead(request: FastifyRequest): boolean {
  if (READS.includes(request.method)) return true;
  const asked = request.headers['access-control-request-method'];
  return request.method === 'OPTIONS' && typeof asked === 'string' && READS.includes(asked.toUpperCase());
}

export async function installCors(app: FastifyInstance, origins: readonly string[]): Promise<void> {
  if (origins.length === 0) return;
  const origin = origins.includes('*') ? '*' : [...origins];
  await app.register(cors, {
    hideOptionsRoute: true,
    delegator: (request, callback) => {
      callback(null, isRead(request) ? { origin, methods: READS, allowedHeaders: ['authorization', 'if-none-match'], maxAge: 600 } : { origin: false });
    },
  });
}
