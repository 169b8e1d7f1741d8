// `routes:` (which notices go to which channels), `alerting:` (grouping and retries), and the check
// that every channel named (by a route or a monitor's `notify:`) exists.

import { DEFAULT_ALERTING, NOTICE_KINDS, type AlertingSettings, type ChannelSpec, type NoticeKind, type RouteSpec } from '../domain/alerting.js';
import type { MonitorSpec } from '../domain/monitor.js';
import { Fields, readInteger, readList, readString, type Located, type Reader } from './reader.js';
import { closestWord } from './suggest.js';
import { readDuration } from './values.js';

const ROUTE_KEYS = ['events', 'monitors', 'components', 'tags', 'scopes', 'channels', 'remindEvery'] as const;
const ALERTING_KEYS = ['groupWindow', 'maxAttempts', 'retryMinDelay', 'retryMaxDelay', 'timeout'] as const;

/**
 * `channels` and `monitors` are undefined when they had problems of their own: names are then not
 * checked against them (the lists they must come from are unknown).
 */
export function readRoutes(reader: Reader, at: Located, channels: readonly ChannelSpec[] | undefined, monitors: readonly MonitorSpec[] | undefined): RouteSpec[] | undefined {
  const items = readList(reader, at, 'a list of routes like { events: [went_down], channels: [ops] }');
  if (!items) return undefined;
  const routes = items.map((item) => readRoute(reader, item, channels, monitors));
  return routes.every((route): route is RouteSpec => route !== undefined) ? routes : undefined;
}

function readRoute(reader: Reader, at: Located, channels: readonly ChannelSpec[] | undefined, monitors: readonly MonitorSpec[] | undefined): RouteSpec | undefined {
  const fields = Fields.read(reader, at, ROUTE_KEYS);
  if (!fields) return undefined;
  const before = reader.problems.length;
  const eventsAt = fields.get('events');
  const events = eventsAt ? (readNames(reader, eventsAt, 'notice kind', NOTICE_KINDS) as NoticeKind[] | undefined) : [...NOTICE_KINDS];
  const known = (pick: (monitor: MonitorSpec) => readonly string[]) => monitors && [...new Set(monitors.flatMap(pick))];
  const selector = (key: string, what: string, names: readonly string[] | undefined) => {
    const located = fields.get(key);
    return located && readNames(reader, located, what, names);
  };
  const monitorIds = selector('monitors', 'monitor', known((monitor) => [monitor.id]));
  const components = selector('components', 'component', known((monitor) => [monitor.component]));
  const tags = selector('tags', 'tag', known((monitor) => monitor.tags));
  const scopes = selector('scopes', 'region or vantage', undefined);
  const channelsAt = fields.required(reader, 'channels', ' (the ids of channels listed under "channels")');
  const channelIds = channelsAt && readNames(reader, channelsAt, 'channel', channels?.map((channel) => channel.id));
  const remindAt = fields.get('remindEvery');
  const remindEveryMs = remindAt && readDuration(reader, remindAt, 60_000);
  if (reader.problems.length !== before || events === undefined || channelIds === undefined) return undefined;
  return {
    events,
    ...(monitorIds ? { monitors: monitorIds } : {}),
    ...(components ? { components } : {}),
    ...(tags ? { tags } : {}),
    ...(scopes ? { scopes } : {}),
    channels: channelIds,
    ...(remindEveryMs !== undefined ? { remindEveryMs } : {}),
  };
}

/** A list of names, each one of `known` when that is given (with a did-you-mean), none twice. */
function readNames(reader: Reader, at: Located, what: string, known: readonly string[] | undefined): string[] | undefined {
  const items = readList(reader, at, `a list of ${what} names`);
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(at, `expected at least one ${what}, got an empty list`);
    return undefined;
  }
  const names: string[] = [];
  let ok = true;
  for (const item of items) {
    const name = readString(reader, item);
    if (name === undefined) ok = false;
    else if (known && !known.includes(name)) {
      reportUnknown(reader, item, what, name, known);
      ok = false;
    } else if (names.includes(name)) {
      reader.report(item, `expected each ${what} once, got "${name}" again`);
      ok = false;
    } else names.push(name);
  }
  return ok ? names : undefined;
}

function reportUnknown(reader: Reader, at: Located, what: string, name: string, known: readonly string[]): void {
  const guess = closestWord(name, known);
  const hint = guess ? ` (did you mean "${guess}"?)` : '';
  const list = known.length === 0 ? `no ${what}s are configured` : `expected one of: ${known.slice(0, 30).join(', ')}${known.length > 30 ? ', ...' : ''}`;
  reader.report(at, `unknown ${what} "${name}"${hint}; ${list}`);
}

/** A monitor's `notify: [CHANNEL, ...]`: channel ids, checked once the channels are known. */
export function readNotify(reader: Reader, at: Located): { ids: string[]; items: Located[] } | undefined {
  const items = readList(reader, at, 'a list of channel ids like [ops-slack]');
  if (!items) return undefined;
  const ids = items.map((item) => readString(reader, item));
  return ids.every((id): id is string => id !== undefined) ? { ids, items } : undefined;
}

export function checkNotifyChannels(reader: Reader, notify: readonly { ids: string[]; items: Located[] }[], channels: readonly ChannelSpec[]): boolean {
  const known = channels.map((channel) => channel.id);
  let ok = true;
  for (const { ids, items } of notify) {
    ids.forEach((id, index) => {
      if (known.includes(id)) return;
      reportUnknown(reader, items[index]!, 'channel', id, known);
      ok = false;
    });
  }
  return ok;
}

export function readAlerting(reader: Reader, at: Located): AlertingSettings | undefined {
  const fields = Fields.read(reader, at, ALERTING_KEYS);
  if (!fields) return undefined;
  const before = reader.problems.length;
  const duration = (key: string, fallback: number, minMs: number) => {
    const located = fields.get(key);
    return located ? readDuration(reader, located, minMs) : fallback;
  };
  const groupWindowMs = duration('groupWindow', DEFAULT_ALERTING.groupWindowMs, 0);
  const attemptsAt = fields.get('maxAttempts');
  const maxAttempts = attemptsAt ? readInteger(reader, attemptsAt, 1, 100) : DEFAULT_ALERTING.maxAttempts;
  const retryMinDelayMs = duration('retryMinDelay', DEFAULT_ALERTING.retryMinDelayMs, 100);
  const retryMaxDelayMs = duration('retryMaxDelay', DEFAULT_ALERTING.retryMaxDelayMs, 100);
  const timeoutMs = duration('timeout', DEFAULT_ALERTING.timeoutMs, 100);
  if (reader.problems.length !== before) return undefined;
  if ((retryMaxDelayMs as number) < (retryMinDelayMs as number)) {
    reader.report(fields.get('retryMaxDelay') ?? at, 'expected retryMaxDelay to be at least retryMinDelay');
    return undefined;
  }
  return { groupWindowMs: groupWindowMs!, maxAttempts: maxAttempts!, retryMinDelayMs: retryMinDelayMs!, retryMaxDelayMs: retryMaxDelayMs!, timeoutMs: timeoutMs! };
}
