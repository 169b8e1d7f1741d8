// `declared: { type: statuspage | feed, url, component?, interval? }` on a monitor: where the platform
// says what it thinks of itself.
import { DECLARED_SOURCE_TYPES, type DeclaredSpec } from '../domain/declared.js';
import { isHttpUrl } from './http-schema.js';
import { Fields, readChoice, readString, type Located, type Reader } from './reader.js';
import { readDuration } from './values.js';

export const DEFAULT_DECLARED_INTERVAL_MS = 120_000;
export const MIN_DECLARED_INTERVAL_MS = 5_000;

export function readDeclared(reader: Reader, at: Located): DeclaredSpec | undefined {
  const fields = Fields.read(reader, at, ['type', 'url', 'component', 'interval']);
  if (!fields) return undefined;
  const typeAt = fields.required(reader, 'type', ` (one of ${DECLARED_SOURCE_TYPES.join(', ')})`);
  const type = typeAt && readChoice(reader, typeAt, DECLARED_SOURCE_TYPES);
  const urlAt = fields.required(reader, 'url', ' (the status page summary.json or the feed)');
  const url = urlAt && readString(reader, urlAt, { test: isHttpUrl, expected: 'an http:// or https:// URL like "https://status.example.org/api/v2/summary.json"' });
  const componentAt = fields.get('component');
  const component = componentAt && readString(reader, componentAt, { test: (text) => text.trim().length > 0 && text.length <= 200, expected: "the platform's component name, 1 to 200 characters" });
  if (componentAt && type === 'feed') {
    reader.report(fields.keyAt('component') ?? componentAt, 'key "component" does not apply to a feed (a feed has no component statuses; use type: statuspage)');
    return undefined;
  }
  const intervalAt = fields.get('interval');
  const intervalMs = intervalAt ? readDuration(reader, intervalAt, MIN_DECLARED_INTERVAL_MS) : DEFAULT_DECLARED_INTERVAL_MS;
  if (type === undefined || url === undefined || intervalMs === undefined || (componentAt && component === undefined)) return undefined;
  return { type, url, intervalMs, ...(component !== undefined ? { component } : {}) };
}
