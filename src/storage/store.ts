import type { CheckResult } from '../probes/types.js';
import type { Incident, IncidentState, MonitorState, TimelineEntry } from '../domain/state.js';

export type RollupGranularity = 'hour' | 'day';

/**
 * Upper bounds (ms, inclusive) of the fixed latency histogram kept in rollups.
 * The last bucket counts everything above the last bound. Changing these needs a migration.
 */
export const LATENCY_BUCKETS_MS = [
  5, 10, 25, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 10000, 30000,
] as const;

export interface Rollup {
  readonly monitorId: string;
  readonly granularity: RollupGranularity;
  /** Start of the UTC hour or day, epoch ms. */
  readonly bucketStart: number;
  /** Checks counted (maintenance checks are not). */
  readonly count: number;
  readonly okCount: number;
  readonly degradedCount: number;
  readonly latencyMinMs: number;
  readonly latencyMaxMs: number;
  readonly latencySumMs: number;
  /** LATENCY_BUCKETS_MS.length + 1 counters. */
  readonly histogram: readonly number[];
}

/** Everything one ingest flush writes, in one transaction. */
export interface IngestBatch {
  readonly results: readonly CheckResult[];
  /** Latest state of each monitor touched by the batch (upsert). */
  readonly states: readonly MonitorState[];
  /** New incidents, with their first timeline entries. */
  readonly incidentsOpened: readonly Incident[];
  /** Entries appended to incidents that already exist (opened earlier or in this batch). */
  readonly timelineAppended: readonly TimelineEntry[];
  readonly incidentsResolved: readonly { readonly id: string; readonly resolvedAt: number }[];
}

export interface ResultQuery {
  /** Inclusive, epoch ms, on startedAt. */
  readonly from?: number;
  /** Exclusive, epoch ms, on startedAt. */
  readonly to?: number;
  /** Page cursor: only results strictly older than this result id. */
  readonly before?: string;
  readonly limit: number;
}

/** Most ids in IncidentQuery.monitorIds: one `in (...)` list, well inside SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
export const MAX_MONITOR_FILTER = 10_000;

export interface IncidentQuery {
  readonly state?: IncidentState;
  readonly monitorId?: string;
  /** Page cursor: only incidents that started strictly before this incident (by startedAt, then id). */
  readonly before?: string;
  /** Only incidents touching at least one of these monitors (at most 10,000 ids). */
  readonly monitorIds?: readonly string[];
  /** Only incidents still open at or after this time (open ones, or resolved at or after it). */
  readonly activeSince?: number;
  /** Leave timelines out (they come back empty): for figures that only need the intervals. */
  readonly withoutTimelines?: boolean;
  readonly limit: number;
}

export interface PruneReport {
  readonly resultsDeleted: number;
  readonly rollupsDeleted: number;
}

/**
 * The one storage contract. Implemented on SQLite and PostgreSQL through Kysely with the same
 * migrations and queries; test/storage/contract.ts runs against both.
 */
export interface Store {
  /** Applies pending migrations. Idempotent. */
  migrate(): Promise<void>;
  /**
   * Writes a batch in one transaction: results (ignoring ids already stored, so retries are safe),
   * incremental hourly and daily rollups for those results, monitor states, incident changes.
   */
  commit(batch: IngestBatch): Promise<void>;
  /** Newest first. */
  listResults(monitorId: string, query: ResultQuery): Promise<CheckResult[]>;
  latestResults(monitorIds: readonly string[]): Promise<Map<string, CheckResult>>;
  getResult(id: string): Promise<CheckResult | undefined>;
  listStates(): Promise<MonitorState[]>;
  /** Oldest first, bucketStart in [from, to). */
  listRollups(monitorId: string, granularity: RollupGranularity, from: number, to: number): Promise<Rollup[]>;
  /**
   * Rollups of many monitors at once (one query per chunk of ids), for pages that show them all.
   * Ordered by monitor id, then bucketStart ascending; bucketStart in [from, to).
   */
  listRollupsForMonitors(monitorIds: readonly string[], granularity: RollupGranularity, from: number, to: number): Promise<Rollup[]>;
  /** Newest first (startedAt desc, id desc). Timelines included, oldest entry first. */
  listIncidents(query: IncidentQuery): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Deletes raw results started before rawBefore and rollups whose bucket starts before rollupsBefore. */
  prune(rawBefore: number, rollupsBefore: number): Promise<PruneReport>;
  /** Size of the database in bytes (file size on SQLite, pg_database_size on PostgreSQL). */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
