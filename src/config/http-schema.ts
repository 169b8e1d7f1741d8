// The http monitor's keys: request (url, method, headers, body, ...) and `expect:` assertions.

import type { HeaderAssertion, HttpExpect, HttpProbeSpec, JsonAssertion, StatusRange } from '../domain/monitor.js';
import {
  describe,
  Fields,
  readList,
  readString,
  readStringOrList,
  readBoolean,
  type Located,
  type Reader,
} from './reader.js';
import type { Settings } from './settings.js';
import { readDuration, readRegex } from './values.js';

export const HTTP_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'] as const;
export const DEFAULT_KEEP_HEADERS = ['server', 'content-type', 'cache-control', 'via', 'x-cache', 'cf-ray', 'age'] as const;
export const DEFAULT_MAX_REDIRECTS = 5;
export const DEFAULT_MAX_BODY_BYTES = 1_048_576;
export const DEFAULT_STATUS: readonly StatusRange[] = [[200, 399]];
const HTTP_EXPECT_KEYS = ['status', 'maxLatency', 'bodyContains', 'bodyMatches', 'json', 'header'] as const;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

export function readHttpProbe(reader: Reader, fields: Fields, settings: Settings): HttpProbeSpec | undefined {
  const urlAt = fields.required(reader, 'url', ' (the address to check, like "https://example.org/")');
  const url = urlAt && readString(reader, urlAt, { test: isHttpUrl, expected: 'an http:// or https:// URL' });
  if (url !== undefined && urlAt && hasCredentials(url)) {
    reader.report(urlAt, 'expected a URL without user:password@ (it would be shown wherever the URL is); send them as headers: { Authorization: "Basic ..." } instead');
  }
  const bodyAt = fields.get('body');
  const body = bodyAt && readString(reader, bodyAt);
  const method = settings.method?.value ?? 'GET';
  if (bodyAt && body !== undefined && (method === 'GET' || method === 'HEAD')) {
    reader.report(bodyAt, `expected no body with method ${method}, got ${describe(reader.see(bodyAt))} (use POST, PUT or PATCH to send one)`);
  }
  const expectAt = fields.get('expect');
  const expect = expectAt ? readHttpExpect(reader, expectAt) : { status: DEFAULT_STATUS };
  if (url === undefined || expect === undefined) return undefined;
  return {
    type: 'http',
    url,
    method,
    headers: settings.headers?.value ?? {},
    ...(body === undefined ? {} : { body }),
    maxRedirects: settings.maxRedirects?.value ?? DEFAULT_MAX_REDIRECTS,
    verifyTls: settings.verifyTls?.value ?? true,
    maxBodyBytes: settings.maxBodySize?.value ?? DEFAULT_MAX_BODY_BYTES,
    keepHeaders: settings.keepHeaders?.value ?? DEFAULT_KEEP_HEADERS,
    expect,
  };
}

function hasCredentials(text: string): boolean {
  const { username, password } = new URL(text);
  return username !== '' || password !== '';
}

export function isHttpUrl(text: string): boolean {
  if (!URL.canParse(text)) return false;
  const { protocol, hostname } = new URL(text);
  return (protocol === 'http:' || protocol === 'https:') && hostname !== '';
}

export function readMethod(reader: Reader, at: Located): string | undefined {
  const text = readString(reader, at, {
    test: (value) => (HTTP_METHODS as readonly string[]).includes(value.toUpperCase()),
    expected: `one of ${HTTP_METHODS.join(', ')}`,
  });
  return text?.toUpperCase();
}

/** Request headers: a map of name to text; numbers are taken as their text. */
export function readHeaders(reader: Reader, at: Located): Record<string, string> | undefined {
  const fields = Fields.read(reader, at, 'any');
  if (!fields) return undefined;
  const headers: Record<string, string> = {};
  let ok = true;
  for (const name of fields.keys()) {
    const valueAt = fields.get(name) as Located;
    if (!TOKEN.test(name)) {
      reader.report(valueAt, `expected a header name made of letters, digits and -, got ${JSON.stringify(name)}`);
      ok = false;
      continue;
    }
    const seen = reader.see(valueAt);
    const value = seen.kind === 'scalar' && typeof seen.value === 'number' ? String(seen.value) : readString(reader, valueAt);
    if (value === undefined) ok = false;
    else if (/[\r\n]/.test(value)) {
      reader.report(valueAt, 'expected a header value on one line, got a line break');
      ok = false;
    } else if (/[^\t\x20-\x7e\x80-\xff]/.test(value)) {
      // The characters Node.js refuses to send in a header (control characters, anything beyond Latin-1).
      reader.report(valueAt, `expected a header value of printable Latin-1 characters, got ${JSON.stringify(value)}`);
      ok = false;
    } else headers[name] = value;
  }
  return ok ? headers : undefined;
}

/** Header names kept as evidence: lower-cased. */
export function readHeaderNames(reader: Reader, at: Located): string[] | undefined {
  const items = readList(reader, at, 'a list of header names');
  if (!items) return undefined;
  const names = items.map((item) => readString(reader, item, { test: (value) => TOKEN.test(value), expected: 'a header name' }));
  return names.every((name): name is string => name !== undefined) ? names.map((name) => name.toLowerCase()) : undefined;
}

/** Later headers win; names match case-insensitively, as HTTP reads them. */
export function mergeHeaders(base: Readonly<Record<string, string>>, own: Readonly<Record<string, string>>): Record<string, string> {
  const merged: Record<string, string> = {};
  const ownNames = new Set(Object.keys(own).map((name) => name.toLowerCase()));
  for (const [name, value] of Object.entries(base)) if (!ownNames.has(name.toLowerCase())) merged[name] = value;
  return Object.assign(merged, own);
}

function readHttpExpect(reader: Reader, at: Located): HttpExpect | undefined {
  const fields = Fields.read(reader, at, HTTP_EXPECT_KEYS);
  if (!fields) return undefined;
  const statusAt = fields.get('status');
  const status = statusAt ? readStatus(reader, statusAt) : DEFAULT_STATUS;
  const maxLatencyAt = fields.get('maxLatency');
  const maxLatencyMs = maxLatencyAt && readDuration(reader, maxLatencyAt);
  const bodyContainsAt = fields.get('bodyContains');
  const bodyContains = bodyContainsAt && readStringOrList(reader, bodyContainsAt);
  const bodyMatchesAt = fields.get('bodyMatches');
  const bodyMatches = bodyMatchesAt && readRegex(reader, bodyMatchesAt);
  const jsonAt = fields.get('json');
  const json = jsonAt && readAll(reader, jsonAt, 'a list of JSON assertions like { path: status, equals: ok }', readJsonAssertion);
  const headerAt = fields.get('header');
  const headers = headerAt && readAll(reader, headerAt, 'a list of header assertions like { name: server, contains: nginx }', readHeaderAssertion);
  const failed =
    status === undefined ||
    (maxLatencyAt && maxLatencyMs === undefined) ||
    (bodyContainsAt && bodyContains === undefined) ||
    (bodyMatchesAt && bodyMatches === undefined) ||
    (jsonAt && json === undefined) ||
    (headerAt && headers === undefined);
  if (failed) return undefined;
  return {
    status,
    ...(maxLatencyMs === undefined ? {} : { maxLatencyMs }),
    ...(bodyContains === undefined ? {} : { bodyContains }),
    ...(bodyMatches === undefined ? {} : { bodyMatches }),
    ...(json === undefined ? {} : { json }),
    ...(headers === undefined ? {} : { headers }),
  };
}

function readAll<T>(reader: Reader, at: Located, expected: string, readItem: (reader: Reader, at: Located) => T | undefined): T[] | undefined {
  const items = readList(reader, at, expected);
  if (!items) return undefined;
  const values = items.map((item) => readItem(reader, item));
  return values.every((value): value is T => value !== undefined) ? values : undefined;
}

const STATUS_TEXT = /^([1-5])xx$|^(\d{3})(?:-(\d{3}))?$/;
const STATUS_EXPECTED = 'a status code from 100 to 599, "2xx" or a range like "200-299"';

function readStatus(reader: Reader, at: Located): StatusRange[] | undefined {
  const seen = reader.see(at);
  const items = seen.kind === 'list' ? readList(reader, at) : [at];
  if (!items) return undefined;
  if (items.length === 0) {
    reader.report(at, `expected at least one status, got an empty list`);
    return undefined;
  }
  const ranges = items.map((item) => readStatusRange(reader, item));
  return ranges.every((range): range is StatusRange => range !== undefined) ? ranges : undefined;
}

function readStatusRange(reader: Reader, at: Located): StatusRange | undefined {
  const seen = reader.see(at);
  if (seen.kind === 'invalid') return undefined;
  const value = seen.kind === 'scalar' ? seen.value : undefined;
  const range = typeof value === 'number' ? ([value, value] as const) : typeof value === 'string' ? statusRangeOf(value) : undefined;
  if (!range || !Number.isInteger(range[0]) || range[0] < 100 || range[1] > 599 || range[0] > range[1]) {
    reader.report(at, `expected ${STATUS_EXPECTED}, got ${describe(seen)}`);
    return undefined;
  }
  return range;
}

function statusRangeOf(text: string): StatusRange | undefined {
  const match = STATUS_TEXT.exec(text);
  if (!match) return undefined;
  if (match[1]) return [Number(match[1]) * 100, Number(match[1]) * 100 + 99];
  const low = Number(match[2]);
  return [low, match[3] ? Number(match[3]) : low];
}

const JSON_PATH = /^(?:[^.[\]]+|\[\d+\])(?:\.[^.[\]]+|\[\d+\])*$/;

/** "", "$", "a.b[0].c", "$.a", "[0].id". */
export function isJsonPath(path: string): boolean {
  if (path === '' || path === '$') return true;
  const rest = path.startsWith('$.') ? path.slice(2) : path.startsWith('$[') ? path.slice(1) : path;
  return JSON_PATH.test(rest);
}

function exactlyOne(reader: Reader, fields: Fields, keys: readonly string[]): string | undefined {
  const present = keys.filter((key) => fields.has(key));
  if (present.length === 1) return present[0];
  const found = present.length === 0 ? 'none' : present.join(' and ');
  reader.report({ offset: fields.offset, path: fields.path }, `expected exactly one of ${keys.join(', ')}, got ${found}`);
  return undefined;
}

function readJsonAssertion(reader: Reader, at: Located): JsonAssertion | undefined {
  const fields = Fields.read(reader, at, ['path', 'equals', 'exists']);
  if (!fields) return undefined;
  const pathAt = fields.required(reader, 'path');
  const path = pathAt && readString(reader, pathAt, { test: isJsonPath, expected: 'a JSON path like "data.items[0].status"' });
  const operator = exactlyOne(reader, fields, ['equals', 'exists']);
  if (path === undefined || operator === undefined) return undefined;
  const operandAt = fields.get(operator) as Located;
  if (operator === 'equals') return { path, equals: reader.toPlain(operandAt) };
  const exists = readBoolean(reader, operandAt);
  return exists === undefined ? undefined : { path, exists };
}

function readHeaderAssertion(reader: Reader, at: Located): HeaderAssertion | undefined {
  const fields = Fields.read(reader, at, ['name', 'equals', 'contains', 'matches', 'exists']);
  if (!fields) return undefined;
  const nameAt = fields.required(reader, 'name');
  const name = nameAt && readString(reader, nameAt, { test: (value) => TOKEN.test(value), expected: 'a header name' });
  const operator = exactlyOne(reader, fields, ['equals', 'contains', 'matches', 'exists']);
  if (name === undefined || operator === undefined) return undefined;
  const operandAt = fields.get(operator) as Located;
  if (operator === 'exists') {
    const exists = readBoolean(reader, operandAt);
    return exists === undefined ? undefined : { name, exists };
  }
  const operand = operator === 'matches' ? readRegex(reader, operandAt) : readString(reader, operandAt);
  return operand === undefined ? undefined : { name, [operator]: operand };
}

