// Which methods each route path answers, so a known path asked with another method is a 405 with an
// Allow header instead of a 404 that says the path does not exist.
import type { FastifyInstance } from 'fastify';

export interface RouteMethods {
  /** The methods some route answers at this concrete path; empty when no route matches it. */
  allowedAt(path: string): string[];
}

/** Call before any route is added: it records every route through Fastify's onRoute hook. */
export function trackRouteMethods(app: FastifyInstance): RouteMethods {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  app.addHook('onRoute', (route) => {
    // A catch-all (CORS preflight's OPTIONS *) answers everywhere and would turn every 404 into a 405.
    if ((route.url ?? route.path) === '*') return;
    const methods = (Array.isArray(route.method) ? route.method : [route.method]).map((method) => method.toUpperCase());
    routes.push({ pattern: patternOf(route.url ?? route.path), methods });
  });
  return {
    allowedAt(path) {
      const allowed = new Set<string>();
      for (const route of routes) if (route.pattern.test(path)) for (const method of route.methods) allowed.add(method);
      return [...allowed].sort();
    },
  };
}

/** Fastify's route syntax (`/s/:slug/feed.atom`, a trailing `*`) as a regular expression over the raw path. */
function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => (part === '*' ? '.*' : part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`);
}
