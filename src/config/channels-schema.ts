// `channels:` — where notifications go. Each is `{ id, type, ...fields }` (fields per type in
// channel-fields.ts) or `{ id, url: "discord://ID/TOKEN" }` (channel-url.ts).

import { CHANNEL_TYPES, type ChannelSpec, type ChannelType } from '../domain/alerting.js';
import { CHANNEL_FIELDS, type FieldKind, type FieldSpec } from './channel-fields.js';
import { parseChannelUrl } from './channel-url.js';
import { isHttpUrl, readHeaders } from './http-schema.js';
import { Fields, readChoice, readList, readString, readStringList, type Located, type Reader } from './reader.js';

const ID = /^[a-z0-9-]{1,64}$/;
const EMAIL = /^[^\s@<>"]+@[^\s@<>"]+$/;

export function readChannels(reader: Reader, at: Located): ChannelSpec[] | undefined {
  const items = readList(reader, at, 'a list of channels like { id: ops, type: slack, webhookUrl: "..." }');
  if (!items) return undefined;
  const firstById = new Map<string, Located>();
  const channels: ChannelSpec[] = [];
  let ok = true;
  for (const item of items) {
    const read = readChannel(reader, item);
    if (read.id !== undefined && read.idAt) {
      const first = firstById.get(read.id);
      if (first) {
        reader.report(read.idAt, `expected a unique channel id, got "${read.id}" again (first used on line ${reader.lineOf(first.offset)})`);
        ok = false;
      } else firstById.set(read.id, read.idAt);
    }
    if (read.channel) channels.push(read.channel);
    else ok = false;
  }
  return ok ? channels : undefined;
}

function readChannel(reader: Reader, at: Located): { channel?: ChannelSpec; id?: string; idAt?: Located } {
  const fields = Fields.read(reader, at, 'any');
  if (!fields) return {};
  const before = reader.problems.length;
  const idAt = fields.required(reader, 'id', ' (lower-case letters, digits and -, like "ops-slack"; routes and monitors name channels by it)');
  const id = idAt && readString(reader, idAt, { test: (text) => ID.test(text), expected: 'a channel id of lower-case letters, digits and - like "ops-slack"' });
  const located = { ...(id !== undefined ? { id } : {}), ...(idAt ? { idAt } : {}) };
  const urlAt = fields.get('url');
  const typeAt = fields.get('type');
  const type = typeAt && readChoice(reader, typeAt, CHANNEL_TYPES);
  if (!typeAt && urlAt) return { ...located, ...fromUrl(reader, fields, urlAt, id) };
  if (!typeAt) {
    reader.report({ offset: fields.offset, path: fields.path }, `missing required key "type" (one of ${CHANNEL_TYPES.join(', ')}) or "url" (a one-line channel URL)`);
    return located;
  }
  if (!type) return located;
  const spec = CHANNEL_FIELDS[type];
  fields.rejectUnknown(reader, ['id', 'type', ...Object.keys(spec)]);
  const settings: Record<string, unknown> = {};
  const secrets: string[] = [];
  for (const [name, field] of Object.entries(spec)) {
    const valueAt = field.required ? fields.required(reader, name, field.hint ?? '') : fields.get(name);
    if (!valueAt) {
      if (field.default !== undefined) settings[name] = field.default;
      continue;
    }
    const value = readField(reader, valueAt, field);
    if (value === undefined) continue;
    settings[name] = value.value;
    secrets.push(...value.secrets);
  }
  if (reader.problems.length !== before || id === undefined) return located;
  return { ...located, channel: finish(id, type, settings, secrets) };
}

function fromUrl(reader: Reader, fields: Fields, urlAt: Located, id: string | undefined): { channel?: ChannelSpec } {
  fields.rejectUnknown(reader, ['id', 'url']);
  const url = readString(reader, urlAt);
  if (url === undefined) return {};
  const parsed = parseChannelUrl(url);
  if (!parsed.ok) {
    reader.report(urlAt, parsed.problem);
    return {};
  }
  const settings: Record<string, unknown> = {};
  const secrets = [url];
  const spec = CHANNEL_FIELDS[parsed.type];
  for (const [name, field] of Object.entries(spec)) {
    const raw = parsed.fields[name];
    if (raw === undefined) {
      if (field.default !== undefined) settings[name] = field.default;
      continue;
    }
    const problem = fieldProblem(field.kind, raw);
    if (problem) {
      reader.report(urlAt, `expected ${problem.expected} for "${name}" of this ${parsed.type} URL, got something else`);
      return {};
    }
    settings[name] = field.kind === 'smtp-url' ? readSmtp(raw as string) : raw;
    if (isSecret(field.kind)) secrets.push(...secretParts(field.kind, raw as string));
  }
  if (id === undefined) return {};
  return { channel: finish(id, parsed.type, settings, secrets) };
}

function finish(id: string, type: ChannelType, settings: Record<string, unknown>, secrets: string[]): ChannelSpec {
  if (type === 'webhook' && !settings['headers']) settings['headers'] = {};
  return { id, type, settings, secrets: [...new Set(secrets)].filter((secret) => secret.length > 0) } as unknown as ChannelSpec;
}

const isSecret = (kind: FieldKind): boolean => kind === 'secret' || kind === 'secret-url' || kind === 'smtp-url';

/** A URL with a key in it is secret whole, and so are its path and user info (an error may show either alone). */
function secretParts(kind: FieldKind, value: string): string[] {
  if (kind === 'secret') return [value];
  if (!URL.canParse(value)) return [value];
  const url = new URL(value);
  const parts = [value];
  if (kind === 'secret-url' && url.pathname.length > 1) {
    parts.push(url.pathname + url.search);
    // A key may be echoed alone: every query value, and path segments that look like keys.
    for (const value of url.searchParams.values()) parts.push(value);
    for (const segment of url.pathname.split('/')) if (segment.length >= 12 || (segment.length >= 6 && /\d/.test(segment))) parts.push(decodeURIComponent(segment));
  }
  if (url.password) parts.push(decodeURIComponent(url.password));
  return parts;
}

function fieldProblem(kind: FieldKind, value: unknown): { expected: string } | undefined {
  const text = typeof value === 'string' ? value : undefined;
  switch (kind) {
    case 'secret-url':
    case 'base-url':
      return text !== undefined && isHttpUrl(text) ? undefined : { expected: 'an http:// or https:// URL' };
    case 'smtp-url':
      return text !== undefined && readSmtp(text) ? undefined : { expected: 'an SMTP URL like "smtps://user:password@mail.example.org:465" (smtp:// or smtps://)' };
    case 'email':
      return text !== undefined && EMAIL.test(text) ? undefined : { expected: 'an email address like "status@example.org"' };
    case 'emails':
      return Array.isArray(value) && value.length > 0 && value.every((item) => typeof item === 'string' && EMAIL.test(item)) ? undefined : { expected: 'a list of email addresses' };
    case 'secret':
    case 'text':
      return text !== undefined && text.length > 0 ? undefined : { expected: 'a non-empty string' };
    case 'headers':
      return undefined;
  }
}

function readField(reader: Reader, at: Located, field: FieldSpec): { value: unknown; secrets: string[] } | undefined {
  if (field.kind === 'headers') {
    const headers = readHeaders(reader, at);
    return headers && { value: headers, secrets: Object.values(headers).filter((value) => value.length >= 4) };
  }
  if (field.kind === 'emails') {
    const seen = reader.see(at);
    const list = seen.kind === 'scalar' ? (() => {
      const one = readString(reader, at);
      return one === undefined ? undefined : [one];
    })() : readStringList(reader, at);
    if (list === undefined) return undefined;
    const problem = fieldProblem('emails', list);
    if (problem) {
      reader.report(at, `expected ${problem.expected}, got ${list.map((item) => JSON.stringify(item)).join(', ') || 'an empty list'}`);
      return undefined;
    }
    return { value: list, secrets: [] };
  }
  const text = readString(reader, at);
  if (text === undefined) return undefined;
  const problem = fieldProblem(field.kind, text);
  if (problem) {
    // Never the value itself: it may be a credential.
    reader.report(at, `expected ${problem.expected}${isSecret(field.kind) ? ', got a value that is not one' : `, got ${JSON.stringify(text)}`}`);
    return undefined;
  }
  const value = field.kind === 'smtp-url' ? readSmtp(text) : field.kind === 'base-url' ? text.replace(/\/+$/, '') : text;
  return { value, secrets: isSecret(field.kind) ? secretParts(field.kind, text) : [] };
}

/** `smtp://user:pass@host:587` (STARTTLS when offered) or `smtps://user:pass@host:465` (TLS from the start). */
export function readSmtp(text: string): { host: string; port: number; security: 'tls' | 'starttls'; username?: string; password?: string } | undefined {
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  if ((url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) return undefined;
  const secure = url.protocol === 'smtps:';
  const host = url.hostname.replace(/^\[(.*)\]$/, '$1');
  return {
    host,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    security: secure ? 'tls' : 'starttls',
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}
