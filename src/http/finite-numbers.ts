// Ajv coerces "1e309" in a query string to Infinity and then skips `minimum`/`maximum` for it (they
// are checked on finite numbers only), so a `limit` of Infinity would reach the storage layer. One hook
// refuses every number that is not finite, in the query and the path parameters of every route.
import type { FastifyInstance } from 'fastify';
import { BadRequestError } from '../domain/errors.js';

function firstInfinite(values: unknown): string | undefined {
  if (values === null || typeof values !== 'object') return undefined;
  for (const [key, value] of Object.entries(values)) if (typeof value === 'number' && !Number.isFinite(value)) return key;
  return undefined;
}

export function refuseInfiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const inQuery = firstInfinite(request.query);
    if (inQuery !== undefined) throw new BadRequestError(`query parameter "${inQuery}" must be a finite number`);
    const inParams = firstInfinite(request.params);
    if (inParams !== undefined) throw new BadRequestError(`path parameter "${inParams}" must be a finite number`);
  });
}
