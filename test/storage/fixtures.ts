import type { Observation } from '../../src/domain/observation.js';
import type { CheckResult } from '../../src/domain/verdict.js';
import type { Incident, MonitorState, TimelineEntry, VantageState } from '../../src/domain/state.js';
import type { IngestBatch } from '../../src/storage/store.js';
import { resultId, seriesSuffix } from '../../src/domain/result-id.js';

/** 2026-03-10T10:00:00.000Z: an exact UTC hour, so bucket edges are easy to read in tests. */
export const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** The id a stored result has: it is made of its monitor, vantage and startedAt. */
export const idOf = (monitorId: string, startedAt: number, vantage = 'local'): string => resultId(seriesSuffix(monitorId, vantage), startedAt);

/**
 * A passing result with only the required fields; override what the case is about. Its id follows
 * from monitor, vantage and startedAt (as stored); `label` only names it for the reader.
 */
export function result(_label: string, overrides: Partial<Mutable<CheckResult>> = {}): CheckResult {
  const base: Mutable<CheckResult> = {
    id: '',
    monitorId: 'm1',
    vantage: 'local',
    plannedAt: T0,
    startedAt: T0,
    ok: true,
    degraded: false,
    maintenance: false,
    inconclusive: false,
    latencyMs: 42,
    phases: { total: 42 },
    details: { type: 'http', status: 200 },
    ...overrides,
  };
  if (overrides.latencyMs !== undefined && overrides.phases === undefined) base.phases = { total: overrides.latencyMs };
  base.latencyMs = base.phases.total;
  base.id = idOf(base.monitorId, base.startedAt, base.vantage);
  return base;
}

/** What a vantage saw: a passing check unless overridden; no id, no verdict. */
export function observation(overrides: Partial<Mutable<Observation>> = {}): Observation {
  return { monitorId: 'm1', vantage: 'local', plannedAt: T0, startedAt: T0, ok: true, phases: { total: 42 }, details: { type: 'tcp' }, ...overrides };
}

/** A monitor's judged state. */
export function state(monitorId: string, overrides: Partial<Mutable<MonitorState>> = {}): MonitorState {
  return { monitorId, status: 'up', since: T0, updatedAt: T0, ...overrides };
}

/** One vantage's state-machine state of a monitor. */
export function vantageState(monitorId: string, overrides: Partial<Mutable<VantageState>> = {}): VantageState {
  return {
    monitorId,
    vantage: 'local',
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
  return { results: [], vantageStates: [], states: [], incidentsOpened: [], timelineAppended: [], incidentsResolved: [], ...parts };
}

/** Zero-padded ids sort like numbers, as ULIDs sort like time. */
export const id = (prefix: string, n: number): string => `${prefix}${String(n).padStart(6, '0')}`;
