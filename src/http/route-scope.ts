// What a route needs from the caller's token, declared on the route itself:
//   app.post('/api/v1/monitors', { config: { scope: 'write' }, schema: ... }, handler)
// One hook (installed by the server, http/access.ts) enforces it for every route that declares it, so
// a route is never protected by remembering to call something in its handler.
import type { TokenScope } from '../domain/api-token.js';

export type { TokenScope };

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * The least scope a caller's token must have; routes without it follow `api.publicRead` (reads
     * under /api/v1) or need `write` (any other method). `agent`: the route checks an agent's token
     * itself (routes/agents.ts); failed attempts still count towards the failed-authentication limit.
     * `public`: anyone may call it, writes included; the route protects itself (the subscription forms:
     * signed, expiring links and limits of their own).
     */
    scope?: TokenScope | 'agent' | 'public';
    /** `failures`: only refused requests go to the audit log (agents' pushes are kept as signed batches). */
    audit?: 'failures';
  }
}
