// One entry of `monitors:`: the common keys, the type's own keys, and defaults filled in.

import type { MonitorSpec, MonitorType } from '../domain/monitor.js';
import { formatDuration } from './durations.js';
import { MONITOR_TYPES, readProbe, TYPE_KEYS } from './probe-schema.js';
import { describe, Fields, readBoolean, readChoice, readInteger, readList, readString, type Located, type Reader } from './reader.js';
import { VANTAGE_PATTERN } from '../domain/vantage-patterns.js';
import { overlaySettings, readSettings, type Settings } from './settings.js';
import { readDeclared } from './declared-schema.js';
import { readNotify } from './routes-schema.js';

export const COMMON_KEYS = [
  'id',
  'name',
  'type',
  'interval',
  'timeout',
  'failureThreshold',
  'successThreshold',
  'degradedAfter',
  'tags',
  'component',
  'paused',
  'maintenance',
  'public',
  'vantages',
  'declared',
  'quorum',
  'notify',
] as const;

/** Most vantages a quorum may ask for: far beyond any deployment, low enough to catch a typo. */
export const MAX_QUORUM = 1000;

const ALL_MONITOR_KEYS = [...new Set([...COMMON_KEYS, ...MONITOR_TYPES.flatMap((type) => TYPE_KEYS[type])])];

export const DEFAULT_INTERVAL_MS = 60_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_FAILURE_THRESHOLD = 3;
export const DEFAULT_SUCCESS_THRESHOLD = 2;

const ID = /^[a-z0-9-]{1,64}$/;

export interface MonitorRead {
  readonly spec?: MonitorSpec;
  readonly id?: string;
  readonly idAt?: Located;
  /** `notify:` as written, checked against the channels once they are known. */
  readonly notify?: { ids: string[]; items: Located[] };
}

export function readMonitor(reader: Reader, at: Located, defaults: Settings): MonitorRead {
  const fields = Fields.read(reader, at, 'any');
  if (!fields) return {};
  const idAt = fields.required(reader, 'id', ' (lower-case letters, digits and -, like "youtube")');
  const id = idAt && readString(reader, idAt, { test: (text) => ID.test(text), expected: 'an id of lower-case letters, digits and - like "youtube"' });
  const typeAt = fields.required(reader, 'type', ` (one of ${MONITOR_TYPES.join(', ')})`);
  const type = typeAt && readChoice(reader, typeAt, MONITOR_TYPES);
  rejectUnknownKeys(reader, fields, type);

  // A dns monitor without `query` resolves its `name`, so `name` is read there, not here.
  const nameIsQuery = type === 'dns' && !fields.has('query');
  const nameAt = nameIsQuery ? undefined : fields.get('name');
  const name = nameAt && readString(reader, nameAt);
  const componentAt = fields.get('component');
  const component = componentAt && readString(reader, componentAt);
  const publicAt = fields.get('public');
  const visibility = publicAt && readPublic(reader, publicAt);
  const vantagesAt = fields.get('vantages');
  const vantages = vantagesAt && readVantagePatterns(reader, vantagesAt);
  const declaredAt = fields.get('declared');
  const declared = declaredAt && readDeclared(reader, declaredAt);
  // How many vantages a pattern takes in is not known here (agents come later, patterns match regions
  // too), so a quorum larger than the vantages checking a monitor shows at run time: never down, at most partial.
  const quorumAt = fields.get('quorum');
  const quorum = quorumAt && readInteger(reader, quorumAt, 1, MAX_QUORUM);
  const notifyAt = fields.get('notify');
  const notify = notifyAt && readNotify(reader, notifyAt);
  const settings = overlaySettings(defaults, readSettings(reader, fields));
  const probe = type && readProbe(reader, type, fields, settings);
  const timing = readTiming(reader, id ?? '?', settings);

  const failed = id === undefined || probe === undefined || timing === undefined || (nameAt && name === undefined) || (componentAt && component === undefined) || (publicAt && visibility === undefined) || (vantagesAt && vantages === undefined) || (declaredAt && declared === undefined) || (quorumAt && quorum === undefined) || (notifyAt && notify === undefined);
  if (failed) return { ...(id === undefined ? {} : { id }), ...(idAt ? { idAt } : {}) };
  const displayName = name ?? (probe.type === 'dns' && nameIsQuery && fields.has('name') ? probe.name : id);
  const spec: MonitorSpec = {
    id,
    name: displayName,
    probe,
    ...timing,
    failureThreshold: settings.failureThreshold?.value ?? DEFAULT_FAILURE_THRESHOLD,
    successThreshold: settings.successThreshold?.value ?? DEFAULT_SUCCESS_THRESHOLD,
    tags: settings.tags?.value ?? [],
    component: component ?? displayName,
    maintenance: settings.maintenance?.value ?? [],
    paused: settings.paused?.value ?? false,
    ...(visibility ? { public: visibility } : {}),
    ...(vantages ? { vantages } : {}),
    ...(declared ? { declared } : {}),
    ...(quorum !== undefined ? { quorum } : {}),
    ...(notify && notify.ids.length > 0 ? { notify: notify.ids } : {}),
  };
  return { spec, id, ...(idAt ? { idAt } : {}), ...(notify ? { notify } : {}) };
}

/** Unknown keys are listed against the type's own keys; keys of another type are named as such. */
function rejectUnknownKeys(reader: Reader, fields: Fields, type: MonitorType | undefined): void {
  if (!type) return fields.rejectUnknown(reader, ALL_MONITOR_KEYS);
  fields.rejectUnknown(reader, [...COMMON_KEYS, ...TYPE_KEYS[type]], (key) => {
    const owners = MONITOR_TYPES.filter((other) => TYPE_KEYS[other].includes(key));
    if (owners.length === 0) return undefined;
    return `key "${key}" does not apply to ${type === 'http' ? 'an' : 'a'} ${type} monitor (it belongs to ${owners.join(', ')} monitors)`;
  });
}

/** Interval, timeout and latency threshold, which only make sense together. */
function readTiming(
  reader: Reader,
  id: string,
  settings: Settings,
): Pick<MonitorSpec, 'intervalMs' | 'timeoutMs' | 'degradedAfterMs'> | undefined {
  const intervalMs = settings.interval?.value ?? DEFAULT_INTERVAL_MS;
  const timeout = settings.timeout;
  // The default timeout shrinks to fit a short interval; a written one must fit on its own.
  const timeoutMs = timeout?.value ?? Math.min(DEFAULT_TIMEOUT_MS, intervalMs);
  if (timeout && timeout.value > intervalMs) {
    reader.report(
      timeout.at,
      `expected a timeout of at most the interval (${formatDuration(intervalMs)}) of monitor "${id}", got ${describe(reader.see(timeout.at))}`,
    );
    return undefined;
  }
  const degraded = settings.degradedAfter;
  if (degraded && degraded.value >= timeoutMs) {
    reader.report(
      degraded.at,
      `expected a latency below the timeout (${formatDuration(timeoutMs)}) of monitor "${id}", got ${describe(reader.see(degraded.at))}`,
    );
    return undefined;
  }
  return { intervalMs, timeoutMs, ...(degraded ? { degradedAfterMs: degraded.value } : {}) };
}

/** `public: { excerpt: true }`: what people may see of this monitor beyond its verdict. */
function readPublic(reader: Reader, at: Located): { excerpt: boolean } | undefined {
  const fields = Fields.read(reader, at, ['excerpt']);
  if (!fields) return undefined;
  const excerptAt = fields.get('excerpt');
  const excerpt = excerptAt ? readBoolean(reader, excerptAt) : false;
  return excerpt === undefined ? undefined : { excerpt };
}

/** `vantages: [a1, eu-*]`: the vantages that check this monitor, by name or region; `*` stands for any run of characters. */
function readVantagePatterns(reader: Reader, at: Located): string[] | undefined {
  const items = readList(reader, at, 'a list of vantage names or patterns like [hub, eu-*]');
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(at, 'expected at least one vantage name or pattern (leave "vantages" out to check from every vantage)');
    return undefined;
  }
  const patterns = items.map((item) =>
    readString(reader, item, { test: (text) => VANTAGE_PATTERN.test(text), expected: 'a vantage name of lower-case letters, digits and - (or a region), where * stands for any run of characters (like "eu-*")' }),
  );
  return patterns.every((pattern): pattern is string => pattern !== undefined) ? patterns : undefined;
}
