// The Kysely view of the database, shared by SQLite and PostgreSQL.
// Times are epoch milliseconds (BIGINT; the PostgreSQL pool parses int8 to number), booleans are
// integers 0/1, JSON documents are TEXT written by canonicalJson() so every row has one serialisation.

export interface ResultsTable {
  id: string;
  monitor_id: string;
  vantage: string;
  planned_at: number;
  started_at: number;
  ok: number;
  degraded: number;
  maintenance: number;
  inconclusive: number;
  latency_ms: number;
  /** JSON: Phases. */
  phases: string;
  peer_address: string | null;
  error_kind: string | null;
  error_message: string | null;
  /** JSON: probe-specific details. */
  details: string;
}

export interface RollupsTable {
  monitor_id: string;
  granularity: string;
  bucket_start: number;
  count: number;
  ok_count: number;
  degraded_count: number;
  latency_min_ms: number;
  latency_max_ms: number;
  latency_sum_ms: number;
  /** JSON: number[] with LATENCY_BUCKETS_MS.length + 1 counters. */
  histogram: string;
}

export interface MonitorStatesTable {
  monitor_id: string;
  status: string;
  since: number;
  consecutive_failures: number;
  consecutive_successes: number;
  consecutive_slow: number;
  /** JSON: Evidence. */
  first_failure: string | null;
  last_error_kind: string | null;
  open_incident_id: string | null;
  last_result_id: string | null;
  updated_at: number;
}

export interface IncidentsTable {
  id: string;
  title: string;
  state: string;
  started_at: number;
  resolved_at: number | null;
}

/** One row per monitor of an incident; `position` keeps the incident's monitorIds order. */
export interface IncidentMonitorsTable {
  incident_id: string;
  monitor_id: string;
  position: number;
}

export interface TimelineEntriesTable {
  id: string;
  incident_id: string;
  at: number;
  kind: string;
  message: string;
  monitor_id: string | null;
  /** JSON: Evidence. */
  evidence: string | null;
}

/** Kysely's own bookkeeping tables, created by its Migrator. */
export interface KyselyMigrationTable {
  name: string;
  timestamp: string;
}

export interface KyselyMigrationLockTable {
  id: string;
  is_locked: number;
}

export interface Database {
  results: ResultsTable;
  rollups: RollupsTable;
  monitor_states: MonitorStatesTable;
  incidents: IncidentsTable;
  incident_monitors: IncidentMonitorsTable;
  timeline_entries: TimelineEntriesTable;
  kysely_migration: KyselyMigrationTable;
  kysely_migration_lock: KyselyMigrationLockTable;
}
