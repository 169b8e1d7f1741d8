// Reads an Atlassian Statuspage v2 summary.json (hosted Statuspage pages, and Candor's own /api/v2)
// into a DeclaredSnapshot. Pure. Anything not shaped as the format says is a `malformed` failure
// naming the field, never a guess: a page that cannot be read is not an operational page.
import type { DeclaredComponent, DeclaredIncident, DeclaredUpdate, PollOutcome } from '../domain/declared.js';
import { indicatorStatus } from '../domain/declared.js';
import type { ComponentStatus } from '../domain/status.js';
import { checkTimes, fail, MAX_INCIDENTS, MAX_TEXT, MAX_UPDATES } from './snapshot-rules.js';

const COMPONENT_STATUSES: readonly ComponentStatus[] = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'];

class Malformed extends Error {}

type Json = Record<string, unknown>;

export function parseStatuspage(text: string, now: number): PollOutcome {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    return fail('malformed', `not JSON: ${(error as Error).message}`);
  }
  try {
    const root = object(document, '(document)');
    const status = object(root['status'], 'status');
    const overall = indicatorStatus(string(status['indicator'], 'status.indicator'));
    if (!overall) throw new Malformed(`status.indicator: expected none, minor, major, critical or maintenance, got ${JSON.stringify(status['indicator'])}`);
    const page = root['page'] === undefined ? undefined : object(root['page'], 'page');
    const overallUpdatedAt = page?.['updated_at'] == null ? undefined : time(page['updated_at'], 'page.updated_at');
    const components = list(root['components'] ?? [], 'components').map((item, index) => component(item, `components[${index}]`));
    const incidents = [
      ...list(root['incidents'] ?? [], 'incidents').map((item, index) => incident(item, `incidents[${index}]`)),
      ...list(root['scheduled_maintenances'] ?? [], 'scheduled_maintenances')
        .map((item, index) => incident(item, `scheduled_maintenances[${index}]`))
        .filter((maintenance) => maintenance.startedAt <= now),
    ].slice(0, MAX_INCIDENTS);
    const snapshot = { overall, ...(overallUpdatedAt !== undefined ? { overallUpdatedAt } : {}), components, incidents };
    return checkTimes(snapshot, now);
  } catch (error) {
    if (error instanceof Malformed) return fail('malformed', error.message);
    throw error;
  }
}

function component(value: unknown, path: string): DeclaredComponent {
  const item = object(value, path);
  const status = string(item['status'], `${path}.status`);
  if (!COMPONENT_STATUSES.includes(status as ComponentStatus)) throw new Malformed(`${path}.status: expected one of ${COMPONENT_STATUSES.join(', ')}, got ${JSON.stringify(status)}`);
  const updatedAt = item['updated_at'] == null ? undefined : time(item['updated_at'], `${path}.updated_at`);
  return { name: text(item['name'], `${path}.name`), status: status as ComponentStatus, ...(updatedAt !== undefined ? { updatedAt } : {}) };
}

function incident(value: unknown, path: string): DeclaredIncident {
  const item = object(value, path);
  const createdAt = time(item['created_at'], `${path}.created_at`);
  const startedAt = item['started_at'] == null ? (item['scheduled_for'] == null ? createdAt : time(item['scheduled_for'], `${path}.scheduled_for`)) : time(item['started_at'], `${path}.started_at`);
  const resolvedAt = item['resolved_at'] == null ? undefined : time(item['resolved_at'], `${path}.resolved_at`);
  const updates: DeclaredUpdate[] = list(item['incident_updates'] ?? [], `${path}.incident_updates`)
    .slice(0, MAX_UPDATES)
    .map((update, index) => {
      const at = `${path}.incident_updates[${index}]`;
      const entry = object(update, at);
      const when = entry['display_at'] ?? entry['created_at'];
      return { at: time(when, `${at}.created_at`), status: text(entry['status'] ?? 'update', `${at}.status`), body: text(entry['body'] ?? '', `${at}.body`) };
    })
    .sort((a, b) => a.at - b.at);
  const components = list(item['components'] ?? [], `${path}.components`).map((c, index) => text(object(c, `${path}.components[${index}]`)['name'], `${path}.components[${index}].name`));
  const link = typeof item['shortlink'] === 'string' && /^https?:\/\//.test(item['shortlink']) ? item['shortlink'] : undefined;
  return {
    externalId: text(item['id'], `${path}.id`),
    title: text(item['name'], `${path}.name`),
    impact: typeof item['impact'] === 'string' ? item['impact'].slice(0, 20) : 'unknown',
    declaredAt: createdAt,
    startedAt,
    ...(resolvedAt !== undefined ? { resolvedAt } : {}),
    components,
    updates,
    ...(link ? { url: link } : {}),
  };
}

function object(value: unknown, path: string): Json {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Malformed(`${path}: expected an object, got ${kindOf(value)}`);
  return value as Json;
}

function list(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) throw new Malformed(`${path}: expected a list, got ${kindOf(value)}`);
  return value;
}

function string(value: unknown, path: string): string {
  if (typeof value !== 'string') throw new Malformed(`${path}: expected a string, got ${kindOf(value)}`);
  return value;
}

function text(value: unknown, path: string): string {
  return string(typeof value === 'number' ? String(value) : value, path).slice(0, MAX_TEXT);
}

function time(value: unknown, path: string): number {
  const parsed = Date.parse(string(value, path));
  if (Number.isNaN(parsed)) throw new Malformed(`${path}: expected an ISO 8601 time, got ${JSON.stringify(value)}`);
  return parsed;
}

function kindOf(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value).slice(0, 40)}`;
}
