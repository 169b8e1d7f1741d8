// Push services: each payload as its service documents it (links above each builder).

import { jsonRequest, type MessageBuilder } from '../message.js';
import { noticeText, type Severity } from '../text.js';

// https://docs.ntfy.sh/publish/#publish-as-json (POST to the server root; priority 1-5; tags become emojis).
const NTFY: Readonly<Record<Severity, { priority: number; tags: string[] }>> = {
  critical: { priority: 5, tags: ['rotating_light'] },
  warning: { priority: 4, tags: ['warning'] },
  info: { priority: 3, tags: ['information_source'] },
  resolved: { priority: 3, tags: ['white_check_mark'] },
};

export const buildNtfy: MessageBuilder<'ntfy'> = (channel, notice, context) => {
  const text = noticeText(notice);
  return jsonRequest(`${channel.settings.baseUrl}/`, {
    topic: channel.settings.topic,
    title: text.title,
    message: text.lines.join('\n'),
    ...NTFY[text.severity],
    ...(context.siteUrl ? { click: context.siteUrl } : {}),
  }, context, channel.settings.token ? { authorization: `Bearer ${channel.settings.token}` } : {});
};

// https://gotify.net/docs/pushmsg and the API's POST /message (token in X-Gotify-Key).
export const buildGotify: MessageBuilder<'gotify'> = (channel, notice, context) => {
  const text = noticeText(notice);
  return jsonRequest(`${channel.settings.baseUrl}/message`, {
    title: text.title,
    message: text.lines.join('\n'),
    priority: text.severity === 'critical' ? 8 : text.severity === 'warning' ? 5 : 2,
  }, context, { 'x-gotify-key': channel.settings.token });
};

// https://pushover.net/api (POST /1/messages.json, form-encoded: token, user, title, message, priority, timestamp).
export const buildPushover: MessageBuilder<'pushover'> = (channel, notice, context) => {
  const text = noticeText(notice);
  const form = new URLSearchParams({
    token: channel.settings.token,
    user: channel.settings.user,
    title: text.title.slice(0, 250),
    message: text.lines.join('\n').slice(0, 1024),
    priority: text.severity === 'critical' ? '1' : '0',
    timestamp: String(Math.floor(notice.at / 1000)),
    ...(context.siteUrl ? { url: context.siteUrl } : {}),
  });
  return {
    kind: 'http',
    method: 'POST',
    url: `${channel.settings.baseUrl}/1/messages.json`,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'idempotency-key': context.idempotencyKey },
    body: form.toString(),
  };
};
