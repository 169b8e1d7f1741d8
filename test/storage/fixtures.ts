import type { CheckResult } from '../../src/probes/types.js';
import type { Incident, MonitorState, TimelineEntry } from '../../src/domain/state.js';
import type { IngestBatch } from '../../src/storage/store.js';

/** 2026-03-10T10:00:00.000Z: an exact UTC hour, so bucket edges are easy to read in tests. */
export const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A passing result with only the required fields; override what the case is about. */
export function result(id: string, overrides: Partial<Mutable<CheckResult>> = {}): CheckResult {
  return {
    id,
    monitorId: 'm1',
    vantage: 'local',
    plannedAt: T0,
    startedAt: T0,
    ok: true,
    degraded: false,
    maintenance: false,
    latencyMs: 42,
    phases: { total: 42 },
    details: {},
    ...overrides,
  };
}

export function state(monitorId: string, overrides: Partial<Mutable<MonitorState>> = {}): MonitorState {
  return {
    monitorId,
    status: 'up',
    since: T0,
    consecutiveFailures: 0,
    consecutiveSuccesses: 1,
    consecutiveSlow: 0,
    updatedAt: T0,
    ...overrides,
  };
}

export function entry(id: string, incidentId: string, at: number, overrides: Partial<Mutable<TimelineEntry>> = {}): TimelineEntry {
  return { id, incidentId, at, kind: 'note', message: `entry ${id}`, ...overrides };
}

export function incident(id: string, startedAt: number, overrides: Partial<Mutable<Incident>> = {}): Incident {
  return {
    id,
    title: `Incident ${id}`,
    state: 'open',
    monitorIds: ['m1'],
    startedAt,
    timeline: [entry(`${id}-t1`, id, startedAt, { kind: 'first_failure' })],
    ...overrides,
  };
}

export function batch(parts: Partial<Mutable<IngestBatch>>): IngestBatch {
  return { results: [], states: [], incidentsOpened: [], timelineAppended: [], incidentsResolved: [], ...parts };
}

/** Zero-padded ids sort like numbers, as ULIDs sort like time. */
export const id = (prefix: string, n: number): string => `${prefix}${String(n).padStart(6, '0')}`;
