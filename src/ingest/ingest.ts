// Takes observations from every vantage (the hub's own checks, agents' pushes), and writes them in
// batches: each batch is one transaction holding the observations, their verdicts, the per-vantage
// state machines, the monitors' judged states and the incident changes they cause. Events are emitted
// after commit, from what was committed (a resent observation changes nothing twice).
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import { applyIncidentEvents, emptyChanges, type IncidentChanges } from '../domain/incidents.js';
import { initialMonitorState, judge } from '../domain/judge.js';
import type { Observation } from '../domain/observation.js';
import { resultId, seriesSuffix } from '../domain/result-id.js';
import { initialState, setPaused, step, type MonitorEvent } from '../domain/state-machine.js';
import type { MonitorState, VantageState } from '../domain/state.js';
import { DEFAULT_VANTAGE_POLICY, targetHost, vantageImpaired, type RecentCheck } from '../domain/vantage.js';
import { judged, verdictOf, type CheckResult } from '../domain/verdict.js';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store, UnitOfWork } from '../storage/store.js';

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
  /** Vantages whose observations are taken; the hub's own is "local". */
  readonly vantages?: () => ReadonlySet<string>;
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
}

const LOCAL = 'local';
const vantageKey = (monitorId: string, vantage: string): string => `${monitorId}\u0000${vantage}`;

export class Ingest {
  private readonly options: IngestOptions;
  private buffer: Pending[] = [];
  /** The batch being written now. */
  private inFlight: readonly Pending[] = [];
  private readonly current = new Map<string, MonitorState>();
  private readonly vantageStates = new Map<string, VantageState>();
  /** Vantage keys of each monitor, for judging across them. */
  private readonly vantagesOf = new Map<string, Set<string>>();
  /** States changed outside a batch (new, paused, resumed) that still need writing. */
  private dirtyMonitors = new Set<string>();
  private dirtyVantages = new Set<string>();
  private flushing: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  /** The last commit failed: wait for the next timer tick instead of retrying on every new result. */
  private failing = false;
  /** Latest check of each (vantage, monitor), for telling "the platform is down" from "our network is down". */
  private readonly recent = new Map<string, Map<string, RecentCheck>>();
  private readonly impaired = new Set<string>();
  private readonly suffixes = new Map<string, string>();

  constructor(private readonly deps: IngestDeps) {
    this.options = { ...DEFAULT_INGEST_OPTIONS, ...deps.options };
  }

  /** Loads persisted states so a restart resumes where it stopped (open incidents included). */
  async restore(): Promise<void> {
    const now = this.deps.clock.now();
    const monitors = new Map((await this.deps.store.listStates()).map((s) => [s.monitorId, s]));
    for (const state of await this.deps.store.listVantageStates()) {
      if (!this.deps.monitors.has(state.monitorId)) continue;
      this.rememberVantage(state);
    }
    for (const monitor of this.deps.monitors.values()) {
      const local = vantageKey(monitor.id, LOCAL);
      if (!this.vantageStates.has(local)) {
        this.rememberVantage(initialState(monitor.id, now, monitor.paused, LOCAL));
        this.dirtyVantages.add(local);
      }
      for (const key of this.vantagesOf.get(monitor.id) ?? []) {
        const before = this.vantageStates.get(key)!;
        const after = setPaused(before, monitor.paused, now);
        if (after !== before) {
          this.vantageStates.set(key, after);
          this.dirtyVantages.add(key);
        }
      }
      const stored = monitors.get(monitor.id);
      let state = stored ?? initialMonitorState(monitor.id, now);
      if (monitor.paused && state.status !== 'paused') state = { ...state, status: 'paused', since: now };
      if (!monitor.paused && state.status === 'paused') state = { ...state, status: 'pending', since: now };
      if (state !== stored) this.dirtyMonitors.add(monitor.id);
      this.current.set(monitor.id, state);
    }
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Current judged state of every configured monitor, as last written. */
  states(): ReadonlyMap<string, MonitorState> {
    return this.current;
  }

  /** Every vantage's state of a monitor, as last written. */
  vantageStatesOf(monitorId: string): VantageState[] {
    return [...(this.vantagesOf.get(monitorId) ?? [])].map((key) => this.vantageStates.get(key)!);
  }

  /** True while every recent check of the hub failed before reaching its target: outages are then not confirmed. */
  get vantageImpaired(): boolean {
    return this.impaired.has(LOCAL);
  }

  get buffered(): number {
    return this.buffer.length;
  }

  /** Takes one observation to be written with the next batch, or says why it is refused. */
  add(observation: Observation): Refusal | undefined {
    return this.enqueue(observation);
  }

  /** Takes observations and resolves once each is committed (or refused), in order: for agents' pushes. */
  submit(observations: readonly Observation[]): Promise<SubmitOutcome[]> {
    return Promise.all(
      observations.map(
        (observation) =>
          new Promise<SubmitOutcome>((resolve) => {
            const refusal = this.enqueue(observation, resolve);
            if (refusal) resolve({ refused: refusal });
          }),
      ),
    );
  }

  /** Writes everything buffered now. Concurrent calls share one flush at a time. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.dirtyMonitors.size === 0 && this.dirtyVantages.size === 0) return;
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
    return this.buffer.length + this.dirtyMonitors.size + this.dirtyVantages.size;
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

  private enqueue(observation: Observation, settle?: (outcome: SubmitOutcome) => void): Refusal | undefined {
    const refusal = this.check(observation);
    if (refusal) return refusal;
    this.buffer.push({ observation, id: this.idOf(observation), ...(settle ? { settle } : {}) });
    if (this.buffer.length > this.options.maxBuffered) {
      const dropped = this.buffer.splice(0, this.buffer.length - this.options.maxBuffered);
      this.deps.log.error({ dropped: dropped.length }, 'storage is not keeping up: oldest unwritten results dropped');
      this.refuseAll(dropped, { reason: 'dropped', message: 'storage is not keeping up: dropped before it was written' });
    }
    if (this.buffer.length >= this.options.maxBatch && !this.flushing && !this.failing) this.flushInBackground();
    return undefined;
  }

  private check(observation: Observation): Refusal | undefined {
    if (!this.deps.monitors.has(observation.monitorId)) {
      return { reason: 'unknown_monitor', message: `no monitor "${observation.monitorId}" is configured` };
    }
    const known = this.deps.vantages?.() ?? new Set([LOCAL]);
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

  private rememberVantage(state: VantageState): void {
    const key = vantageKey(state.monitorId, state.vantage);
    this.vantageStates.set(key, state);
    let keys = this.vantagesOf.get(state.monitorId);
    if (!keys) this.vantagesOf.set(state.monitorId, (keys = new Set()));
    keys.add(key);
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

  /** Updates each vantage's "is it them or us?" verdict from this batch; returns the impaired vantages. */
  private assessVantages(batch: readonly Pending[]): ReadonlySet<string> {
    for (const { observation } of batch) {
      const monitor = this.deps.monitors.get(observation.monitorId);
      if (!monitor) continue;
      let recent = this.recent.get(observation.vantage);
      if (!recent) this.recent.set(observation.vantage, (recent = new Map()));
      recent.set(monitor.id, {
        target: targetHost(monitor.probe),
        ok: observation.ok,
        at: observation.startedAt,
        ...(observation.error ? { errorKind: observation.error.kind } : {}),
      });
    }
    const now = this.deps.clock.now();
    for (const [vantage, recent] of this.recent) {
      const impaired = vantageImpaired(recent.values(), now, DEFAULT_VANTAGE_POLICY);
      if (impaired === this.impaired.has(vantage)) continue;
      if (impaired) this.impaired.add(vantage);
      else this.impaired.delete(vantage);
      const where = vantage === LOCAL ? "this machine's network" : `vantage ${vantage}'s network`;
      if (impaired) this.deps.log.warn({ vantage }, `every recent check failed before reaching its target: ${where} looks down; its failures do not confirm outages until it is back`);
      else this.deps.log.info({ vantage }, 'checks reach their targets again: outages are confirmed as usual');
      if (vantage === LOCAL) this.deps.onVantageChange?.(impaired);
    }
    return this.impaired;
  }

  private async writeBatch(): Promise<void> {
    const batch = this.buffer.splice(0, this.options.maxBatch);
    this.inFlight = batch;
    try {
      await this.writeOne(batch);
    } finally {
      this.inFlight = [];
    }
  }

  private async writeOne(batch: Pending[]): Promise<void> {
    const impaired = this.assessVantages(batch);
    const results: CheckResult[] = [];
    for (const entry of batch) {
      const monitor = this.deps.monitors.get(entry.observation.monitorId);
      if (!monitor) continue;
      const verdict = verdictOf(entry.observation, monitor, { vantageImpaired: impaired.has(entry.observation.vantage) });
      results.push(judged(entry.id, entry.observation, verdict));
    }

    const startedAt = this.deps.clock.now();
    let committed: CommittedBatch & { monitors: Map<string, MonitorState>; vantages: Map<string, VantageState> };
    try {
      committed = await this.deps.store.transact(async (tx) => {
        const inserted = await tx.results.insert(results);
        const outcome = this.judgeAll(inserted);
        await tx.rollups.add(inserted);
        await tx.states.upsertVantages([...outcome.vantages.values()]);
        await tx.states.upsertMonitors([...outcome.monitors.values()]);
        await tx.incidents.open(outcome.incidents.opened);
        await tx.incidents.append(outcome.incidents.appended);
        await tx.incidents.resolve(outcome.incidents.resolved);
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
      return;
    }
    if (this.failing) this.deps.onStorageHealth?.(true);
    this.failing = false;
    for (const [key, state] of committed.vantages) {
      this.rememberVantage(state);
      this.dirtyVantages.delete(key);
    }
    for (const [id, state] of committed.monitors) {
      this.current.set(id, state);
      this.dirtyMonitors.delete(id);
    }
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

  /**
   * Runs each stored observation through its vantage's state machine and judges the monitor across its
   * vantages. Pure over the working copies; applied to memory only once the transaction commits.
   */
  private judgeAll(results: readonly CheckResult[]) {
    const vantages = new Map<string, VantageState>();
    const monitors = new Map<string, MonitorState>();
    for (const key of this.dirtyVantages) vantages.set(key, this.vantageStates.get(key)!);
    for (const id of this.dirtyMonitors) monitors.set(id, this.current.get(id)!);
    const incidents = emptyChanges();
    const events: { monitorId: string; event: MonitorEvent }[] = [];
    /** Vantages a monitor gains in this batch (first observation from there). */
    const addedKeys = new Map<string, Set<string>>();
    for (const result of results) {
      const monitor = this.deps.monitors.get(result.monitorId);
      if (!monitor) continue;
      try {
        const key = vantageKey(monitor.id, result.vantage);
        const before = vantages.get(key) ?? this.vantageStates.get(key) ?? initialState(monitor.id, result.startedAt, monitor.paused, result.vantage);
        const transition = step(before, result, monitor, result.maintenance, { inconclusive: result.inconclusive });
        let added = addedKeys.get(monitor.id);
        if (!added) addedKeys.set(monitor.id, (added = new Set()));
        added.add(key);
        const keys = new Set([...(this.vantagesOf.get(monitor.id) ?? []), ...added]);
        const all = [...keys].map((k) => (k === key ? transition.state : (vantages.get(k) ?? this.vantageStates.get(k)!)));
        const previous = monitors.get(monitor.id) ?? this.current.get(monitor.id) ?? initialMonitorState(monitor.id, result.startedAt);
        const judgement = judge(previous, all, { vantage: transition.state, events: transition.events, at: result.startedAt });
        const scratch = emptyChanges();
        const after = applyIncidentEvents(judgement.state, monitor.name, judgement.events, () => this.deps.ids.next(), scratch);
        // Only now, with every step done without a throw, does this observation change anything.
        vantages.set(key, transition.state);
        monitors.set(monitor.id, after);
        incidents.opened.push(...scratch.opened);
        incidents.appended.push(...scratch.appended);
        incidents.resolved.push(...scratch.resolved);
        for (const event of judgement.events) events.push({ monitorId: monitor.id, event });
      } catch (error) {
        this.deps.log.error({ err: error, monitor: monitor.id, vantage: result.vantage }, 'judging an observation failed (a bug): it is stored, the monitor state is unchanged');
        this.deps.onJudgeError?.(error);
      }
    }
    return { vantages, monitors, incidents, events };
  }
}
