// The HTTP edge: Fastify with schemas on every route, problem+json errors, OpenAPI at /openapi.json.
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import type { Logger } from 'pino';
import type { CandorConfig } from '../domain/monitor.js';
import type { Metrics } from '../metrics/metrics.js';
import type { IpDbInfo } from '../provenance/ipdb.js';
import type { ReadDeps } from '../read/monitors.js';
import { trackRouteMethods } from './methods.js';
import { clientErrorProblem, installProblemHandlers, problemSchema, refuseMissingHost, sendError } from './problem.js';
import { installAccess } from './access.js';
import { installAuditLog } from './audit-log.js';
import { installCors } from './cors.js';
import { auditRoutes } from './routes/audit.js';
import { DEFAULT_API } from '../config/api-schema.js';
import { createIds, type Ids } from '../runtime/ids.js';
import { refuseInfiniteNumbers } from './finite-numbers.js';
import { SECURITY_HEADERS } from './security-headers.js';
import { LatestResultsCache } from '../read/latest-results.js';
import { agentRoutes, type AgentRouteDeps } from './routes/agents.js';
import { declaredRoutes } from './routes/declared.js';
import { hubRoutes } from './routes/hub.js';
import { incidentRoutes } from './routes/incidents.js';
import { monitorRoutes } from './routes/monitors.js';
import { notificationRoutes } from './routes/notifications.js';
import { subscriptionRoutes, type SubscriptionRouteDeps } from './routes/subscriptions.js';
import { pageRoutes } from './routes/pages.js';
import { registerPublicApiRoutes } from './routes/public.js';
import type { ManagementDeps } from '../management/deps.js';
import type { ReloadDeps } from '../management/reload.js';
import { manageMonitorRoutes } from './routes/manage-monitors.js';
import { manageIncidentRoutes } from './routes/manage-incidents.js';
import { maintenanceRoutes } from './routes/maintenance.js';
import { configReloadRoutes } from './routes/config-reload.js';
import { provenanceRoutes } from './routes/provenance.js';

export interface ServerDeps extends ReadDeps {
  readonly config: CandorConfig;
  /** This hub's own network looks down (see src/domain/vantage.ts). */
  vantageImpaired?(): boolean;
  /** Set while writes to the database fail: since when, and the cause. */
  storageFailure?(): { readonly since: number; readonly reason: string } | undefined;
  readonly log: Logger;
  /** The agents' endpoints and /api/v1/vantages. */
  readonly agents?: Omit<AgentRouteDeps, 'store' | 'clock' | 'log' | 'monitors' | 'api'>;
  readonly metrics: Metrics;
  /** The public subscription pages, when the config has `subscriptions:`. */
  readonly subscriptions?: Omit<SubscriptionRouteDeps, 'config' | 'store' | 'clock' | 'log'>;
  readonly title: string;
  readonly version: string;
  /** The write API (monitors, incidents, maintenance); absent: read-only. */
  readonly management?: ManagementDeps;
  /** POST /api/v1/config/reload; absent: not offered. */
  readonly reload?: ReloadDeps;
  /** The config as it is now (it changes on reload); absent: `config` for good. */
  currentConfig?(): CandorConfig;
  /** Audit entry ids; made from the clock when not given. */
  readonly ids?: Ids;
  /** The IP database in use, for its attribution on the pages; absent when none is loaded. */
  readonly ipdb?: IpDbInfo;
}

const healthSchema = {
  type: 'object',
  properties: {
    status: { type: 'string', enum: ['ok', 'failing'] },
    vantage: { type: 'string', enum: ['ok', 'impaired'], description: '"impaired" while every recent check failed before reaching its target; outages are then not confirmed' },
    storage: { type: 'string', enum: ['ok', 'failing'], description: '"failing" (with 503) while writes to the database fail' },
    reason: { type: 'string', description: 'Why storage is failing' },
    since: { type: 'string', format: 'date-time' },
  },
  required: ['status', 'vantage', 'storage'],
} as const;

export async function buildServer(serverDeps: ServerDeps): Promise<FastifyInstance> {
  const current = () => serverDeps.currentConfig?.() ?? serverDeps.config;
  const deps: ServerDeps = {
    ...serverDeps,
    // Read on every request, so a reloaded config (pages, titles, API settings) shows at once.
    get config() {
      return current();
    },
    get api() {
      return current().api;
    },
    // One cache of latest results for the API and the pages alike.
    latest: serverDeps.latest ?? new LatestResultsCache(serverDeps.store),
  };
  const api = deps.config.api ?? DEFAULT_API;
  const app = Fastify({
    bodyLimit: api.bodyLimitBytes,
    // Behind a reverse proxy, the client is the one X-Forwarded-For names: per-address limits and the audit log need it.
    ...(deps.config.server.trustProxy ? { trustProxy: [...deps.config.server.trustProxy] } : {}),
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    ajv: { customOptions: { coerceTypes: true, removeAdditional: false, useDefaults: true } },
    // Errors raised before routing (a malformed URL, a bad content type) get the same problem shape.
    frameworkErrors: (error, request, reply) => sendError(reply, request, 400, 'bad_request', error.message),
    clientErrorHandler: clientErrorProblem,
    http: { requireHostHeader: false },
  });
  const routeMethods = trackRouteMethods(app);
  refuseMissingHost(app);
  refuseInfiniteNumbers(app);
  await installAccess(app, { tokens: deps.store.tokens, api });
  installProblemHandlers(app, routeMethods);
  await installCors(app, api.corsOrigins);
  installAuditLog(app, { store: deps.store, clock: deps.clock, ids: deps.ids ?? createIds(deps.clock) });
  app.addHook('onSend', async (_request, reply, payload) => {
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!reply.hasHeader(name)) reply.header(name, value);
    return payload;
  });
  app.addSchema(problemSchema);
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: { title: `${deps.title} API`, version: deps.version, description: 'Candor API: reads, and writes of monitors, incidents, maintenance windows and the config. Errors are RFC 9457 application/problem+json. Routes marked with the bearer scheme need an API token (candor tokens create).' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token from candor tokens create' } } },
    },
  });

  app.get('/healthz', {
    schema: {
      summary: 'Liveness, and whether this vantage can reach anything',
      tags: ['meta'],
      response: {
        '2xx': healthSchema,
        503: healthSchema,
      },
    },
    handler: async (_request, reply) => {
      const vantage = deps.vantageImpaired?.() ? 'impaired' : 'ok';
      const failure = deps.storageFailure?.();
      if (!failure) return { status: 'ok', vantage, storage: 'ok' };
      // Checks go on and outages are judged in memory, but nothing is being recorded: not healthy.
      return reply.code(503).header('cache-control', 'no-store').send({
        status: 'failing',
        vantage,
        storage: 'failing',
        reason: failure.reason,
        since: new Date(failure.since).toISOString(),
      });
    },
  });
  app.get('/metrics', {
    schema: { summary: 'Prometheus metrics', tags: ['meta'], produces: ['text/plain'] },
    handler: async (_request, reply) => reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  });
  app.get('/openapi.json', { schema: { hide: true }, handler: async () => app.swagger() });
  monitorRoutes(app, deps);
  incidentRoutes(app, deps);
  if (deps.management) {
    manageMonitorRoutes(app, { read: deps, manage: deps.management });
    manageIncidentRoutes(app, deps.management);
    maintenanceRoutes(app, deps.management);
  }
  if (deps.reload) configReloadRoutes(app, deps.reload);
  hubRoutes(app, deps);
  declaredRoutes(app, deps);
  auditRoutes(app, deps);
  provenanceRoutes(app, { ...deps, policies: () => deps.config.policies ?? [] });
  notificationRoutes(app, deps);
  if (deps.agents) agentRoutes(app, { ...deps.agents, store: deps.store, clock: deps.clock, log: deps.log, monitors: deps.monitors, ...(deps.api ? { api: deps.api } : {}) });
  await app.register(pageRoutes, deps);
  if (deps.subscriptions && deps.config.subscriptions) {
    const subscriptions = { ...deps.subscriptions, config: deps.config, store: deps.store, clock: deps.clock, log: deps.log };
    await app.register(async (scope) => subscriptionRoutes(scope, subscriptions));
  }
  await registerPublicApiRoutes(app, deps);
  return app;
}
