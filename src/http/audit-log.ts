// The audit log's writer: every write through the API (a route declaring scope write or admin, and any
// method but GET, HEAD and OPTIONS) is recorded with who, what and the outcome, before the answer
// leaves, so an acknowledged write always has its entry.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditEntry } from '../domain/audit.js';
import type { Clock } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store } from '../storage/store.js';

const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Whether a request goes to the audit log. Answers 429 do not: nothing was attempted, and an address
 * refused by the rate limits must not be able to fill the log either.
 */
export function isAudited(request: FastifyRequest, status: number): boolean {
  const { url, config } = request.routeOptions;
  if (url === undefined || status === 429) return false;
  const writes = !READ_METHODS.has(request.method) || config?.scope === 'write' || config?.scope === 'admin';
  if (!writes) return false;
  return config?.audit !== 'failures' || status >= 400;
}

export function installAuditLog(app: FastifyInstance, deps: { store: Store; clock: Clock; ids: Ids }): void {
  app.addHook('onSend', async (request, reply, payload) => {
    if (!isAudited(request, reply.statusCode)) return payload;
    const entry: AuditEntry = {
      id: deps.ids.next(),
      at: deps.clock.now(),
      ...(request.caller ? { token: request.caller.name } : {}),
      method: request.method,
      route: request.routeOptions.url as string,
      target: targetOf(request.params),
      status: reply.statusCode,
      address: request.ip,
    };
    try {
      await deps.store.transact((tx) => tx.audit.record([entry]));
    } catch (error) {
      // The write itself is done (or refused) already: its answer stands, the lost entry is logged.
      request.log.error({ err: error, audit: entry }, 'could not write the audit entry');
    }
    return payload;
  });
}

function targetOf(params: unknown): Record<string, string> {
  const target: Record<string, string> = {};
  if (params === null || typeof params !== 'object') return target;
  for (const [key, value] of Object.entries(params)) if (typeof value === 'string') target[key] = value.slice(0, 200);
  return target;
}
