// What a route needs from the caller's token, declared on the route itself:
//   app.post('/api/v1/monitors', { config: { scope: 'write' }, schema: ... }, handler)
// One hook (installed by the server) enforces it for every route that declares it, so a route is
// never protected by remembering to call something in its handler.
export type TokenScope = 'read' | 'write' | 'admin';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The least scope a caller's token must have; routes without it follow `api.publicRead`. */
    scope?: TokenScope;
  }
}
