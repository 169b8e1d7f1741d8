import type { Rollup, RollupCounts, RollupGranularity } from '../domain/rollup-math.js';
import type { RollupWrites } from './rollup-writes.js';
import type { Incident, IncidentScope, IncidentState, MonitorState, TimelineEntry, VantageState } from '../domain/state.js';
import type { CheckResult } from '../domain/verdict.js';
import type { AgentRecord, SignedBatch } from '../domain/agent.js';
import type { DeclaredPoll, DeclaredSourceState, DeclaredStatusRow, StoredDeclaredIncident } from '../domain/declared.js';
import type { ApiMonitorRecord, MaintenanceRecord } from '../domain/management.js';
import type { IncidentAmendment } from './incidents.js';
import type { ApiTokenRecord } from '../domain/api-token.js';
import type { AuditEntry, AuditQuery } from '../domain/audit.js';
import type { IncidentKind } from '../domain/state.js';
import type { PolicyViolation } from '../domain/policy-incidents.js';
import type { ProvenanceChange } from '../provenance/changes.js';
import type { LedgerEntry, LedgerWrite } from '../provenance/ledger-step.js';
import type { ChangeQuery } from './provenance.js';
import type { Notice } from '../domain/alerting.js';
import type { Subscriber } from '../domain/subscriber.js';

/** Everything one ingest flush writes, in one transaction (see Store.commit). */
export interface IngestBatch {
  readonly results: readonly CheckResult[];
  /** Latest state of each (monitor, vantage) touched by the batch (upsert). */
  readonly vantageStates: readonly VantageState[];
  /** Latest judged state of each monitor touched by the batch (upsert). */
  readonly states: readonly MonitorState[];
  /** New incidents, with their first timeline entries. */
  readonly incidentsOpened: readonly Incident[];
  /** Entries appended to incidents that already exist (opened earlier or in this batch). */
  readonly timelineAppended: readonly TimelineEntry[];
  readonly incidentsResolved: readonly { readonly id: string; readonly resolvedAt: number }[];
}

/**
 * The repositories of one transaction. A writer that needs rows written with an ingest batch (an
 * outbox, a ledger) gets a repository here and adds them in the same commit.
 */
export interface UnitOfWork {
  readonly results: {
    /** Inserts results not stored yet (same monitor, vantage and startedAt) and returns those inserted. */
    insert(results: readonly CheckResult[]): Promise<CheckResult[]>;
  };
  readonly rollups: {
    /** Counts freshly inserted results into hourly and daily rollups. */
    add(results: readonly CheckResult[]): Promise<void>;
  };
  readonly states: {
    upsertVantages(states: readonly VantageState[]): Promise<void>;
    upsertMonitors(states: readonly MonitorState[]): Promise<void>;
  };
  readonly incidents: {
    open(incidents: readonly Incident[]): Promise<void>;
    append(entries: readonly TimelineEntry[]): Promise<void>;
    resolve(resolved: readonly { readonly id: string; readonly resolvedAt: number }[]): Promise<void>;
    /** Sets the scope (and the title, when given) of incidents already stored (opened earlier or in this transaction). */
    rescope(rescoped: readonly { readonly id: string; readonly scope: IncidentScope; readonly title?: string }[]): Promise<void>;
    /** An operator's change of status or impact (resolving it when the status is 'resolved'). */
    amend(amendment: IncidentAmendment): Promise<void>;
    get(id: string): Promise<Incident | undefined>;
  };
  /** What operators make through the management API. */
  readonly management: {
    putMonitor(record: ApiMonitorRecord): Promise<void>;
    /** True when there was such a monitor. */
    deleteMonitor(id: string): Promise<boolean>;
    addMaintenance(record: MaintenanceRecord): Promise<void>;
    /** True when there was such a window. */
    deleteMaintenance(id: string): Promise<boolean>;
  };
  readonly hub: {
    /** When the hub last committed a batch, if ever. */
    lastBeat(): Promise<number | undefined>;
    beat(at: number): Promise<void>;
    /** Records that the hub was not running over [from, to). */
    recordGap(gap: Interval): Promise<void>;
  };
  readonly batches: {
    /** Keeps an agent's signed batch with the observations it brought (once per digest). */
    record(batch: SignedBatch): Promise<void>;
  };
  readonly declared: {
    /** Records one poll of a declared source: statuses as changes, incidents upserted, the source's last poll. */
    record(poll: DeclaredPoll): Promise<void>;
  };
  readonly audit: {
    /** Appends entries to the audit log. */
    record(entries: readonly AuditEntry[]): Promise<void>;
  };
  readonly provenance: {
    /** The newest ledger entry of one (monitor, vantage). */
    head(monitorId: string, vantage: string): Promise<LedgerEntry | undefined>;
    /** Inserts an entry, or extends one (lastSeen, observations). */
    write(write: LedgerWrite): Promise<void>;
    addChanges(changes: readonly ProvenanceChange[]): Promise<void>;
    /** Open violations of these monitors (every vantage), or of all. */
    violations(monitorIds?: readonly string[]): Promise<PolicyViolation[]>;
    /** Upserts violations by (policy, monitor, vantage) and deletes the removed ones. */
    applyViolations(
      upserted: readonly PolicyViolation[],
      removed: readonly { readonly policyId: string; readonly monitorId: string; readonly vantage: string }[],
    ): Promise<void>;
  };
  readonly outbox: {
    /** Adds notifications; one whose (channel, dedup) is stored already is left as it is. */
    add(entries: readonly OutboxEntry[]): Promise<void>;
    /** A pending, never attempted notification of the group that is not due before `after`, if any. */
    openGroup(channelId: string, groupKey: string, after: number): Promise<StoredNotification | undefined>;
    replaceNotice(id: string, notice: Notice, at: number): Promise<void>;
    /** Cancels the pending reminders about a monitor (it recovered). */
    cancelReminders(monitorId: string, at: number): Promise<void>;
    settle(id: string, settlement: NotificationSettlement): Promise<void>;
  };
  readonly subscribers: {
    /** Every confirmed public subscriber (to plan their notifications with the batch). */
    list(): Promise<Subscriber[]>;
  };
}

/** What platforms declared (src/declared/), read back for the API, the pages and the comparison. */
export interface DeclaredLedger {
  sources(): Promise<DeclaredSourceState[]>;
  /** The newest status row of every (source, scope). */
  latest(): Promise<DeclaredStatusRow[]>;
  /** Status rows that may have held in [from, to) (the one holding at `from` included), by source, scope, firstSeen. */
  statuses(sourceIds: readonly string[], from: number, to: number): Promise<DeclaredStatusRow[]>;
  /** Incidents open at some time in [from, to), by start time. */
  incidents(sourceIds: readonly string[], from: number, to: number): Promise<StoredDeclaredIncident[]>;
}

/** API tokens (written by `candor tokens`, read on every request that carries a token). */
export interface TokenDirectory {
  /** Adds a token, or re-issues a revoked name; an active token of that name is a ConflictError. */
  add(token: ApiTokenRecord): Promise<void>;
  /** By name, revoked ones included. */
  list(): Promise<ApiTokenRecord[]>;
  /** True when an active token of that name was revoked. */
  revoke(name: string, at: number): Promise<boolean>;
}

/** The provenance ledger, read (written through UnitOfWork.provenance). */
export interface ProvenanceReader {
  /** The newest entry of each vantage, of one monitor or of all; by monitor, then vantage. */
  current(monitorId?: string): Promise<LedgerEntry[]>;
  /** One monitor's entries in effect during [from, to) (those begun in it, and each vantage's one in effect at `from`), oldest first. */
  history(monitorId: string, from: number, to: number, limit: number): Promise<LedgerEntry[]>;
  /** Change events, newest first. */
  changes(query: ChangeQuery): Promise<ProvenanceChange[]>;
  /** Every open violation. */
  violations(): Promise<PolicyViolation[]>;
}

export type NotificationState = 'pending' | 'delivered' | 'failed' | 'cancelled' | 'silenced';

/** A notification to write: one notice for one channel. */
export interface OutboxEntry {
  /** Time-ordered, unique; also the idempotency key receivers see. */
  readonly id: string;
  readonly channelId: string;
  /** The same notice planned again has the same dedup (per channel). */
  readonly dedup: string;
  readonly notice: Notice;
  readonly groupKey?: string;
  /** Reminders only: the monitor they are about. */
  readonly monitorId?: string;
  /** For a public subscriber (channelId "subscribers"). */
  readonly subscriberId?: string;
  readonly remindEveryMs?: number;
  readonly createdAt: number;
  readonly dueAt: number;
}

export interface StoredNotification extends OutboxEntry {
  readonly state: NotificationState;
  readonly attempts: number;
  readonly updatedAt: number;
  readonly deliveredAt?: number;
  readonly lastStatus?: number;
  readonly lastError?: string;
  /** The receiver's answer to the delivered attempt (cut short). */
  readonly answer?: string;
}

/** What an attempt did to a notification. */
export interface NotificationSettlement {
  readonly state: NotificationState;
  readonly attempts: number;
  readonly at: number;
  /** When to try again (state pending). */
  readonly dueAt?: number;
  readonly lastStatus?: number;
  readonly lastError?: string;
  readonly answer?: string;
}

export interface NotificationQuery {
  readonly channelId?: string;
  readonly state?: NotificationState;
  /** Page cursor: notifications created before this one. */
  readonly before?: string;
  readonly limit: number;
}

/** Public subscribers, as the subscription pages and the worker use them. */
export interface SubscriberDirectory {
  /** Adds a confirmed subscriber; an address already subscribed keeps its id and follows the new choice. */
  upsert(subscriber: Subscriber): Promise<Subscriber>;
  /** Removes a subscriber and cancels what was pending for it; false when there was none. */
  remove(id: string): Promise<boolean>;
  get(id: string): Promise<Subscriber | undefined>;
  /** The named secret key, made once per database. */
  key(name: string): Promise<Buffer>;
}

/** The outbox as the delivery worker and the API read it. */
export interface OutboxReader {
  /** Pending notifications of a channel due at `now`, oldest due first. */
  due(channelId: string, now: number, limit: number): Promise<StoredNotification[]>;
  /** When the channel's next pending notification is due. */
  nextDueAt(channelId: string): Promise<number | undefined>;
  /** Newest first. */
  list(query: NotificationQuery): Promise<StoredNotification[]>;
  get(id: string): Promise<StoredNotification | undefined>;
  /** Deletes settled notifications last changed before `before`. */
  prune(before: number): Promise<number>;
}

/** The agents known to the hub (written by `candor agents`, read on every agent request). */
export interface AgentDirectory {
  /** Adds an agent, or re-issues a revoked one; an active agent of that name is a ConflictError. */
  add(agent: AgentRecord): Promise<void>;
  /** By name. */
  list(): Promise<AgentRecord[]>;
  /** True when an active agent of that name was revoked. */
  revoke(name: string, at: number): Promise<boolean>;
  /** The first key registered stays; another one is a conflict. */
  registerKey(name: string, publicKey: string): Promise<'registered' | 'unchanged' | 'conflict'>;
  /** Records a contact: when, from which source address, and the region the agent claims (if it says). */
  seen(name: string, at: number, address: string, claimedRegion?: string): Promise<void>;
}

/** A closed interval of time, epoch ms. */
export interface Interval {
  readonly from: number;
  readonly to: number;
}

export interface ResultQuery {
  /** Inclusive, epoch ms, on startedAt. */
  readonly from?: number;
  /** Exclusive, epoch ms, on startedAt. */
  readonly to?: number;
  /** Page cursor: only results older than this result id (by startedAt, then series). */
  readonly before?: string;
  /** Only this vantage's results. */
  readonly vantage?: string;
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
  /** Only incidents of this kind (outages: incidents without a kind, or `outage`). */
  readonly kind?: IncidentKind;
  /** Leave timelines out (they come back empty): for figures that only need the intervals. */
  readonly withoutTimelines?: boolean;
  readonly limit: number;
}

export interface PruneReport {
  readonly resultsDeleted: number;
  readonly rollupsDeleted: number;
  readonly contentsDeleted: number;
}

/**
 * The one storage contract. Implemented on SQLite and PostgreSQL through Kysely with the same
 * migrations and queries; test/storage/contract.ts runs against both.
 */
export interface Store {
  /** Applies pending migrations, all or nothing. Idempotent. */
  migrate(): Promise<void>;
  /** Runs `work` in one transaction: everything it writes is committed together, or nothing is. */
  transact<T>(work: (tx: UnitOfWork) => Promise<T>): Promise<T>;
  /**
   * Writes a batch in one transaction: results (ignoring those already stored, so retries are safe),
   * rollups for the results inserted, states, incident changes. Returns the results inserted.
   */
  commit(batch: Partial<IngestBatch>): Promise<CheckResult[]>;
  /** Newest first. */
  listResults(monitorId: string, query: ResultQuery): Promise<CheckResult[]>;
  /** The newest result of each monitor that has one, over all its vantages. */
  latestResults(monitorIds: readonly string[]): Promise<Map<string, CheckResult>>;
  getResult(id: string): Promise<CheckResult | undefined>;
  listStates(): Promise<MonitorState[]>;
  listVantageStates(): Promise<VantageState[]>;
  /** Oldest first, bucketStart in [from, to), all vantages counted together unless `vantage` is given. */
  listRollups(monitorId: string, granularity: RollupGranularity, from: number, to: number, vantage?: string): Promise<Rollup[]>;
  /**
   * Rollups of many monitors at once (one query per chunk of ids), for pages that show them all.
   * Ordered by monitor id, then bucketStart ascending; bucketStart in [from, to).
   */
  listRollupsForMonitors(monitorIds: readonly string[], granularity: RollupGranularity, from: number, to: number): Promise<Rollup[]>;
  /** The same rows as listRollupsForMonitors with their counts only (no histogram read). */
  listRollupCountsForMonitors(monitorIds: readonly string[], granularity: RollupGranularity, from: number, to: number): Promise<RollupCounts[]>;
  /**
   * What this store has committed to rollups, for readers that keep finished buckets: take a mark
   * before reading, then ask whether a later commit (or a prune) wrote a bucket that starts before a
   * time, or which monitors' hourly rows the latest commits wrote. Only this process's writes are seen.
   */
  readonly rollupWrites: Pick<RollupWrites, 'mark' | 'writtenSince' | 'hourlyWrittenSince'>;
  /** Newest first (startedAt desc, id desc). Timelines included, oldest entry first. */
  listIncidents(query: IncidentQuery): Promise<Incident[]>;
  getIncident(id: string): Promise<Incident | undefined>;
  /** Stretches when this hub was not running that overlap [from, to), oldest first. */
  listHubGaps(from: number, to: number): Promise<Interval[]>;
  /** Monitors made through the API, oldest first. */
  listApiMonitors(): Promise<ApiMonitorRecord[]>;
  /** Maintenance windows made through the API, oldest first. */
  listMaintenance(): Promise<MaintenanceRecord[]>;
  readonly agents: AgentDirectory;
  readonly tokens: TokenDirectory;
  /** The audit log, newest first (at desc, id desc). */
  listAudit(query: AuditQuery): Promise<AuditEntry[]>;
  readonly provenance: ProvenanceReader;
  /** An agent's signed batches, newest first; `before` is a received-at time (epoch ms). */
  listBatches(agent: string, query: { readonly before?: number; readonly limit: number }): Promise<SignedBatch[]>;
  getBatch(digest: string): Promise<SignedBatch | undefined>;
  readonly declared: DeclaredLedger;
  readonly outbox: OutboxReader;
  readonly subscribers: SubscriberDirectory;
  /** Deletes raw results started before rawBefore and rollups, audit entries and settled notifications from before rollupsBefore. */
  prune(rawBefore: number, rollupsBefore: number): Promise<PruneReport>;
  /** Size of the database in bytes (file size on SQLite, pg_database_size on PostgreSQL). */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
