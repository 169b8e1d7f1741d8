// Public outputs of status pages besides HTML: feeds, badges, the Statuspage-compatible API.
import { registerEtags } from '../conditional.js';
import type { FastifyInstance } from 'fastify';
import type { PublicPageDeps } from '../../read/public-page.js';
import { badgeRoutes } from './badges.js';
import { feedRoutes, provenanceFeedRoutes } from './feeds.js';
import { statuspageV2Routes } from './statuspage-v2.js';

/** Registered in their own scope, with ETags (and 304 on If-None-Match) for all of them. */
export async function registerPublicApiRoutes(app: FastifyInstance, deps: PublicPageDeps): Promise<void> {
  await app.register(async (scope) => {
    await registerEtags(scope);
    feedRoutes(scope, deps);
    provenanceFeedRoutes(scope, deps);
    badgeRoutes(scope, deps);
    statuspageV2Routes(scope, deps);
  });
}
