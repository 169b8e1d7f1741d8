// Takes observations from every vantage (the hub's own checks, agents' pushes), and writes them in
// batches: each batch is one transaction holding the observations, their verdicts, the per-vantage
// state machines, the monitors' judged states and the incident changes they cause. Events are emitted
// after commit, from what was committed (a resent observation changes nothing twice).
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import type { IncidentChanges } from '../domain/incidents.js';
import type { Observation } from '../domain/observation.js';
import { resultId, seriesSuffix } from '../domain/result-id.js';
import type { MonitorEvent } from '../domain/state-machine.js';
import type { MonitorState, VantageState } from '../domain/state.js';
import { judged, verdictOf, type CheckResult } from '../domain/verdict.js';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store, UnitOfWork } from '../storage/store.js';
import { StateBook, type Judged } from './state-book.js';
import { VantageHealth } from './vantage-health.js';
import type { VantageCondition } from '../domain/consensus.js';
import { recordSubmissions, type SubmissionRecorder } from './submissions.js';

export type { SubmissionRecorder, SubmittedEntry } from './submissions.js';

export interface IngestOptions {
  /** How often buffered observations are written. */
  readonly flushIntervalMs: number;
  /** A flush starts early when this many observations are waiting. */
  readonly maxBatch: number;
  /** Beyond this many unwritten observations (storage failing), the oldest are dropped and logged. */
  readonly maxBuffered: number;
  /** Observations started further in the future than this are refused (clock skew allowance). */
  readonly maxFutureMs: number;
  /** Observations older than this are refused (retention would drop them at once). */
  readonly maxAgeMs: number;
  /** How long shutdown waits for one write before giving up on what is left. */
  readonly stopTimeoutMs: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = {
  flushIntervalMs: 1000,
  maxBatch: 2000,
  maxBuffered: 200_000,
  maxFutureMs: 5 * 60_000,
  maxAgeMs: 30 * 86_400_000,
  stopTimeoutMs: 10_000,
};

export type RefusalReason = 'unknown_monitor' | 'unknown_vantage' | 'in_the_future' | 'too_old' | 'duplicate' | 'dropped';

export interface Refusal {
  readonly reason: RefusalReason;
  readonly message: string;
}

/** What became of each submitted observation, in order: its result id when stored, else why not. */
export type SubmitOutcome = { readonly stored: string } | { readonly refused: Refusal };

/** Another writer adding rows to the same transaction as a batch (an outbox, a ledger). */
export type BatchWriter = (tx: UnitOfWork, committed: CommittedBatch) => Promise<void>;

export interface CommittedBatch {
  readonly results: readonly CheckResult[];
  readonly events: readonly { readonly monitorId: string; readonly event: MonitorEvent }[];
  readonly incidents: IncidentChanges;
}

export interface IngestDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: Ids;
  readonly log: Logger;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  /** Reference targets (config `controls:`): stored, used to judge vantages, never judged themselves. */
  readonly controls?: ReadonlyMap<string, MonitorSpec>;
  /** Agents missing their heartbeats: their states count neither for nor against a target. */
  readonly isOffline?: (vantage: string) => boolean;
  /** The region of a vantage, to name where an outage is seen from. */
  readonly regionOf?: (vantage: string) => string | undefined;
  /** Vantages whose observations are taken; default only the hub's own. */
  readonly vantages?: () => ReadonlySet<string>;
  /** The hub's own vantage; default "local". */
  readonly localVantage?: string;
  readonly localRegion?: string;
  readonly options?: Partial<IngestOptions>;
  readonly writers?: readonly BatchWriter[];
  onFlushed?(durationMs: number, results: number): void;
  /** Called after a batch is durably written, with the events it produced, in order. */
  onEvents?(events: readonly { monitorId: string; event: MonitorEvent }[]): void;
  /** The hub's own vantage became impaired, or recovered. */
  onVantageChange?(impaired: boolean): void;
  /** A batch could not be written (the cause is logged), or was written again after failing. */
  onStorageHealth?(healthy: boolean, error?: unknown): void;
  /** Judging one observation threw: a bug. The observation is stored; that monitor's state is unchanged. */
  onJudgeError?(error: unknown): void;
}

interface Pending {
  readonly observation: Observation;
  readonly id: string;
  settle?(outcome: SubmitOutcome): void;
  readonly submission?: { readonly record: SubmissionRecorder };
}

const vantageKey = (monitorId: string, vantage: string): string => `${monitorId}\u0000${vantage}`;

export class Ingest {
  private readonly options: IngestOptions;
  private readonly local: string;
  private buffer: Pending[] = [];
  /** The batch being written now. */
  private inFlight: readonly Pending[] = [];
  private flushing: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  /** The last commit failed: wait for the next timer tick instead of retrying on every new result. */
  private failing = false;
  private readonly health: VantageHealth;
  private readonly book: StateBook;
  private readonly suffixes = new Map<string, string>();
  /**
   * While storage fails: the states the buffered observations lead to, judged in memory so pages and
   * the API still tell an outage. Never written; the real judging happens again when a batch commits.
   */
  private provisional: Judged | undefined;
  /** How many buffered observations (from the front) the provisional states include. */
  private provisionalUpTo = 0;

  constructor(private readonly deps: IngestDeps) {
    this.options = { ...DEFAULT_INGEST_OPTIONS, ...deps.options };
    this.local = deps.localVantage ?? 'local';
    this.book = new StateBook({
      monitors: deps.monitors,
      ids: deps.ids,
      log: deps.log,
      localVantage: this.local,
      ...(deps.localRegion !== undefined ? { localRegion: deps.localRegion } : {}),
      facts: { condition: (vantage) => this.vantageCondition(vantage), region: (vantage) => deps.regionOf?.(vantage) },
      ...(deps.onJudgeError ? { onJudgeError: deps.onJudgeError } : {}),
    });
    this.health = new VantageHealth({
      monitors: deps.monitors,
      ...(deps.controls ? { controls: deps.controls } : {}),
      local: this.local,
      clock: deps.clock,
      log: deps.log,
      onChange: (vantage, impaired) => {
        if (vantage === this.local) deps.onVantageChange?.(impaired);
      },
    });
  }

  /** Loads persisted states so a restart resumes where it stopped (open incidents included). */
  async restore(): Promise<void> {
    this.book.restore(await this.deps.store.listStates(), await this.deps.store.listVantageStates(), this.deps.clock.now());
  }

  /**
   * Monitors added, changed or removed at run time (see StateBook.reconcile). Applied once the batch
   * being written (judged before the change) is in, so that batch cannot undo a pause.
   */
  monitorsChanged(changes: { readonly added: readonly MonitorSpec[]; readonly changed: readonly MonitorSpec[]; readonly removed: readonly string[] }): Promise<void> {
    const apply = () => this.book.reconcile(changes, this.deps.clock.now());
    if (!this.flushing) {
      apply();
      return Promise.resolve();
    }
    return this.flushing.then(apply, apply);
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Current judged state of every configured monitor: as last written, or as judged in memory while storage fails. */
  states(): ReadonlyMap<string, MonitorState> {
    const current = this.book.monitors;
    if (!this.provisional || this.provisional.monitors.size === 0) return current;
    const merged = new Map(current);
    for (const [id, state] of this.provisional.monitors) {
      // Incidents are only ever opened by a committed batch: keep the committed one.
      const { openIncidentId: _provisional, ...rest } = state;
      const committed = current.get(id)?.openIncidentId;
      merged.set(id, committed ? { ...rest, openIncidentId: committed } : rest);
    }
    return merged;
  }

  /** Every vantage's state of a monitor, as last written. */
  vantageStatesOf(monitorId: string): VantageState[] {
    return this.book.vantagesOfMonitor(monitorId);
  }

  /** True while every recent check of the hub failed before reaching its target: outages are then not confirmed. */
  get vantageImpaired(): boolean {
    return this.health.isImpaired(this.local);
  }

  /** A vantage as consensus sees it: offline (missed heartbeats), impaired (its own network), or ok. */
  vantageCondition(vantage: string): VantageCondition {
    if (this.deps.isOffline?.(vantage)) return 'offline';
    return this.health.isImpaired(vantage) ? 'impaired' : 'ok';
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Takes one observation to be written with the next batch, or says why it is refused. */
  add(observation: Observation): Refusal | undefined {
    const refusal = this.enqueue(observation);
    this.flushEarlyIfFull();
    return refusal;
  }

  /**
   * Takes observations and resolves once each is committed (or refused), in order: for agents' pushes.
   * `record` runs in the transaction that stores them (see SubmissionRecorder).
   */
  submit(observations: readonly Observation[], record?: SubmissionRecorder): Promise<SubmitOutcome[]> {
    const submission = record ? { record } : undefined;
    const outcomes = Promise.all(
      observations.map(
        (observation) =>
          new Promise<SubmitOutcome>((resolve) => {
            const refusal = this.enqueue(observation, resolve, submission);
            if (refusal) resolve({ refused: refusal });
          }),
      ),
    );
    // Only once all of it is buffered: a flush started halfway would split the submission.
    this.flushEarlyIfFull();
    return outcomes;
  }

  /** Why this observation would be refused now (unknown monitor or vantage, too far in the future or past), if it would. */
  refusalOf(observation: Observation): Refusal | undefined {
    return this.check(observation);
  }

  /** Writes everything buffered now. Concurrent calls share one flush at a time. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.book.dirty === 0) return;
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = undefined;
      // A backlog (agents pushing faster than one batch per tick) is written at once, not a tick later:
      // observations added while this batch was written did not start a flush of their own.
      if (this.buffer.length >= this.options.maxBatch && !this.failing && !this.stopped) this.flushInBackground();
    });
    return this.flushing;
  }

  /**
   * Stops the periodic flush and writes what is left, batch after batch. Gives up after `attempts`
   * failed commits in a row, or when one write hangs past stopTimeoutMs, and says what was not written.
   */
  async stop(attempts = 3): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
    let failures = 0;
    while (this.unwritten() > 0 && failures < attempts) {
      const before = this.unwritten();
      const finished = await this.withinStopTimeout(this.flush());
      if (!finished) {
        this.deps.log.error({ timeoutMs: this.options.stopTimeoutMs }, 'shutdown: the database did not answer in time');
        break;
      }
      if (this.failing && this.unwritten() >= before) failures++;
    }
    const lost = [...this.inFlight, ...this.buffer.splice(0)];
    if (lost.length > 0) {
      this.deps.log.error({ lost: lost.length }, 'shutdown: results could not be written');
      this.refuseAll(lost, { reason: 'dropped', message: 'the hub shut down before it could store this observation' });
    }
  }

  private unwritten(): number {
    return this.buffer.length + this.book.dirty;
  }

  private withinStopTimeout(work: Promise<void>): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = this.deps.timers.setTimeout(() => resolve(false), this.options.stopTimeoutMs);
      work.then(
        () => {
          this.deps.timers.clearTimeout(timer);
          resolve(true);
        },
        () => {
          this.deps.timers.clearTimeout(timer);
          resolve(true);
        },
      );
    });
  }

  private enqueue(observation: Observation, settle?: (outcome: SubmitOutcome) => void, submission?: Pending['submission']): Refusal | undefined {
    const refusal = this.check(observation);
    if (refusal) return refusal;
    this.buffer.push({ observation, id: this.idOf(observation), ...(settle ? { settle } : {}), ...(submission ? { submission } : {}) });
    if (this.buffer.length > this.options.maxBuffered) {
      const dropped = this.buffer.splice(0, this.buffer.length - this.options.maxBuffered);
      this.provisionalUpTo = Math.max(0, this.provisionalUpTo - dropped.length);
      this.deps.log.error({ dropped: dropped.length }, 'storage is not keeping up: oldest unwritten results dropped');
      this.refuseAll(dropped, { reason: 'dropped', message: 'storage is not keeping up: dropped before it was written' });
    }
    return undefined;
  }

  private flushEarlyIfFull(): void {
    if (this.buffer.length >= this.options.maxBatch && !this.flushing && !this.failing) this.flushInBackground();
  }

  private check(observation: Observation): Refusal | undefined {
    if (!this.deps.monitors.has(observation.monitorId) && !this.deps.controls?.has(observation.monitorId)) {
      return { reason: 'unknown_monitor', message: `no monitor "${observation.monitorId}" is configured` };
    }
    const known = this.deps.vantages?.() ?? new Set([this.local]);
    if (!known.has(observation.vantage)) return { reason: 'unknown_vantage', message: `no vantage "${observation.vantage}" is known` };
    const now = this.deps.clock.now();
    if (observation.startedAt > now + this.options.maxFutureMs) {
      return { reason: 'in_the_future', message: `started ${observation.startedAt - now} ms in the future (at most ${this.options.maxFutureMs} ms of clock skew is accepted)` };
    }
    if (observation.startedAt < now - this.options.maxAgeMs) {
      return { reason: 'too_old', message: `started ${Math.round((now - observation.startedAt) / 1000)} s ago, before the raw retention window` };
    }
    return undefined;
  }

  private idOf(observation: Observation): string {
    const series = vantageKey(observation.monitorId, observation.vantage);
    let suffix = this.suffixes.get(series);
    if (suffix === undefined) {
      suffix = seriesSuffix(observation.monitorId, observation.vantage);
      this.suffixes.set(series, suffix);
    }
    return resultId(suffix, observation.startedAt);
  }

  private refuseAll(pending: readonly Pending[], refusal: Refusal): void {
    for (const entry of pending) entry.settle?.({ refused: refusal });
  }

  private flushInBackground(): void {
    this.flush().catch((error: unknown) => this.deps.log.error({ err: error }, 'flush failed unexpectedly'));
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = this.deps.timers.setTimeout(() => {
      this.flush()
        .catch((error: unknown) => this.deps.log.error({ err: error }, 'flush failed unexpectedly'))
        .finally(() => this.schedule());
    }, this.options.flushIntervalMs);
  }

  private async writeBatch(): Promise<void> {
    const batch = this.buffer.splice(0, this.options.maxBatch);
    // A submission is written whole, so what describes it is committed with all of it.
    const last = batch.at(-1)?.submission;
    while (last && this.buffer[0]?.submission === last) batch.push(this.buffer.shift()!);
    this.inFlight = batch;
    try {
      await this.writeOne(batch);
    } finally {
      this.inFlight = [];
    }
  }

  /** The hub's verdict on each observation, with its id. */
  private resultsOf(batch: readonly Pending[]): CheckResult[] {
    const { whenMade, now } = this.health.observe(batch.map((entry) => entry.observation));
    const results: CheckResult[] = [];
    for (const [index, entry] of batch.entries()) {
      const monitor = this.deps.monitors.get(entry.observation.monitorId) ?? this.deps.controls?.get(entry.observation.monitorId);
      if (!monitor) continue;
      // Impaired when it was made, or by the end of the batch (its first failures, before the verdict was clear).
      const impairment = whenMade[index] ?? now.get(entry.observation.vantage);
      const verdict = verdictOf(entry.observation, monitor, { vantageImpaired: impairment !== undefined, ...(impairment ? { impairment } : {}) });
      results.push(judged(entry.id, entry.observation, verdict));
    }
    return results;
  }

  /** Judges what is buffered but not yet judged in memory, on top of the provisional states. */
  private judgeProvisionally(): void {
    const pending = this.buffer.slice(this.provisionalUpTo);
    this.provisional = this.book.judge(this.resultsOf(pending), this.provisional);
    this.provisionalUpTo = this.buffer.length;
  }

  private async writeOne(batch: Pending[]): Promise<void> {
    const results = this.resultsOf(batch);

    const startedAt = this.deps.clock.now();
    let committed: CommittedBatch & Judged;
    let written: { vantages: VantageState[]; monitors: MonitorState[] } | undefined;
    try {
      committed = await this.deps.store.transact(async (tx) => {
        const inserted = await tx.results.insert(results);
        const outcome = this.book.judge(inserted);
        await tx.rollups.add(inserted);
        const states = this.book.toWrite(outcome, this.deps.clock.now());
        await tx.states.upsertVantages(states.vantages);
        await tx.states.upsertMonitors(states.monitors);
        written = states;
        await tx.incidents.open(outcome.incidents.opened);
        await tx.incidents.append(outcome.incidents.appended);
        await tx.incidents.resolve(outcome.incidents.resolved);
        await tx.incidents.rescope(outcome.incidents.rescoped ?? []);
        await recordSubmissions(tx, batch, inserted);
        const done = { results: inserted, ...outcome };
        for (const writer of this.deps.writers ?? []) await writer(tx, done);
        return done;
      });
    } catch (error) {
      // Nothing of the batch was written (one transaction): keep it for the next flush.
      this.buffer.unshift(...batch);
      this.failing = true;
      this.deps.log.error({ err: error, results: batch.length }, 'writing a batch failed; will retry');
      this.deps.onStorageHealth?.(false, error);
      this.judgeProvisionally();
      return;
    }
    if (this.failing) this.deps.onStorageHealth?.(true);
    this.failing = false;
    this.provisional = undefined;
    this.provisionalUpTo = 0;
    this.book.apply(committed);
    if (written) this.book.written(written, this.deps.clock.now());
    // Each stored id answers its first submission; any later copy of it is a duplicate.
    const stored = new Set(committed.results.map((r) => r.id));
    for (const entry of batch) {
      entry.settle?.(
        stored.delete(entry.id)
          ? { stored: entry.id }
          : { refused: { reason: 'duplicate', message: `an observation of ${entry.observation.monitorId} from ${entry.observation.vantage} at ${new Date(entry.observation.startedAt).toISOString()} is already stored` } },
      );
    }
    this.deps.onFlushed?.(this.deps.clock.now() - startedAt, committed.results.length);
    if (committed.events.length > 0) this.deps.onEvents?.(committed.events);
  }
}
