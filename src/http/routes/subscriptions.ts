// Public subscriptions, as plain HTML forms: subscribe (a confirmation is sent by email, or to the
// visitor's webhook; nothing is stored), confirm (the signed, expiring link; the subscriber is
// stored), unsubscribe (one click,
// RFC 8058, also from the mail client through List-Unsubscribe-Post). Rate limited per IP and per address.
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import type { ChannelOf } from '../../domain/alerting.js';
import type { CandorConfig } from '../../domain/monitor.js';
import type { Clock } from '../../runtime/clock.js';
import type { Ids } from '../../runtime/ids.js';
import type { Store } from '../../storage/store.js';
import { addressDigest } from '../../storage/subscribers.js';
import { checkLink, signLink } from '../../notify/signed-links.js';
import { LINK_KEY, unsubscribeUrl, webhookChannel } from '../../notify/subscriber-delivery.js';
import { confirmationEmail, webhookConfirmation } from '../../notify/subscribers.js';
import { webhookTargetProblem } from '../../notify/webhook-target.js';
import type { Sender } from '../../notify/send.js';
import type { Html } from '../../web/html.js';
import { renderConfirmStep, renderMessage, renderSubscribeForm } from '../../web/pages/subscribe.js';
import { SECURITY_HEADERS } from '../security-headers.js';

export interface SubscriptionRouteDeps {
  readonly config: CandorConfig;
  readonly store: Store;
  readonly clock: Clock;
  readonly ids: Ids;
  readonly log: Logger;
  readonly sender: Sender;
  /** Requests per IP address per window, and confirmation emails per address per window. */
  readonly limits?: { readonly perIp: number; readonly perAddress: number; readonly windowSeconds: number };
}

const EMAIL = /^[^\s@<>"(),;:]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,63}$/;
// These pages post forms to themselves; everything else stays as strict as the rest of the site.
const CSP = SECURITY_HEADERS['content-security-policy']!.replace("form-action 'none'", "form-action 'self'");
const list = (value: string | string[] | undefined): string[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);
const tokenSchema = { type: 'string', maxLength: 4096, pattern: '^[A-Za-z0-9_.-]+$' } as const;

interface SubscribeBody {
  email?: string;
  webhook?: string;
  page?: string;
  components?: string | string[];
  regions?: string | string[];
}

export async function subscriptionRoutes(app: FastifyInstance, deps: SubscriptionRouteDeps): Promise<void> {
  const settings = deps.config.subscriptions!;
  const publicUrl = deps.config.server.publicUrl!;
  const channel = deps.config.channels!.find((candidate) => candidate.id === settings.emailChannel) as ChannelOf<'email'>;
  const title = deps.config.title;
  const limits = deps.limits ?? { perIp: 10, perAddress: 3, windowSeconds: 3600 };
  const perIp = new RateLimiterMemory({ points: limits.perIp, duration: limits.windowSeconds });
  const perAddress = new RateLimiterMemory({ points: limits.perAddress, duration: limits.windowSeconds });
  const allComponents = [...new Set(deps.config.monitors.map((monitor) => monitor.component))];
  const knownRegions = async (): Promise<string[]> => {
    const agents = await deps.store.agents.list();
    return [...new Set([deps.config.vantage.region, ...agents.filter((agent) => agent.revokedAt === undefined).map((agent) => agent.region)].filter((region): region is string => !!region))].sort();
  };
  const componentsOf = (slug: string | undefined): string[] => {
    const page = deps.config.statusPages.find((candidate) => candidate.slug === slug) ?? deps.config.statusPages.find((candidate) => candidate.isDefault);
    return page && page.components.length > 0 ? [...page.components] : allComponents;
  };
  const send = (reply: FastifyReply, status: number, page: Html) =>
    reply.code(status).header('content-security-policy', CSP).header('cache-control', 'no-store').type('text/html; charset=utf-8').send(page.value);
  const limited = async (limiter: RateLimiterMemory, key: string): Promise<number | undefined> => {
    try {
      await limiter.consume(key);
      return undefined;
    } catch (rejection) {
      // rate-limiter-flexible rejects with its RateLimiterRes when the points are used up.
      const wait = (rejection as { msBeforeNext?: number }).msBeforeNext;
      if (wait === undefined) throw rejection;
      return Math.ceil(wait / 1000);
    }
  };

  await app.register(formbody, { bodyLimit: 16 * 1024 });

  app.get<{ Querystring: { page?: string } }>('/subscribe', {
    schema: { hide: true, querystring: { type: 'object', properties: { page: { type: 'string', maxLength: 64 } } } },
    handler: async (request, reply) => send(reply, 200, renderSubscribeForm({ title, page: request.query.page ?? '', components: componentsOf(request.query.page), regions: await knownRegions(), webhooks: settings.webhooks })),
  });

  app.post<{ Body: SubscribeBody }>('/subscribe', {
    config: { scope: 'public' },
    schema: {
      hide: true,
      body: {
        type: 'object',
        properties: {
          email: { type: 'string', maxLength: 254 },
          webhook: { type: 'string', maxLength: 2000 },
          page: { type: 'string', maxLength: 64 },
          components: { anyOf: [{ type: 'string', maxLength: 200 }, { type: 'array', maxItems: 200, items: { type: 'string', maxLength: 200 } }] },
          regions: { anyOf: [{ type: 'string', maxLength: 100 }, { type: 'array', maxItems: 100, items: { type: 'string', maxLength: 100 } }] },
        },
      },
    },
    handler: async (request, reply) => {
      const body = request.body ?? {};
      const regions = await knownRegions();
      const offered = componentsOf(body.page);
      const form = (problem: string) => renderSubscribeForm({ title, page: body.page ?? '', components: offered, regions, problem, webhooks: settings.webhooks });
      const ipWait = await limited(perIp, request.ip);
      if (ipWait !== undefined) return send(reply.header('retry-after', String(ipWait)), 429, form(`Too many subscriptions from your network; try again in ${Math.ceil(ipWait / 60)} minutes.`));
      const email = (body.email ?? '').trim();
      const webhook = settings.webhooks ? (body.webhook ?? '').trim() : '';
      if (email === '' && webhook !== '') {
        const problem = await webhookTargetProblem(webhook, settings.allowPrivateWebhooks);
        if (problem) return send(reply, 400, form(problem));
      } else if (!EMAIL.test(email)) return send(reply, 400, form(settings.webhooks ? 'Please enter an email address like name@example.org, or a webhook URL.' : 'Please enter an email address like name@example.org.'));
      const address = email !== '' ? email : webhook;
      const components = list(body.components);
      const chosenRegions = list(body.regions);
      const unknown = [...components.filter((name) => !allComponents.includes(name)), ...chosenRegions.filter((name) => !regions.includes(name))];
      if (unknown.length > 0) return send(reply, 400, form(`Unknown choice: ${unknown.join(', ')}.`));
      const addressWait = await limited(perAddress, addressDigest(address));
      if (addressWait !== undefined) return send(reply.header('retry-after', String(addressWait)), 429, form(`Several confirmation requests were sent to this address already; try again in ${Math.ceil(addressWait / 60)} minutes.`));
      const key = await deps.store.subscribers.key(LINK_KEY);
      const now = deps.clock.now();
      const kind = email !== '' ? {} : { kind: 'webhook' as const };
      const token = signLink({ purpose: 'confirm', ...kind, address, components, regions: chosenRegions, expiresAt: now + settings.linkTtlMs }, key);
      const confirmUrl = `${publicUrl}/subscribe/confirm?token=${token}`;
      const timeoutMs = deps.config.alerting?.timeoutMs ?? 10_000;
      const outcome = email !== ''
        ? await deps.sender.send(channel, confirmationEmail(channel, email, components, confirmUrl, Math.round(settings.linkTtlMs / 3_600_000), title), timeoutMs)
        : await deps.sender.send(webhookChannel(webhook), webhookConfirmation(webhook, components, confirmUrl, { idempotencyKey: deps.ids.next(), now, siteTitle: title, siteUrl: publicUrl }), timeoutMs);
      if (!outcome.ok) {
        deps.log.warn({ channel: channel.id, status: outcome.status, kind: email !== '' ? 'email' : 'webhook' }, 'subscriptions: the confirmation could not be sent');
        return send(reply, 502, form(email !== '' ? 'The confirmation email could not be sent just now; please try again later.' : `The webhook did not accept the confirmation request${outcome.status ? ` (HTTP ${outcome.status})` : ''}; check the URL and try again.`));
      }
      if (email === '') return send(reply, 200, renderMessage('Check your webhook', title, 'We sent your webhook a request with a link to confirm (confirmUrl). Nothing is stored until it is followed.'));
      return send(reply, 200, renderMessage('Check your inbox', title, 'We sent you an email with a link to confirm. Nothing is stored until you follow it.'));
    },
  });

  app.get<{ Querystring: { token: string } }>('/subscribe/confirm', {
    schema: { hide: true, querystring: { type: 'object', properties: { token: tokenSchema }, required: ['token'] } },
    handler: async (request, reply) => {
      const check = checkLink(request.query.token, await deps.store.subscribers.key(LINK_KEY), deps.clock.now());
      if (!check.ok || check.payload.purpose !== 'confirm') return send(reply, 400, invalidLink(check.ok ? 'invalid' : check.problem));
      return send(reply, 200, renderConfirmStep('Confirm your subscription', title, 'One more step: confirm that you want these emails.', '/subscribe/confirm', request.query.token, 'Confirm subscription'));
    },
  });

  app.post<{ Body: { token?: string } }>('/subscribe/confirm', {
    config: { scope: 'public' },
    schema: { hide: true, body: { type: 'object', properties: { token: tokenSchema } } },
    handler: async (request, reply) => {
      const key = await deps.store.subscribers.key(LINK_KEY);
      const check = checkLink(request.body?.token ?? '', key, deps.clock.now());
      if (!check.ok || check.payload.purpose !== 'confirm') return send(reply, 400, invalidLink(check.ok ? 'invalid' : check.problem));
      const { address, components, regions } = check.payload;
      const subscriber = await deps.store.subscribers.upsert({ id: deps.ids.next(), kind: check.payload.kind ?? 'email', address, components, regions, confirmedAt: deps.clock.now() });
      const unsubscribe = unsubscribeUrl(publicUrl, subscriber.id, key).slice(publicUrl.length);
      return send(reply, 200, renderMessage('Subscribed', title, 'You will get an email when something you follow goes down, and when it recovers.', { href: unsubscribe, label: 'Unsubscribe' }));
    },
  });

  const unsubscribeStep = async (token: string, reply: FastifyReply) => {
    const check = checkLink(token, await deps.store.subscribers.key(LINK_KEY), deps.clock.now());
    if (!check.ok || check.payload.purpose !== 'unsubscribe') return send(reply, 400, invalidLink('invalid'));
    return send(reply, 200, renderConfirmStep('Unsubscribe', title, 'Stop the emails about this status page?', '/unsubscribe', token, 'Unsubscribe'));
  };
  app.get<{ Querystring: { token: string } }>('/unsubscribe', {
    schema: { hide: true, querystring: { type: 'object', properties: { token: tokenSchema }, required: ['token'] } },
    handler: async (request, reply) => unsubscribeStep(request.query.token, reply),
  });

  // The form posts the token in the body; a mail client's one-click unsubscribe posts
  // "List-Unsubscribe=One-Click" to the URL of the List-Unsubscribe header, token in the query.
  app.post<{ Querystring: { token?: string }; Body: { token?: string } }>('/unsubscribe', {
    config: { scope: 'public' },
    schema: { hide: true, querystring: { type: 'object', properties: { token: tokenSchema } }, body: { type: 'object', properties: { token: tokenSchema } } },
    // A POST with no body at all (token in the query) is an unsubscribe too.
    preValidation: async (request) => {
      request.body ??= {};
    },
    handler: async (request, reply) => {
      const token = request.body?.token ?? request.query.token ?? '';
      const check = checkLink(token, await deps.store.subscribers.key(LINK_KEY), deps.clock.now());
      if (!check.ok || check.payload.purpose !== 'unsubscribe') return send(reply, 400, invalidLink('invalid'));
      await deps.store.subscribers.remove(check.payload.subscriberId);
      return send(reply, 200, renderMessage('Unsubscribed', title, 'You will get no more emails from this status page. Your address was deleted.'));
    },
  });

  function invalidLink(problem: 'invalid' | 'expired'): Html {
    return renderMessage(
      problem === 'expired' ? 'This link has expired' : 'This link is not valid',
      title,
      problem === 'expired' ? 'Confirmation links are valid for a limited time. Subscribe again to get a new one.' : 'The link may have been cut short or changed. Copy the whole link from the email.',
      { href: '/subscribe', label: 'Subscribe again' },
    );
  }
}
