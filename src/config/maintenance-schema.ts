// `maintenance:` lists: fixed windows ({ start, end }) and recurring ones ({ cron, duration, timezone }).

import { CronExpressionParser } from 'cron-parser';
import type { MaintenanceWindow } from '../domain/monitor.js';
import { Fields, readList, readString, type Located, type Reader } from './reader.js';
import { readDuration } from './values.js';

const WINDOW_KEYS = ['start', 'end', 'cron', 'duration', 'timezone', 'title'] as const;
const FIXED_ONLY = ['start', 'end'];
const CRON_ONLY = ['cron', 'duration', 'timezone'];

export function readMaintenance(reader: Reader, at: Located): MaintenanceWindow[] | undefined {
  const items = readList(reader, at, 'a list of maintenance windows');
  if (!items) return undefined;
  const windows = items.map((item) => readWindow(reader, item));
  return windows.every((window): window is MaintenanceWindow => window !== undefined) ? windows : undefined;
}

/** One window; `extraKeys` are keys the caller reads itself (the API's `monitors` and `components`). */
export function readWindow(reader: Reader, at: Located, extraKeys: readonly string[] = []): MaintenanceWindow | undefined {
  const fields = Fields.read(reader, at, [...WINDOW_KEYS, ...extraKeys]);
  if (!fields) return undefined;
  const titleAt = fields.get('title');
  const title = titleAt ? readString(reader, titleAt) : undefined;
  const extra = title === undefined ? {} : { title };
  const isCron = fields.has('cron') || (!fields.has('start') && (fields.has('duration') || fields.has('timezone')));
  if (!isCron && !fields.has('start')) {
    reader.report(
      { offset: fields.offset, path: fields.path },
      'expected a window with "start" and "end", or with "cron" and "duration", got neither',
    );
    return undefined;
  }
  const foreign = isCron ? FIXED_ONLY : CRON_ONLY;
  for (const key of fields.keys().filter((key) => foreign.includes(key))) {
    const kind = isCron ? 'a cron window (which uses cron, duration, timezone)' : 'a fixed window (which uses start, end)';
    reader.report(fields.keyAt(key) as Pick<Located, 'offset' | 'path'>, `key "${key}" does not apply to ${kind}`);
  }
  return isCron ? readCronWindow(reader, fields, extra) : readFixedWindow(reader, fields, extra);
}

function readFixedWindow(reader: Reader, fields: Fields, extra: { title?: string }): MaintenanceWindow | undefined {
  const startAt = readInstantAt(reader, fields.required(reader, 'start'));
  const endLocated = fields.required(reader, 'end');
  const endAt = readInstantAt(reader, endLocated);
  if (startAt === undefined || endAt === undefined || !endLocated) return undefined;
  if (endAt <= startAt) {
    reader.report(endLocated, `expected an end after the start (${new Date(startAt).toISOString()}), got ${new Date(endAt).toISOString()}`);
    return undefined;
  }
  return { kind: 'fixed', startAt, endAt, ...extra };
}

function readCronWindow(reader: Reader, fields: Fields, extra: { title?: string }): MaintenanceWindow | undefined {
  const timezoneAt = fields.get('timezone');
  const timezone = timezoneAt ? readString(reader, timezoneAt, { test: isTimeZone, expected: 'an IANA time zone like "Europe/Berlin"' }) : 'UTC';
  const cronAt = fields.required(reader, 'cron');
  const cron = cronAt && readCron(reader, cronAt, timezone ?? 'UTC');
  const durationAt = fields.required(reader, 'duration');
  const durationMs = durationAt && readDuration(reader, durationAt);
  if (cron === undefined || durationMs === undefined || timezone === undefined) return undefined;
  return { kind: 'cron', cron, durationMs, timezone, ...extra };
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An ISO 8601 date-time with a zone ("Z" or "+02:00"); a date that does not exist (Feb 30) is refused. */
export function parseInstant(text: string): number | undefined {
  const match = ISO_INSTANT.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number(part ?? 0)) as number[];
  const calendar = new Date(Date.UTC(year as number, (month as number) - 1, day, hour, minute, second));
  const exists =
    calendar.getUTCFullYear() === year &&
    calendar.getUTCMonth() === (month as number) - 1 &&
    calendar.getUTCDate() === day &&
    calendar.getUTCHours() === hour &&
    calendar.getUTCMinutes() === minute;
  const ms = Date.parse(text);
  return exists && Number.isFinite(ms) ? ms : undefined;
}

function readInstantAt(reader: Reader, at: Located | undefined): number | undefined {
  if (!at) return undefined;
  const text = readString(reader, at, {
    test: (value) => parseInstant(value) !== undefined,
    expected: 'an ISO 8601 time with a zone like "2026-12-01T02:00:00Z"',
  });
  return text === undefined ? undefined : parseInstant(text);
}

export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch (error) {
    // Intl reports an unknown zone with a RangeError; anything else is unexpected.
    if (error instanceof RangeError) return false;
    throw error;
  }
}

function readCron(reader: Reader, at: Located, timezone: string): string | undefined {
  const expression = readString(reader, at);
  if (expression === undefined) return undefined;
  const problem = cronProblem(expression, timezone);
  if (problem) {
    reader.report(at, `expected a cron expression like "0 3 * * 0", got ${JSON.stringify(expression)} (${problem})`);
    return undefined;
  }
  return expression;
}

function cronProblem(expression: string, timezone: string): string | undefined {
  const fieldCount = expression.trim().split(/\s+/).length;
  if (!expression.trim().startsWith('@') && fieldCount !== 5 && fieldCount !== 6) {
    return `it has ${fieldCount} fields; 5 (minute hour day month weekday) or 6 with seconds first`;
  }
  if (/\bH\b/.test(expression)) return 'random "H" values are not allowed in maintenance windows';
  try {
    CronExpressionParser.parse(expression, { tz: timezone });
    return undefined;
  } catch (error) {
    // cron-parser reports every malformed expression by throwing a plain Error with a readable message.
    if (error instanceof Error) return error.message;
    throw error;
  }
}
