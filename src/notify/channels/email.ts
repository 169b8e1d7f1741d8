// Email over SMTP: plain text and HTML, with a Message-ID made from the notification's idempotency key,
// so a resent copy is recognisably the same message.

import { escapeHtml } from '../../web/html.js';
import type { MessageBuilder } from '../message.js';
import { noticeText } from '../text.js';

export const buildEmail: MessageBuilder<'email'> = (channel, notice, context) => {
  const text = noticeText(notice);
  const link = context.siteUrl ? [`${context.siteTitle}: ${context.siteUrl}`] : [];
  const plain = [...text.lines, '', ...link].join('\n');
  const html = [
    `<h2>${escapeHtml(text.title)}</h2>`,
    `<ul>${text.lines.map((line) => `<li>${escapeHtml(line.replace(/^- /, ''))}</li>`).join('')}</ul>`,
    ...(context.siteUrl ? [`<p><a href="${escapeHtml(context.siteUrl)}">${escapeHtml(context.siteTitle)}</a></p>`] : []),
  ].join('\n');
  return {
    kind: 'email',
    from: channel.settings.from,
    to: channel.settings.to,
    subject: `[${context.siteTitle}] ${text.title}`,
    text: plain,
    html,
    headers: { 'Message-ID': `<${context.idempotencyKey}@candor.invalid>` },
  };
};
