// The public status pages (server-rendered HTML), their live JSON and their fingerprinted assets.
// Registered as one encapsulated plugin: compression and ETags apply to these routes only.
import { registerEtags } from '../conditional.js';
import { cursorSchema, monitorIdSchema, recordIdSchema, slugSchema } from '../input.js';
import { SECURITY_HEADERS } from '../security-headers.js';
import { sendProblem, wantsHtml } from '../problem.js';
import { PastDaysCache } from '../../read/past-days.js';
import compress from '@fastify/compress';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError } from '../../domain/errors.js';
import type { StatusPageSpec } from '../../domain/monitor.js';
import { findPage, liveState, loadHistory, loadIncident, loadMonitor, loadStatusPage, pageMonitors, type StatusPageDeps } from '../../read/status-page.js';
import { pageAssets } from '../../web/assets.js';
import type { Html } from '../../web/html.js';
import { pagePaths, type PagePaths } from '../../web/layout.js';
import { pickEncoding, RenderCache } from '../../web/render-cache.js';
import { renderErrorPage } from '../../web/pages/error.js';
import { renderHistory } from '../../web/pages/history.js';
import { renderHomeParts } from '../../web/pages/home.js';
import { renderIncident } from '../../web/pages/incident.js';
import { renderMonitor } from '../../web/pages/monitor.js';
import { renderTransparency } from '../../web/pages/transparency.js';
import { sourcesOf, transparencyReport } from '../../read/declared.js';
import { renderProvenance } from '../../web/pages/provenance.js';
import { loadMonitorProvenance, loadProvenancePage } from '../../read/provenance-page.js';
import type { IpDbInfo } from '../../provenance/ipdb.js';

/** Pages may be a little stale; the live script and ETags keep open pages current cheaply. */
export const PAGE_CACHE_CONTROL = 'public, max-age=15';
export const ASSET_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const DEFAULT_REFRESH_SECONDS = 10;
const MIN_REFRESH_SECONDS = 2;
const MAX_REFRESH_SECONDS = 3600;
const HISTORY_PAGE_SIZE = 20;
/** How old a served `/` may be (besides state changes, which show at once). */
export const HOME_CACHE_TTL_MS = 5_000;


/** `?refresh=N` (seconds) for the live script, clamped to [2, 3600]; the default otherwise. */
export function refreshSeconds(value: string | undefined): number {
  const n = value === undefined ? Number.NaN : Number.parseInt(value, 10);
  if (!Number.isFinite(n)) return DEFAULT_REFRESH_SECONDS;
  const clamped = Math.min(MAX_REFRESH_SECONDS, Math.max(MIN_REFRESH_SECONDS, n));
  // Snapped to a few steps: the value is part of the cached page's key, so visitors must not be able
  // to make thousands of variants (each a full render) by counting up.
  return REFRESH_STEPS.reduce((best, step) => (Math.abs(step - clamped) < Math.abs(best - clamped) ? step : best));
}

const REFRESH_STEPS = [2, 5, 10, 30, 60, 300, 900, 3600] as const;

const slugParams = { type: 'object', properties: { slug: slugSchema }, required: ['slug'] } as const;
const incidentParams = { type: 'object', properties: { slug: slugSchema, id: recordIdSchema }, required: ['id'] } as const;
const monitorParams = { type: 'object', properties: { slug: slugSchema, id: monitorIdSchema }, required: ['id'] } as const;
const pageQuery = { type: 'object', properties: { refresh: { type: 'string', maxLength: 8 }, before: cursorSchema } } as const;

interface PageParams {
  slug?: string;
  id?: string;
}
interface PageQuery {
  refresh?: string;
  before?: string;
}

export async function pageRoutes(app: FastifyInstance, deps: StatusPageDeps & { readonly ipdb?: IpDbInfo }): Promise<void> {
  // Registration order matters: the ETag is computed on the uncompressed body, before compression.
  await registerEtags(app, { weak: true });
  await app.register(compress, { global: true, encodings: ['br', 'gzip', 'deflate'] });

  // Found on every request: a reloaded config may name another default page.
  const defaultPage = () => findPage(deps.config) as StatusPageSpec;
  const homeCache = new RenderCache(deps.clock, HOME_CACHE_TTL_MS);
  const caches = { pastDays: new PastDaysCache(deps.store, deps.clock) };

  function sendHtml(reply: FastifyReply, status: number, body: Html | Buffer): FastifyReply {
    return reply
      .code(status)
      .type('text/html; charset=utf-8')
      .header('cache-control', status === 200 ? PAGE_CACHE_CONTROL : 'no-store')
      .headers(SECURITY_HEADERS)
      .send(Buffer.isBuffer(body) ? body : body.value);
  }

  function notFound(reply: FastifyReply, detail: string, page = defaultPage(), paths = pagePaths(page, true)): FastifyReply {
    // People get the page; programs (and a stylesheet or script fetch) get the problem.
    if (!wantsHtml(reply.request)) return sendProblem(reply, reply.request, 404, 'not_found', detail);
    return sendHtml(reply, 404, renderErrorPage({ status: 404, title: 'Page not found', detail, page, paths, now: deps.clock.now() }));
  }

  const declaring = sourcesOf(deps).length > 0;
  /** The page's paths, with the Transparency page when any monitor reads a platform's own status page. */
  const pathsOf = (page: StatusPageSpec, atRoot: boolean): PagePaths => {
    const paths = pagePaths(page, atRoot);
    return declaring ? { ...paths, transparency: `${paths.base}/transparency` } : paths;
  };

  /** The page a request is on: /s/:slug, or the default page at the root. */
  function resolve(params: PageParams): { page: StatusPageSpec; paths: PagePaths } | undefined {
    if (params.slug === undefined) {
      const page = defaultPage();
      return { page, paths: pathsOf(page, true) };
    }
    const page = findPage(deps.config, params.slug);
    return page && { page, paths: pathsOf(page, false) };
  }

  const home = async (request: FastifyRequest, params: PageParams, query: PageQuery, reply: FastifyReply) => {
    const found = resolve(params);
    if (!found) return notFound(reply, `There is no status page "${params.slug}".`);
    const refresh = refreshSeconds(query.refresh);
    const { fingerprint } = liveState(deps, found.page);
    const key = `${found.page.slug}\u0000${found.paths.base}\u0000${refresh}`;
    // Compressed once per render by the cache, so this route opts out of @fastify/compress.
    const encoding = pickEncoding(request.headers['accept-encoding']);
    const page = await homeCache.get(key, fingerprint, async () => renderHomeParts(await loadStatusPage(deps, found.page, caches), found.paths, refresh), encoding);
    reply.header('vary', 'accept-encoding').header('etag', page.etag);
    if (encoding !== 'identity') reply.header('content-encoding', encoding);
    return sendHtml(reply, 200, page.bytes(encoding));
  };
  const history = async (params: PageParams, query: PageQuery, reply: FastifyReply) => {
    const found = resolve(params);
    if (!found) return notFound(reply, `There is no status page "${params.slug}".`);
    const page = await loadHistory(deps, found.page, { limit: HISTORY_PAGE_SIZE, ...(query.before ? { before: query.before } : {}) });
    return sendHtml(reply, 200, renderHistory(found.page, page, found.paths, query.before === undefined));
  };
  const incident = async (params: PageParams, reply: FastifyReply) => {
    const found = resolve(params);
    if (!found) return notFound(reply, `There is no status page "${params.slug}".`);
    const data = await loadIncident(deps, found.page, params.id as string);
    if (!data) return notFound(reply, 'There is no such incident on this page.', found.page, found.paths);
    return sendHtml(reply, 200, renderIncident({ page: found.page, ...data }, found.paths));
  };
  const monitor = async (params: PageParams, reply: FastifyReply) => {
    const found = resolve(params);
    if (!found) return notFound(reply, `There is no status page "${params.slug}".`);
    const detail = await loadMonitor(deps, found.page, params.id as string);
    if (!detail) return notFound(reply, 'There is no such monitor on this page.', found.page, found.paths);
    const provenance = { ...(await loadMonitorProvenance(deps.store, params.id as string)), ...(deps.ipdb ? { ipdb: deps.ipdb } : {}) };
    return sendHtml(reply, 200, renderMonitor(found.page, detail, found.paths, deps.clock.now(), provenance));
  };
  const provenance = async (params: PageParams, reply: FastifyReply) => {
    const found = resolve(params);
    if (!found) return notFound(reply, `There is no status page "${params.slug}".`);
    return sendHtml(reply, 200, renderProvenance(found.page, await loadProvenancePage(deps, found.page), found.paths, deps.ipdb));
  };

  const transparency = async (params: PageParams, reply: FastifyReply) => {
    const found = resolve(params);
    if (!found) return notFound(reply, `There is no status page "${params.slug}".`);
    const shown = pageMonitors(deps, found.page);
    const report = await transparencyReport(deps);
    const onPage = { ...report, platforms: report.platforms.filter((p) => p.monitors.some((m) => shown.has(m.monitorId))) };
    return sendHtml(reply, 200, renderTransparency(found.page, onPage, found.paths, deps.clock.now()));
  };

  const hidden = { hide: true } as const;
  for (const prefix of ['', '/s/:slug']) {
    const params = prefix ? slugParams : undefined;
    app.get<{ Params: PageParams; Querystring: PageQuery }>(prefix || '/', {
      schema: { ...hidden, ...(params ? { params } : {}), querystring: pageQuery },
      compress: false,
      handler: (request, reply) => home(request, request.params, request.query, reply),
    });
    app.get<{ Params: PageParams; Querystring: PageQuery }>(`${prefix}/history`, {
      schema: { ...hidden, ...(params ? { params } : {}), querystring: pageQuery },
      handler: (request, reply) => history(request.params, request.query, reply),
    });
    app.get<{ Params: PageParams }>(`${prefix}/incidents/:id`, {
      schema: { ...hidden, params: incidentParams },
      handler: (request, reply) => incident(request.params, reply),
    });
    app.get<{ Params: PageParams }>(`${prefix}/transparency`, {
      schema: { ...hidden, ...(params ? { params } : {}) },
      handler: (request, reply) => transparency(request.params, reply),
    });
    app.get<{ Params: PageParams }>(`${prefix}/provenance`, {
      schema: { ...hidden, ...(params ? { params } : {}) },
      handler: (request, reply) => provenance(request.params, reply),
    });
    app.get<{ Params: PageParams }>(`${prefix}/monitors/:id`, {
      schema: { ...hidden, params: monitorParams },
      handler: (request, reply) => monitor(request.params, reply),
    });
  }

  app.get<{ Params: { slug: string } }>('/s/:slug/live.json', {
    schema: {
      summary: 'What a status page shows at a glance, for its live-update script',
      tags: ['status pages'],
      params: slugParams,
      response: {
        200: {
          type: 'object',
          properties: {
            slug: { type: 'string' },
            indicator: {
              type: 'string',
              enum: ['none', 'minor', 'major', 'critical', 'maintenance', 'unknown'],
              description: '"unknown" before any state is confirmed and while this checker is offline',
            },
            description: { type: 'string' },
            vantageImpaired: { type: 'boolean', description: "This checker's own network is down: no verdict on the page is current" },
            fingerprint: { type: 'string', description: 'Changes whenever the banner, a monitor state, an open incident or its latest update, or the offline notice changes' },
          },
        },
      },
    },
    handler: async (request, reply) => {
      const page = findPage(deps.config, request.params.slug);
      if (!page) throw new NotFoundError('status page', request.params.slug);
      reply.header('cache-control', 'no-store');
      return liveState(deps, page);
    },
  });

  app.get<{ Params: { file: string } }>('/assets/:file', {
    schema: { ...hidden, params: { type: 'object', properties: { file: { type: 'string', maxLength: 100 } }, required: ['file'] } },
    handler: async (request, reply) => {
      const asset = pageAssets().byFileName(request.params.file);
      if (!asset) return notFound(reply, 'There is no such file.');
      return reply
        .type(asset.contentType)
        .header('cache-control', ASSET_CACHE_CONTROL)
        .header('x-content-type-options', 'nosniff')
        .send(asset.body);
    },
  });
}
