// Atlassian Statuspage v2 public read API, for the default page at /api/v2/* and for each page at /s/:slug/api/v2/*.
import { slugSchema } from '../input.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { findStatusPage, pageIncidents, pageView, type PublicPageDeps } from '../../read/public-page.js';
import {
  v2ComponentsJson,
  v2IncidentsJson,
  v2ScheduledMaintenancesJson,
  v2StatusJson,
  v2SummaryJson,
  v2UnresolvedJson,
  type V2Data,
} from '../../read/statuspage-v2.js';
import { allowAnyOrigin, cachePublicly, publicUrls, requestBaseUrl } from '../public-urls.js';
import {
  v2ComponentsResponse,
  v2IncidentsResponse,
  v2ScheduledMaintenancesResponse,
  v2StatusResponse,
  v2SummaryResponse,
} from '../schemas-v2.js';

/** incidents.json lists this many, as Statuspage does. */
export const V2_RECENT_INCIDENTS = 50;
/** Bound on unresolved incidents listed (Statuspage lists all; Candor has one per monitor at most). */
const V2_UNRESOLVED_LIMIT = 500;

const ROUTES: readonly { path: string; summary: string; response: object; build: (data: V2Data) => unknown }[] = [
  { path: 'summary.json', summary: 'Status, components, unresolved incidents and scheduled maintenances', response: v2SummaryResponse, build: v2SummaryJson },
  { path: 'status.json', summary: 'Overall status indicator and description', response: v2StatusResponse, build: v2StatusJson },
  { path: 'components.json', summary: 'Components and their status', response: v2ComponentsResponse, build: v2ComponentsJson },
  { path: 'incidents.json', summary: `The ${V2_RECENT_INCIDENTS} most recent incidents`, response: v2IncidentsResponse, build: v2IncidentsJson },
  { path: 'incidents/unresolved.json', summary: 'Unresolved incidents', response: v2IncidentsResponse, build: v2UnresolvedJson },
  { path: 'scheduled-maintenances.json', summary: 'Maintenance windows in progress or due within 7 days', response: v2ScheduledMaintenancesResponse, build: (data) => v2ScheduledMaintenancesJson(data) },
  { path: 'scheduled-maintenances/upcoming.json', summary: 'Maintenance windows due within 7 days', response: v2ScheduledMaintenancesResponse, build: (data) => v2ScheduledMaintenancesJson(data, 'scheduled') },
  { path: 'scheduled-maintenances/active.json', summary: 'Maintenance windows in progress', response: v2ScheduledMaintenancesResponse, build: (data) => v2ScheduledMaintenancesJson(data, 'in_progress') },
];

const slugParams = { type: 'object', properties: { slug: slugSchema }, required: ['slug'] } as const;

export function statuspageV2Routes(app: FastifyInstance, deps: PublicPageDeps): void {
  for (const route of ROUTES) {
    const handler = async (request: FastifyRequest<{ Params: { slug?: string } }>, reply: FastifyReply) => {
      const data = await loadV2Data(deps, request);
      allowAnyOrigin(cachePublicly(reply));
      return route.build(data);
    };
    app.get<{ Params: { slug?: string } }>(`/api/v2/${route.path}`, {
      schema: { summary: `${route.summary} (Statuspage v2 format, default page)`, tags: ['statuspage-v2'], response: { 200: route.response } },
      handler,
    });
    app.get<{ Params: { slug: string } }>(`/s/:slug/api/v2/${route.path}`, {
      schema: {
        summary: `${route.summary} (Statuspage v2 format, one page)`,
        tags: ['statuspage-v2'],
        params: slugParams,
        response: { 200: route.response, 404: { $ref: 'Problem#' } },
      },
      handler,
    });
  }
}

async function loadV2Data(deps: PublicPageDeps, request: FastifyRequest<{ Params: { slug?: string } }>): Promise<V2Data> {
  const page = findStatusPage(deps.config, request.params.slug);
  const view = pageView(deps, page);
  const urls = publicUrls(requestBaseUrl(request, deps.config.server.publicUrl));
  const [recent, unresolved] = await Promise.all([
    pageIncidents(deps, view.monitorIds, { limit: V2_RECENT_INCIDENTS }),
    pageIncidents(deps, view.monitorIds, { state: 'open', limit: V2_UNRESOLVED_LIMIT }),
  ]);
  return {
    context: { page, status: view.status, pageUrl: urls.page(page), incidentUrl: urls.incident, now: deps.clock.now() },
    recent,
    unresolved,
  };
}
