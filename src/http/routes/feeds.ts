import { withAcknowledgements } from '../../read/declared-notes.js';
import { slugSchema } from '../input.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Incident } from '../../domain/state.js';
import { findStatusPage, pageIncidents, pageView, type PublicPageDeps } from '../../read/public-page.js';
import { atomFeed, jsonFeed, rssFeed, type FeedContext } from '../../web/feeds.js';
import { changesAtomFeed } from '../../web/provenance-feed.js';
import { pageChanges } from '../../read/provenance-page.js';
import { allowAnyOrigin, cachePublicly, publicUrls, requestBaseUrl } from '../public-urls.js';

/** Entries in a feed: the newest incidents of the page. */
export const FEED_LENGTH = 50;

const FORMATS = {
  atom: { contentType: 'application/atom+xml; charset=utf-8', summary: 'Atom 1.0', render: atomFeed },
  rss: { contentType: 'application/rss+xml; charset=utf-8', summary: 'RSS 2.0', render: rssFeed },
  json: { contentType: 'application/feed+json; charset=utf-8', summary: 'JSON Feed 1.1', render: (context: FeedContext, incidents: readonly Incident[]) => JSON.stringify(jsonFeed(context, incidents)) },
} as const;

const slugParams = { type: 'object', properties: { slug: slugSchema }, required: ['slug'] } as const;

export function feedRoutes(app: FastifyInstance, deps: PublicPageDeps): void {
  for (const [extension, format] of Object.entries(FORMATS) as [keyof typeof FORMATS, (typeof FORMATS)[keyof typeof FORMATS]][]) {
    const mediaType = format.contentType.split(';')[0]!;
    const response = {
      200: { description: `${format.summary} feed, newest incident first`, content: { [mediaType]: { schema: { type: 'string' } } } },
      404: { $ref: 'Problem#' },
    };
    const render = async (request: FastifyRequest<{ Params: { slug?: string } }>): Promise<string> => {
      const page = findStatusPage(deps.config, request.params.slug);
      const view = pageView(deps, page);
      const urls = publicUrls(requestBaseUrl(request, deps.config.server.publicUrl));
      // The platform's acknowledgement, when it made one, is an update of the incident like any other.
      const incidents = await withAcknowledgements(deps, await pageIncidents(deps, view.monitorIds, { limit: FEED_LENGTH }));
      const context: FeedContext = {
        page,
        pageUrl: urls.page(page),
        feedUrls: { atom: urls.feed(page, 'atom'), rss: urls.feed(page, 'rss'), json: urls.feed(page, 'json') },
        incidentUrl: urls.incident,
        monitorName: (id) => deps.monitors.get(id)?.name,
        now: deps.clock.now(),
      };
      return format.render(context, incidents);
    };

    app.get<{ Params: { slug?: string } }>(`/feed.${extension}`, {
      schema: { summary: `Incidents of the default status page (${format.summary})`, tags: ['feeds'], produces: [mediaType], response },
      handler: async (request, reply) => sendFeed(reply, format.contentType, await render(request)),
    });
    app.get<{ Params: { slug: string } }>(`/s/:slug/feed.${extension}`, {
      schema: { summary: `Incidents of one status page (${format.summary})`, tags: ['feeds'], params: slugParams, produces: [mediaType], response },
      handler: async (request, reply) => sendFeed(reply, format.contentType, await render(request)),
    });
  }
}

/** Changes of where the page's monitors are served from (Atom), newest first. */
export function provenanceFeedRoutes(app: FastifyInstance, deps: PublicPageDeps): void {
  const mediaType = 'application/atom+xml';
  const response = {
    200: { description: 'Atom 1.0 feed of provenance changes, newest first', content: { [mediaType]: { schema: { type: 'string' } } } },
    404: { $ref: 'Problem#' },
  };
  const render = async (request: FastifyRequest<{ Params: { slug?: string } }>): Promise<string> => {
    const page = findStatusPage(deps.config, request.params.slug);
    const view = pageView(deps, page);
    const base = requestBaseUrl(request, deps.config.server.publicUrl);
    const prefix = page.isDefault && request.params.slug === undefined ? base : `${base}/s/${encodeURIComponent(page.slug)}`;
    return changesAtomFeed(
      {
        page,
        pageUrl: `${prefix}/provenance`,
        feedUrl: `${prefix}/provenance.atom`,
        monitorUrl: (id) => `${prefix}/monitors/${encodeURIComponent(id)}`,
        monitorName: (id) => deps.monitors.get(id)?.name,
        now: deps.clock.now(),
      },
      await pageChanges(deps.store, view.monitorIds, FEED_LENGTH),
    );
  };
  app.get<{ Params: { slug?: string } }>('/provenance.atom', {
    schema: { summary: 'Provenance changes of the default status page (Atom 1.0)', tags: ['feeds'], produces: [mediaType], response },
    handler: async (request, reply) => sendFeed(reply, 'application/atom+xml; charset=utf-8', await render(request)),
  });
  app.get<{ Params: { slug: string } }>('/s/:slug/provenance.atom', {
    schema: { summary: 'Provenance changes of one status page (Atom 1.0)', tags: ['feeds'], params: slugParams, produces: [mediaType], response },
    handler: async (request, reply) => sendFeed(reply, 'application/atom+xml; charset=utf-8', await render(request)),
  });
}

function sendFeed(reply: FastifyReply, contentType: string, body: string) {
  return allowAnyOrigin(cachePublicly(reply)).type(contentType).send(body);
}
