// Chat services: each payload as its service documents it (links above each builder).

import { escapeHtml } from '../../web/html.js';
import { jsonRequest, type MessageBuilder } from '../message.js';
import { noticeText, type Severity } from '../text.js';

const COLOURS: Readonly<Record<Severity, number>> = { critical: 0xd93025, warning: 0xf29900, info: 0x1a73e8, resolved: 0x188038 };
const hex = (severity: Severity): string => `#${COLOURS[severity].toString(16).padStart(6, '0')}`;

// https://api.slack.com/messaging/webhooks (incoming webhooks: `text` plus optional `blocks`).
export const buildSlack: MessageBuilder<'slack'> = (channel, notice, context) => {
  const text = noticeText(notice);
  return jsonRequest(channel.settings.webhookUrl, {
    text: `${text.title}\n${text.lines.join('\n')}`,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: text.title.slice(0, 150) } },
      { type: 'section', text: { type: 'plain_text', text: text.lines.join('\n').slice(0, 3000) } },
    ],
  }, context);
};

// https://discord.com/developers/docs/resources/webhook#execute-webhook (`wait=true` answers with the message).
export const buildDiscord: MessageBuilder<'discord'> = (channel, notice, context) => {
  const text = noticeText(notice);
  const url = new URL(channel.settings.webhookUrl);
  url.searchParams.set('wait', 'true');
  return jsonRequest(url.toString(), {
    username: context.siteTitle.slice(0, 80),
    allowed_mentions: { parse: [] },
    embeds: [{ title: text.title.slice(0, 256), description: text.lines.join('\n').slice(0, 4096), color: COLOURS[text.severity], timestamp: new Date(notice.at).toISOString() }],
  }, context);
};

// https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using#send-adaptive-cards-using-an-incoming-webhook
// (a Workflows webhook takes the same message with an Adaptive Card attachment).
export const buildTeams: MessageBuilder<'teams'> = (channel, notice, context) => {
  const text = noticeText(notice);
  return jsonRequest(channel.settings.webhookUrl, {
    type: 'message',
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        contentUrl: null,
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body: [
            { type: 'TextBlock', text: text.title, weight: 'Bolder', size: 'Medium', wrap: true, color: text.severity === 'resolved' ? 'Good' : text.severity === 'critical' ? 'Attention' : 'Warning' },
            ...text.lines.map((line) => ({ type: 'TextBlock', text: line, wrap: true })),
          ],
        },
      },
    ],
  }, context);
};

// https://developers.mattermost.com/integrate/webhooks/incoming/ (`text`, optional `channel`, `username`, `attachments`).
export const buildMattermost: MessageBuilder<'mattermost'> = (channel, notice, context) => {
  const text = noticeText(notice);
  return jsonRequest(channel.settings.webhookUrl, {
    username: context.siteTitle,
    ...(channel.settings.channel ? { channel: channel.settings.channel } : {}),
    text: `#### ${text.title}`,
    attachments: [{ color: hex(text.severity), text: text.lines.join('\n') }],
  }, context);
};

// https://core.telegram.org/bots/api#sendmessage (plain text: no parse_mode, so nothing needs escaping).
export const buildTelegram: MessageBuilder<'telegram'> = (channel, notice, context) => {
  const text = noticeText(notice);
  return jsonRequest(`${channel.settings.baseUrl}/bot${channel.settings.botToken}/sendMessage`, {
    chat_id: channel.settings.chatId,
    text: `${text.title}\n\n${text.lines.join('\n')}`.slice(0, 4096),
    link_preview_options: { is_disabled: true },
  }, context);
};

// https://spec.matrix.org/v1.11/client-server-api/#put_matrixclientv3roomsroomidsendeventtypetxnid
// The transaction id is the idempotency key: the homeserver itself ignores a resent copy.
export const buildMatrix: MessageBuilder<'matrix'> = (channel, notice, context) => {
  const text = noticeText(notice);
  const url = `${channel.settings.baseUrl}/_matrix/client/v3/rooms/${encodeURIComponent(channel.settings.roomId)}/send/m.room.message/${encodeURIComponent(context.idempotencyKey)}`;
  return jsonRequest(url, {
    msgtype: 'm.text',
    body: `${text.title}\n${text.lines.join('\n')}`,
    format: 'org.matrix.custom.html',
    formatted_body: `<strong>${escapeHtml(text.title)}</strong><br>${text.lines.map(escapeHtml).join('<br>')}`,
  }, context, { authorization: `Bearer ${channel.settings.accessToken}` }, 'PUT');
};
