// Incident tools: a down monitor opens an alert, its recovery closes the same one (one key for both).

import { jsonRequest, type MessageBuilder } from '../message.js';
import { dedupKeyOf, noticeText } from '../text.js';

// https://developer.pagerduty.com/docs/events-api-v2/trigger-events/ and .../resolve-events/
export const buildPagerDuty: MessageBuilder<'pagerduty'> = (channel, notice, context) => {
  const url = `${channel.settings.baseUrl}/v2/enqueue`;
  const dedup_key = dedupKeyOf(notice);
  if (notice.kind === 'recovered') return jsonRequest(url, { routing_key: channel.settings.routingKey, event_action: 'resolve', dedup_key }, context);
  const text = noticeText(notice);
  return jsonRequest(url, {
    routing_key: channel.settings.routingKey,
    event_action: 'trigger',
    dedup_key,
    payload: {
      summary: text.title.slice(0, 1024),
      source: context.siteUrl ?? context.siteTitle,
      severity: text.severity === 'critical' ? 'critical' : text.severity === 'warning' ? 'warning' : 'info',
      timestamp: new Date(notice.at).toISOString(),
      ...(notice.monitors[0] ? { component: notice.monitors[0].component } : {}),
      class: notice.kind,
      custom_details: { lines: text.lines, monitors: notice.monitors },
    },
    client: context.siteTitle,
    ...(context.siteUrl ? { client_url: context.siteUrl } : {}),
  }, context);
};

// https://docs.opsgenie.com/docs/alert-api#create-alert and #close-alert (by alias, identifierType=alias).
export const buildOpsgenie: MessageBuilder<'opsgenie'> = (channel, notice, context) => {
  const alias = dedupKeyOf(notice);
  const auth = { authorization: `GenieKey ${channel.settings.apiKey}` };
  const text = noticeText(notice);
  if (notice.kind === 'recovered') {
    return jsonRequest(`${channel.settings.baseUrl}/v2/alerts/${encodeURIComponent(alias)}/close?identifierType=alias`, { source: context.siteTitle, note: text.title }, context, auth);
  }
  return jsonRequest(`${channel.settings.baseUrl}/v2/alerts`, {
    message: text.title.slice(0, 130),
    alias,
    description: text.lines.join('\n').slice(0, 15000),
    priority: text.severity === 'critical' ? 'P1' : 'P3',
    source: context.siteTitle,
    tags: ['candor', notice.kind],
    details: Object.fromEntries(notice.monitors.map((monitor) => [monitor.id, monitor.name])),
  }, context, auth);
};
