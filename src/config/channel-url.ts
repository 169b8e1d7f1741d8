// One-line channel URLs in the style of Apprise and Shoutrrr (`discord://ID/TOKEN`, `ntfy://HOST/TOPIC`,
// `mailto://USER:PASS@HOST?from=..&to=..`), turned into the fields the map form of a channel takes.
// Pure. Problems never repeat the URL: it carries credentials.

import type { ChannelType } from '../domain/alerting.js';

export type ParsedChannelUrl =
  | { readonly ok: true; readonly type: ChannelType; readonly fields: Readonly<Record<string, string | readonly string[]>> }
  | { readonly ok: false; readonly problem: string };

interface Parts {
  readonly scheme: string;
  readonly userinfo?: string;
  /** host[:port] */
  readonly host: string;
  /** Path segments after the host, decoded, without empty ones. */
  readonly path: readonly string[];
  readonly query: URLSearchParams;
}

type Builder = (parts: Parts) => { type: ChannelType; fields: Record<string, string | readonly string[]> } | string;

const http = (secure: boolean) => (secure ? 'https' : 'http');

/** Each scheme: its shape (shown when it does not fit) and how it reads. */
const SCHEMES: Readonly<Record<string, { readonly shape: string; readonly build: Builder }>> = Object.fromEntries(
  (
    [
      ['json', 'json://HOST[:PORT]/PATH', (p: Parts) => ({ type: 'webhook', fields: { url: `http://${p.host}/${p.path.map(encodeURIComponent).join('/')}` } })],
      ['jsons', 'jsons://HOST[:PORT]/PATH', (p: Parts) => ({ type: 'webhook', fields: { url: `https://${p.host}/${p.path.map(encodeURIComponent).join('/')}` } })],
      ['mailto', 'mailto://USER:PASSWORD@HOST[:PORT]?from=ADDRESS&to=ADDRESS[,ADDRESS]', mail(false)],
      ['mailtos', 'mailtos://USER:PASSWORD@HOST[:PORT]?from=ADDRESS&to=ADDRESS[,ADDRESS]', mail(true)],
      ['slack', 'slack://TOKEN_A/TOKEN_B/TOKEN_C', (p: Parts) => (segments(p).length === 3 ? { type: 'slack', fields: { webhookUrl: `https://hooks.slack.com/services/${segments(p).join('/')}` } } : 'three tokens')],
      ['discord', 'discord://WEBHOOK_ID/WEBHOOK_TOKEN', (p: Parts) => (segments(p).length === 2 ? { type: 'discord', fields: { webhookUrl: `https://discord.com/api/webhooks/${segments(p).join('/')}` } } : 'an id and a token')],
      ['tgram', 'tgram://BOT_TOKEN/CHAT_ID', (p: Parts) => (segments(p).length === 2 ? { type: 'telegram', fields: { botToken: segments(p)[0]!, chatId: segments(p)[1]! } } : 'a bot token and a chat id')],
      ['mmost', 'mmost://HOST[:PORT]/HOOK_KEY', mattermost(false)],
      ['mmosts', 'mmosts://HOST[:PORT]/HOOK_KEY', mattermost(true)],
      ['ntfy', 'ntfy://[TOKEN@]HOST/TOPIC or ntfy://TOPIC (ntfy.sh)', ntfy(false)],
      ['ntfys', 'ntfys://[TOKEN@]HOST/TOPIC', ntfy(true)],
      ['gotify', 'gotify://HOST[:PORT]/APP_TOKEN', gotify(false)],
      ['gotifys', 'gotifys://HOST[:PORT]/APP_TOKEN', gotify(true)],
      ['pover', 'pover://USER_KEY@APP_TOKEN', (p: Parts) => (p.userinfo && p.host && p.path.length === 0 ? { type: 'pushover', fields: { user: p.userinfo, token: p.host } } : 'a user key and an application token')],
      ['matrix', 'matrix://ACCESS_TOKEN@HOST[:PORT]/ROOM_ID', matrix(false)],
      ['matrixs', 'matrixs://ACCESS_TOKEN@HOST[:PORT]/ROOM_ID', matrix(true)],
      ['pagerduty', 'pagerduty://ROUTING_KEY', (p: Parts) => (p.host && p.path.length === 0 && !p.userinfo ? { type: 'pagerduty', fields: { routingKey: p.host } } : 'one routing key')],
      ['opsgenie', 'opsgenie://API_KEY[?region=eu]', opsgenie],
    ] as const
  ).map(([scheme, shape, build]) => [scheme, { shape, build: build as Builder }]),
);

export const CHANNEL_URL_SCHEMES = Object.keys(SCHEMES);

/** Host and path together, for schemes whose "host" is a token. */
function segments(parts: Parts): string[] {
  return [parts.host, ...parts.path].filter((part) => part.length > 0);
}

function mail(secure: boolean): Builder {
  return (p) => {
    const from = p.query.get('from');
    const to = (p.query.get('to') ?? '').split(',').map((address) => address.trim()).filter(Boolean);
    if (!p.host || !from || to.length === 0) return 'a host, ?from= and ?to=';
    const auth = p.userinfo ? `${p.userinfo.split(':').map(encodeURIComponent).join(':')}@` : '';
    return { type: 'email', fields: { smtp: `${secure ? 'smtps' : 'smtp'}://${auth}${p.host}`, from, to } };
  };
}

function mattermost(secure: boolean): Builder {
  return (p) => (p.host && p.path.length === 1 ? { type: 'mattermost', fields: { webhookUrl: `${http(secure)}://${p.host}/hooks/${encodeURIComponent(p.path[0]!)}` } } : 'a host and a hook key');
}

function ntfy(secure: boolean): Builder {
  return (p) => {
    const token: Record<string, string> = p.userinfo ? { token: p.userinfo } : {};
    if (p.host && p.path.length === 0) return { type: 'ntfy', fields: { topic: p.host, ...token } };
    if (p.host && p.path.length === 1) return { type: 'ntfy', fields: { baseUrl: `${http(secure)}://${p.host}`, topic: p.path[0]!, ...token } };
    return 'a host and one topic';
  };
}

function gotify(secure: boolean): Builder {
  return (p) => {
    if (!p.host || p.path.length === 0) return 'a host and an application token';
    const prefix = p.path.slice(0, -1).map(encodeURIComponent).join('/');
    return { type: 'gotify', fields: { baseUrl: `${http(secure)}://${p.host}${prefix ? `/${prefix}` : ''}`, token: p.path.at(-1)! } };
  };
}

function matrix(secure: boolean): Builder {
  return (p) =>
    p.userinfo && p.host && p.path.length === 1
      ? { type: 'matrix', fields: { baseUrl: `${http(secure)}://${p.host}`, accessToken: p.userinfo, roomId: p.path[0]! } }
      : 'an access token, a homeserver and a room id';
}

function opsgenie(p: Parts): ReturnType<Builder> {
  if (!p.host || p.path.length > 0 || p.userinfo) return 'one API key';
  const region = p.query.get('region');
  if (region !== null && region !== 'us' && region !== 'eu') return 'region us or eu';
  return { type: 'opsgenie', fields: { apiKey: p.host, ...(region === 'eu' ? { baseUrl: 'https://api.eu.opsgenie.com' } : {}) } };
}

function split(url: string): Parts | undefined {
  const match = /^([a-z][a-z0-9+.-]*):\/\/([^?#]*)(?:\?([^#]*))?$/i.exec(url.trim());
  if (!match) return undefined;
  const [, scheme, rest, query] = match as unknown as [string, string, string, string | undefined];
  const slash = rest.indexOf('/');
  const authority = slash === -1 ? rest : rest.slice(0, slash);
  const path = slash === -1 ? '' : rest.slice(slash + 1);
  const at = authority.lastIndexOf('@');
  const decode = (text: string): string | undefined => {
    try {
      return decodeURIComponent(text);
    } catch {
      return undefined;
    }
  };
  const userinfo = at === -1 ? undefined : decode(authority.slice(0, at));
  const host = decode(at === -1 ? authority : authority.slice(at + 1));
  const segments = path.split('/').filter(Boolean).map(decode);
  if (host === undefined || (at !== -1 && userinfo === undefined) || segments.some((segment) => segment === undefined)) return undefined;
  return { scheme: scheme.toLowerCase(), ...(userinfo ? { userinfo } : {}), host, path: segments as string[], query: new URLSearchParams(query ?? '') };
}

export function parseChannelUrl(url: string): ParsedChannelUrl {
  const parts = split(url);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url.trim())?.[1]?.toLowerCase();
  const known = scheme !== undefined ? SCHEMES[scheme] : undefined;
  if (!known) {
    const found = scheme ? `"${scheme}://"` : 'no scheme';
    return { ok: false, problem: `expected a channel URL with one of the schemes ${CHANNEL_URL_SCHEMES.map((name) => `${name}://`).join(', ')}, got ${found}` };
  }
  if (!parts) return { ok: false, problem: `expected ${known.shape}, got a ${scheme}:// URL that cannot be read (check its %-escapes)` };
  const built = known.build(parts);
  if (typeof built === 'string') return { ok: false, problem: `expected ${known.shape}, got a ${scheme}:// URL without ${built}` };
  return { ok: true, ...built };
}
