import type { Generated } from 'kysely';

// The Kysely view of the database, shared by SQLite and PostgreSQL (schema version 2, see
// docs/architecture.md "Data model"). Times are epoch milliseconds (BIGINT; the PostgreSQL pool parses
// int8 to number), booleans are integers 0/1, JSON documents are TEXT written by canonicalJson() so
// every row has one serialisation.

/** One (monitor, vantage) pair: the unit results and rollups are kept by. */
export interface SeriesTable {
  key: Generated<number>;
  monitor_id: string;
  vantage: string;
  /** The 16 characters ending every result id of this series (domain/result-id.ts). */
  id_suffix: string;
}

/** Content-addressed texts (details JSON, error messages, peer addresses): each distinct text once. */
export interface ContentsTable {
  key: Generated<number>;
  /** base64url of the first 18 bytes of SHA-256 of body. */
  digest: string;
  body: string;
  /** Last time an observation used it (coarse: refreshed at most daily), for pruning. */
  last_used_at: number;
}

/**
 * One row per observation, clustered by (series, time) (WITHOUT ROWID on SQLite). Phases are integer
 * hundredths of a millisecond; absent phases are NULL, which SQLite stores in no bytes.
 */
export interface ObservationsTable {
  series_key: number;
  started_at: number;
  /** started_at - planned_at, ms. */
  start_delay_ms: number;
  /** Bits: 1 ok, 2 degraded, 4 maintenance, 8 inconclusive. */
  flags: number;
  dns_cms: number | null;
  connect_cms: number | null;
  tls_cms: number | null;
  ttfb_cms: number | null;
  total_cms: number;
  peer_key: number | null;
  /** Index into ERROR_KINDS. */
  error_kind: number | null;
  message_key: number | null;
  details_key: number;
}

/** Ids of results written before schema 2 (random ULIDs), so links and cursors made then still resolve. */
export interface LegacyResultIdsTable {
  id: string;
  series_key: number;
  started_at: number;
}

export interface RollupsTable {
  series_key: number;
  granularity: string;
  bucket_start: number;
  count: number;
  ok_count: number;
  degraded_count: number;
  latency_min_ms: number;
  latency_max_ms: number;
  latency_sum_ms: number;
  /** LATENCY_BUCKETS_MS.length + 1 counters, little-endian uint32. */
  histogram: Uint8Array;
}

export interface VantageStatesTable {
  monitor_id: string;
  vantage: string;
  status: string;
  since: number;
  consecutive_failures: number;
  consecutive_successes: number;
  consecutive_slow: number;
  /** JSON: Evidence. */
  first_failure: string | null;
  last_error_kind: string | null;
  down_before_maintenance: number;
  last_result_id: string | null;
  updated_at: number;
}

export interface MonitorStatesTable {
  monitor_id: string;
  status: string;
  since: number;
  last_error_kind: string | null;
  open_incident_id: string | null;
  last_result_id: string | null;
  /** JSON: Scope, while partial or down across several vantages (migration 005). */
  scope: string | null;
  updated_at: number;
}

export interface IncidentsTable {
  id: string;
  /** 'outage' or 'policy_violation' (schema 9; earlier rows are outages). */
  kind: Generated<string>;
  title: string;
  state: string;
  started_at: number;
  resolved_at: number | null;
  /** 'manual' for incidents opened through the API; NULL for those Candor opened. */
  source: string | null;
  /** The status-page status the operator last gave (investigating...), NULL until one was given. */
  status: string | null;
  /** none | minor | major | critical as the operator set it; NULL: derived from what is down. */
  impact: string | null;
  /** JSON: the component names the operator named, or NULL. */
  components: string | null;
  /** JSON: IncidentScope (migration 005); NULL on incidents from before it (read as global). */
  scope: string | null;
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
  /** JSON: the scope with each vantage's evidence, on `partial` and `scope_changed` entries (migration 005). */
  scope: string | null;
  /** The incident's status as of an operator's update; NULL on entries Candor wrote. */
  status: string | null;
}

/** A monitor made through the API: the request body as accepted (validated again at every start). */
export interface ApiMonitorsTable {
  id: string;
  /** JSON. */
  body: string;
  created_at: number;
  updated_at: number;
}

/** A maintenance window made through the API, over monitors and/or components. */
export interface MaintenanceWindowsTable {
  id: string;
  title: string | null;
  /** JSON: string[]. */
  monitor_ids: string;
  /** JSON: string[]. */
  components: string;
  /** JSON: MaintenanceWindow. */
  window: string;
  created_at: number;
}

/** One row (id 1): when the hub last committed a batch. */
export interface HubHeartbeatTable {
  id: number;
  at: number;
}

/** A stretch when the hub was not running: from its last write to its first check after starting. */
export interface HubGapsTable {
  started_at: number;
  ended_at: number;
}

/** An agent: a vantage elsewhere. Only the SHA-256 of its token is kept. */
export interface AgentsTable {
  name: string;
  region: string | null;
  token_hash: string;
  public_key: string | null;
  created_at: number;
  revoked_at: number | null;
  last_seen_at: number | null;
  last_address: string | null;
  /** The region the agent itself says it is in, at its last contact. */
  claimed_region: string | null;
}

/** A signed batch an agent pushed; `covers` (JSON) names its stored observations by series and time range. */
export interface AgentBatchesTable {
  digest: string;
  agent: string;
  signature: string;
  sent_at: number;
  received_at: number;
  observations: number;
  covers: string;
  /** JSON: the refused observations as sent, or NULL when none was. */
  refused: string | null;
}

/** A status a declared source (scope "" ) or one of its components held, from first to last seen (migration 010). */
export interface DeclaredStatusesTable {
  source_id: string;
  scope: string;
  first_seen: number;
  last_seen: number;
  status: string;
  reason: string | null;
  declared_at: number | null;
}

/** An incident a platform declared; components and updates are canonical JSON. */
export interface DeclaredIncidentsTable {
  source_id: string;
  external_id: string;
  title: string;
  impact: string;
  declared_at: number;
  started_at: number;
  resolved_at: number | null;
  components: string;
  updates: string;
  url: string | null;
  first_seen: number;
  last_seen: number;
}

/** The last poll of each declared source. */
export interface DeclaredSourcesTable {
  source_id: string;
  last_poll_at: number;
  last_success_at: number | null;
  failure_kind: string | null;
  failure_message: string | null;
}

/** An API token (candor tokens create): only the SHA-256 of the token is kept. */
export interface ApiTokensTable {
  name: string;
  scope: string;
  token_hash: string;
  created_at: number;
  revoked_at: number | null;
}

/** One write through the API: who (token name, address), what (method, route, target params) and its outcome. */
export interface AuditLogTable {
  id: string;
  at: number;
  token: string | null;
  method: string;
  route: string;
  /** JSON (canonical): the route's path parameters. */
  target: string;
  status: number;
  address: string;
}

/** A stretch of time over which one (monitor, vantage) saw the same provenance; JSON columns by canonicalJson. */
export interface ProvenanceLedgerTable {
  id: string;
  monitor_id: string;
  vantage: string;
  first_seen: number;
  last_seen: number;
  observations: number;
  /** JSON: ProvenanceSnapshot, the first of the stretch. */
  snapshot: string;
  /** JSON: ProvenanceView, what was known after it. */
  view: string;
}

/** A change event between two ledger entries of a (monitor, vantage). */
export interface ProvenanceChangesTable {
  id: string;
  monitor_id: string;
  vantage: string;
  at: number;
  kind: string;
  /** JSON: string[]. */
  previous: string;
  current: string;
}

/** A (policy, monitor, vantage) breaking its policy now, and the incident it belongs to. */
export interface PolicyViolationsTable {
  policy_id: string;
  monitor_id: string;
  vantage: string;
  since: number;
  incident_id: string;
  /** JSON: PolicyBreach[]. */
  breaches: string;
  ledger_entry_id: string;
}

/** The notification outbox (one row per notice and channel); see storage/outbox.ts. */
export interface NotificationsTable {
  id: string;
  channel_id: string;
  /** What makes a notice the same one when planned again; unique per channel. */
  dedup: string;
  kind: string;
  /** Set while other monitors' notices may still join this one (grouping). */
  group_key: string | null;
  /** For reminders: the monitor they are about (cancelled when it recovers). */
  monitor_id: string | null;
  /** JSON: Notice. */
  notice: string;
  state: string;
  attempts: number;
  created_at: number;
  due_at: number;
  updated_at: number;
  delivered_at: number | null;
  last_status: number | null;
  last_error: string | null;
  answer: string | null;
  remind_every_ms: number | null;
  /** For notifications to a public subscriber (channel_id "subscribers"). */
  subscriber_id: string | null;
}

/** A confirmed public subscriber (email address or webhook URL) and what it follows. */
export interface SubscribersTable {
  id: string;
  kind: string;
  address: string;
  /** SHA-256 of the normalised address: one subscription per address. */
  address_digest: string;
  /** JSON: component names; [] means every component. */
  components: string;
  /** JSON: region names; [] means everywhere. */
  regions: string;
  confirmed_at: number;
}

export interface AlertingKeysTable {
  name: string;
  value: string;
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
  series: SeriesTable;
  contents: ContentsTable;
  observations: ObservationsTable;
  legacy_result_ids: LegacyResultIdsTable;
  rollups: RollupsTable;
  vantage_states: VantageStatesTable;
  monitor_states: MonitorStatesTable;
  incidents: IncidentsTable;
  incident_monitors: IncidentMonitorsTable;
  timeline_entries: TimelineEntriesTable;
  hub_heartbeat: HubHeartbeatTable;
  hub_gaps: HubGapsTable;
  agents: AgentsTable;
  agent_batches: AgentBatchesTable;
  declared_statuses: DeclaredStatusesTable;
  declared_incidents: DeclaredIncidentsTable;
  declared_sources: DeclaredSourcesTable;
  api_monitors: ApiMonitorsTable;
  maintenance_windows: MaintenanceWindowsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  provenance_ledger: ProvenanceLedgerTable;
  provenance_changes: ProvenanceChangesTable;
  policy_violations: PolicyViolationsTable;
  notifications: NotificationsTable;
  subscribers: SubscribersTable;
  alerting_keys: AlertingKeysTable;
  kysely_migration: KyselyMigrationTable;
  kysely_migration_lock: KyselyMigrationLockTable;
}
