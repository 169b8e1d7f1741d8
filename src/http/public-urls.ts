// Absolute URLs for feeds and the Statuspage-compatible API, and the cache policy of public outputs.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { StatusPageSpec } from '../domain/monitor.js';

/**
 * Where absolute links point: the configured `server.publicUrl` when there is one (behind a proxy, and
 * so that a Host header cannot choose the links a shared cache keeps), else the origin the client used.
 */
export function requestBaseUrl(request: FastifyRequest, publicUrl?: string): string {
  if (publicUrl !== undefined) return publicUrl;
  const candidate = `${request.protocol}://${request.host}`;
  return URL.canParse(candidate) ? new URL(candidate).origin : `${request.protocol}://localhost`;
}

export interface PublicUrls {
  readonly base: string;
  page(page: StatusPageSpec): string;
  incident(id: string): string;
  /** Feed of a page: /feed.EXT for the default page, /s/:slug/feed.EXT otherwise. */
  feed(page: StatusPageSpec, extension: 'atom' | 'rss' | 'json'): string;
}

export function publicUrls(base: string): PublicUrls {
  return {
    base,
    page: (page) => (page.isDefault ? `${base}/` : `${base}/s/${encodeURIComponent(page.slug)}`),
    incident: (id) => `${base}/incidents/${encodeURIComponent(id)}`,
    feed: (page, extension) => (page.isDefault ? `${base}/feed.${extension}` : `${base}/s/${encodeURIComponent(page.slug)}/feed.${extension}`),
  };
}

/** Feeds, badges and the v2 API change within a minute of an outage: caches may keep them only briefly. */
export const PUBLIC_MAX_AGE_SECONDS = 60;

export function cachePublicly(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', `public, max-age=${PUBLIC_MAX_AGE_SECONDS}`);
}

/** Read by widgets and aggregators from other origins, as hosted status pages allow. */
export function allowAnyOrigin(reply: FastifyReply): FastifyReply {
  return reply.header('access-control-allow-origin', '*');
}
