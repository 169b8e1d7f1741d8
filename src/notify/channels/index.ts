// Every channel type, as a table: its message builder, and whether several monitors may share one
// message (incident tools track one alert per monitor, so they get one message each).

import type { ChannelSpec, ChannelType, Notice } from '../../domain/alerting.js';
import type { MessageBuilder, MessageContext, OutboundMessage } from '../message.js';
import { buildDiscord, buildMatrix, buildMattermost, buildSlack, buildTeams, buildTelegram } from './chat.js';
import { buildEmail } from './email.js';
import { buildOpsgenie, buildPagerDuty } from './incident-tools.js';
import { buildGotify, buildNtfy, buildPushover } from './push.js';
import { buildWebhook } from './webhook.js';

interface ChannelKind<T extends ChannelType> {
  readonly build: MessageBuilder<T>;
  readonly groups: boolean;
}

export const CHANNEL_KINDS: { readonly [T in ChannelType]: ChannelKind<T> } = {
  webhook: { build: buildWebhook, groups: true },
  email: { build: buildEmail, groups: true },
  slack: { build: buildSlack, groups: true },
  discord: { build: buildDiscord, groups: true },
  teams: { build: buildTeams, groups: true },
  telegram: { build: buildTelegram, groups: true },
  mattermost: { build: buildMattermost, groups: true },
  ntfy: { build: buildNtfy, groups: true },
  gotify: { build: buildGotify, groups: true },
  pushover: { build: buildPushover, groups: true },
  matrix: { build: buildMatrix, groups: true },
  pagerduty: { build: buildPagerDuty, groups: false },
  opsgenie: { build: buildOpsgenie, groups: false },
};

export function buildMessage(channel: ChannelSpec, notice: Notice, context: MessageContext): OutboundMessage {
  return (CHANNEL_KINDS[channel.type].build as MessageBuilder<ChannelType>)(channel as never, notice, context);
}
