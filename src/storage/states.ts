// Persisted states: each vantage's state machine per monitor, and each monitor's judged state.
import type { Kysely, Selectable } from 'kysely';
import type { ErrorKind } from '../domain/observation.js';
import type { MonitorState, MonitorStatus, Scope, VantageState } from '../domain/state.js';
import type { Database, MonitorStatesTable, VantageStatesTable } from './schema.js';
import { canonicalJson } from '../domain/canonical-json.js';
import { ReusedStatement } from './reused-statements.js';

type VantageRow = Selectable<VantageStatesTable>;
type MonitorRow = Selectable<MonitorStatesTable>;


function vantageToRow(state: VantageState): VantageRow {
  return {
    monitor_id: state.monitorId,
    vantage: state.vantage,
    status: state.status,
    since: state.since,
    consecutive_failures: state.consecutiveFailures,
    consecutive_successes: state.consecutiveSuccesses,
    consecutive_slow: state.consecutiveSlow,
    first_failure: state.firstFailure ? canonicalJson(state.firstFailure) : null,
    last_error_kind: state.lastErrorKind ?? null,
    down_before_maintenance: state.downBeforeMaintenance ? 1 : 0,
    last_result_id: state.lastResultId ?? null,
    updated_at: state.updatedAt,
  };
}

function rowToVantage(row: VantageRow): VantageState {
  return {
    monitorId: row.monitor_id,
    vantage: row.vantage,
    status: row.status as MonitorStatus,
    since: row.since,
    consecutiveFailures: row.consecutive_failures,
    consecutiveSuccesses: row.consecutive_successes,
    consecutiveSlow: row.consecutive_slow,
    ...(row.first_failure !== null ? { firstFailure: JSON.parse(row.first_failure) } : {}),
    ...(row.last_error_kind !== null ? { lastErrorKind: row.last_error_kind as ErrorKind } : {}),
    ...(row.down_before_maintenance === 1 ? { downBeforeMaintenance: true as const } : {}),
    ...(row.last_result_id !== null ? { lastResultId: row.last_result_id } : {}),
    updatedAt: row.updated_at,
  };
}

function monitorToRow(state: MonitorState): MonitorRow {
  return {
    monitor_id: state.monitorId,
    status: state.status,
    since: state.since,
    last_error_kind: state.lastErrorKind ?? null,
    open_incident_id: state.openIncidentId ?? null,
    last_result_id: state.lastResultId ?? null,
    scope: state.scope ? canonicalJson(state.scope) : null,
    updated_at: state.updatedAt,
  };
}

function rowToMonitor(row: MonitorRow): MonitorState {
  return {
    monitorId: row.monitor_id,
    status: row.status as MonitorStatus,
    since: row.since,
    ...(row.last_error_kind !== null ? { lastErrorKind: row.last_error_kind as ErrorKind } : {}),
    ...(row.open_incident_id !== null ? { openIncidentId: row.open_incident_id } : {}),
    ...(row.last_result_id !== null ? { lastResultId: row.last_result_id } : {}),
    ...(row.scope !== null ? { scope: JSON.parse(row.scope) as Scope } : {}),
    updatedAt: row.updated_at,
  };
}

const upsertVantageRows = new ReusedStatement<VantageRow>(
  ['monitor_id', 'vantage', 'status', 'since', 'consecutive_failures', 'consecutive_successes', 'consecutive_slow', 'first_failure', 'last_error_kind', 'down_before_maintenance', 'last_result_id', 'updated_at'],
  (db, rows) =>
    db
      .insertInto('vantage_states')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['monitor_id', 'vantage']).doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          since: eb.ref('excluded.since'),
          consecutive_failures: eb.ref('excluded.consecutive_failures'),
          consecutive_successes: eb.ref('excluded.consecutive_successes'),
          consecutive_slow: eb.ref('excluded.consecutive_slow'),
          first_failure: eb.ref('excluded.first_failure'),
          last_error_kind: eb.ref('excluded.last_error_kind'),
          down_before_maintenance: eb.ref('excluded.down_before_maintenance'),
          last_result_id: eb.ref('excluded.last_result_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      ),
);

const upsertMonitorRows = new ReusedStatement<MonitorRow>(
  ['monitor_id', 'status', 'since', 'last_error_kind', 'open_incident_id', 'last_result_id', 'scope', 'updated_at'],
  (db, rows) =>
    db
      .insertInto('monitor_states')
      .values(rows)
      .onConflict((oc) =>
        oc.column('monitor_id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          since: eb.ref('excluded.since'),
          last_error_kind: eb.ref('excluded.last_error_kind'),
          open_incident_id: eb.ref('excluded.open_incident_id'),
          last_result_id: eb.ref('excluded.last_result_id'),
          scope: eb.ref('excluded.scope'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      ),
);

/** Upserts vantage states; when a batch carries several of one (monitor, vantage), the last wins. */
export async function upsertVantageStates(db: Kysely<Database>, states: readonly VantageState[]): Promise<void> {
  const latest = new Map(states.map((state) => [`${state.monitorId}\u0000${state.vantage}`, state]));
  await upsertVantageRows.execute(db, [...latest.values()].map(vantageToRow));
}

/** Upserts monitor states; when a batch carries several states of one monitor, the last wins. */
export async function upsertMonitorStates(db: Kysely<Database>, states: readonly MonitorState[]): Promise<void> {
  const latest = new Map(states.map((state) => [state.monitorId, state]));
  await upsertMonitorRows.execute(db, [...latest.values()].map(monitorToRow));
}

export async function listVantageStates(db: Kysely<Database>): Promise<VantageState[]> {
  const rows = await db.selectFrom('vantage_states').selectAll().orderBy('monitor_id', 'asc').orderBy('vantage', 'asc').execute();
  return rows.map(rowToVantage);
}

export async function listMonitorStates(db: Kysely<Database>): Promise<MonitorState[]> {
  const rows = await db.selectFrom('monitor_states').selectAll().orderBy('monitor_id', 'asc').execute();
  return rows.map(rowToMonitor);
}
