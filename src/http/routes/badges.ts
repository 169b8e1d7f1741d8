import type { FastifyInstance, FastifyReply } from 'fastify';
import type { UptimeWindow } from '../../domain/uptime.js';
import { monitorUptime, type ReadDeps } from '../../read/monitors.js';
import { shownStatus } from '../../read/status-page.js';
import { BADGE_STYLES, type BadgeStyle } from '../../web/badge-styles.js';
import { monitorIdSchema } from '../input.js';
import { cachePublicly } from '../public-urls.js';

const SVG = 'image/svg+xml; charset=utf-8';

/** The renderer (badge-maker) is loaded with the first badge asked for, not by every hub at start. */
const drawing = () => import('../../web/badges.js');

const params = { type: 'object', properties: { monitorId: monitorIdSchema }, required: ['monitorId'] } as const;
const commonQuery = {
  label: { type: 'string', minLength: 1, maxLength: 100, description: 'Left-hand text; default the monitor name' },
  style: { type: 'string', enum: BADGE_STYLES, default: 'flat' },
} as const;
const svgResponse = (description: string) => ({ description, content: { 'image/svg+xml': { schema: { type: 'string' } } } });

/** An unknown monitor gets a grey "not found" badge with status 404, so an embedding page shows why. */
const notFound = svgResponse('Grey "not found" badge: no monitor has this id');

export function badgeRoutes(app: FastifyInstance, deps: ReadDeps): void {
  app.get<{ Params: { monitorId: string }; Querystring: { label?: string; style: BadgeStyle } }>('/badge/:monitorId/status.svg', {
    schema: {
      summary: "Badge of a monitor's current state (up, degraded, down, maintenance, paused; unknown before its first confirmed state and while this checker is offline)",
      tags: ['badges'],
      params,
      querystring: { type: 'object', additionalProperties: false, properties: commonQuery },
      produces: ['image/svg+xml'],
      response: { 200: svgResponse('Shields-style SVG badge'), 400: { $ref: 'Problem#' }, 404: notFound },
    },
    handler: async (request, reply) => {
      const { label, style } = request.query;
      const { notFoundBadge, statusBadge } = await drawing();
      const spec = deps.monitors.get(request.params.monitorId);
      if (!spec) return sendSvg(reply.code(404), notFoundBadge({ label: label ?? 'candor', style }));
      const status = shownStatus(deps.states().get(spec.id)?.status ?? (spec.paused ? 'paused' : 'pending'), deps.vantageImpaired?.() ?? false);
      return sendSvg(reply, statusBadge({ label: label ?? spec.name, status, style }));
    },
  });

  app.get<{ Params: { monitorId: string }; Querystring: { label?: string; style: BadgeStyle; window: UptimeWindow } }>('/badge/:monitorId/uptime.svg', {
    schema: {
      summary: 'Badge of the uptime of a monitor over a window (e.g. "99.95%"; "no data" when nothing was checked)',
      tags: ['badges'],
      params,
      querystring: {
        type: 'object',
        additionalProperties: false,
        properties: { ...commonQuery, window: { type: 'string', enum: ['24h', '7d', '30d', '90d'], default: '30d' } },
      },
      produces: ['image/svg+xml'],
      response: { 200: svgResponse('Shields-style SVG badge'), 400: { $ref: 'Problem#' }, 404: notFound },
    },
    handler: async (request, reply) => {
      const { label, style, window } = request.query;
      const { notFoundBadge, uptimeBadge } = await drawing();
      const spec = deps.monitors.get(request.params.monitorId);
      if (!spec) return sendSvg(reply.code(404), notFoundBadge({ label: label ?? 'candor', style }));
      const { uptime } = await monitorUptime(deps, spec.id, window);
      return sendSvg(reply, uptimeBadge({ label: label ?? `${spec.name} ${window}`, uptime, window, style }));
    },
  });
}

function sendSvg(reply: FastifyReply, svg: string) {
  return cachePublicly(reply).type(SVG).send(svg);
}
