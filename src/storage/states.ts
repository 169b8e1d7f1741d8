import type { Kysely, Selectable } from 'kysely';
import type { ErrorKind } from '../probes/types.js';
import type { MonitorState, MonitorStatus } from '../domain/state.js';
import type { Database, MonitorStatesTable } from './schema.js';
import { canonicalJson } from './canonical-json.js';
import { chunkForParameters } from './batching.js';

type StateRow = Selectable<MonitorStatesTable>;

const STATE_COLUMNS = 11;

function stateToRow(state: MonitorState): StateRow {
  return {
    monitor_id: state.monitorId,
    status: state.status,
    since: state.since,
    consecutive_failures: state.consecutiveFailures,
    consecutive_successes: state.consecutiveSuccesses,
    consecutive_slow: state.consecutiveSlow,
    first_failure: state.firstFailure ? canonicalJson(state.firstFailure) : null,
    last_error_kind: state.lastErrorKind ?? null,
    open_incident_id: state.openIncidentId ?? null,
    last_result_id: state.lastResultId ?? null,
    updated_at: state.updatedAt,
  };
}

function rowToState(row: StateRow): MonitorState {
  return {
    monitorId: row.monitor_id,
    status: row.status as MonitorStatus,
    since: row.since,
    consecutiveFailures: row.consecutive_failures,
    consecutiveSuccesses: row.consecutive_successes,
    consecutiveSlow: row.consecutive_slow,
    ...(row.first_failure !== null ? { firstFailure: JSON.parse(row.first_failure) } : {}),
    ...(row.last_error_kind !== null ? { lastErrorKind: row.last_error_kind as ErrorKind } : {}),
    ...(row.open_incident_id !== null ? { openIncidentId: row.open_incident_id } : {}),
    ...(row.last_result_id !== null ? { lastResultId: row.last_result_id } : {}),
    updatedAt: row.updated_at,
  };
}

/** Upserts states; when a batch carries several states of one monitor, the last wins. */
export async function upsertStates(db: Kysely<Database>, states: readonly MonitorState[]): Promise<void> {
  const latest = new Map(states.map((state) => [state.monitorId, state]));
  for (const chunk of chunkForParameters([...latest.values()], STATE_COLUMNS)) {
    await db
      .insertInto('monitor_states')
      .values(chunk.map(stateToRow))
      .onConflict((oc) =>
        oc.column('monitor_id').doUpdateSet((eb) => ({
          status: eb.ref('excluded.status'),
          since: eb.ref('excluded.since'),
          consecutive_failures: eb.ref('excluded.consecutive_failures'),
          consecutive_successes: eb.ref('excluded.consecutive_successes'),
          consecutive_slow: eb.ref('excluded.consecutive_slow'),
          first_failure: eb.ref('excluded.first_failure'),
          last_error_kind: eb.ref('excluded.last_error_kind'),
          open_incident_id: eb.ref('excluded.open_incident_id'),
          last_result_id: eb.ref('excluded.last_result_id'),
          updated_at: eb.ref('excluded.updated_at'),
        })),
      )
      .execute();
  }
}

/** All states, by monitor id. */
export async function listStates(db: Kysely<Database>): Promise<MonitorState[]> {
  const rows = await db.selectFrom('monitor_states').selectAll().orderBy('monitor_id', 'asc').execute();
  return rows.map(rowToState);
}
