// Buffers check results and writes them in batches: state machine + incidents + storage, one transaction each.
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import { applyIncidentEvents, emptyChanges } from '../domain/incidents.js';
import { initialState, setPaused, step, type MonitorEvent } from '../domain/state-machine.js';
import type { MonitorState } from '../domain/state.js';
import { DEFAULT_VANTAGE_POLICY, LOCAL_FAILURE_KINDS, targetHost, vantageImpaired, type RecentCheck } from '../domain/vantage.js';
import type { CheckResult } from '../probes/types.js';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store } from '../storage/store.js';

export interface IngestOptions {
  /** How often buffered results are written. */
  readonly flushIntervalMs: number;
  /** A flush starts early when this many results are waiting. */
  readonly maxBatch: number;
  /** Beyond this many unwritten results (storage failing), the oldest are dropped and logged. */
  readonly maxBuffered: number;
}

export const DEFAULT_INGEST_OPTIONS: IngestOptions = { flushIntervalMs: 1000, maxBatch: 2000, maxBuffered: 200_000 };

export interface IngestDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: Ids;
  readonly log: Logger;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly options?: Partial<IngestOptions>;
  onFlushed?(durationMs: number, results: number): void;
  /** Called after a batch is durably written, with the events it produced, in order. */
  onEvents?(events: readonly { monitorId: string; event: MonitorEvent }[]): void;
  /** The vantage (this hub's own network) became impaired, or recovered. */
  onVantageChange?(impaired: boolean): void;
}

export class Ingest {
  private readonly options: IngestOptions;
  private buffer: CheckResult[] = [];
  private current = new Map<string, MonitorState>();
  /** Monitors whose state changed outside a batch (new, paused, resumed) and still needs writing. */
  private dirty = new Set<string>();
  private flushing: Promise<void> | undefined;
  private timer: TimerHandle | undefined;
  private stopped = false;
  /** The last commit failed: wait for the next timer tick instead of retrying on every new result. */
  private failing = false;
  /** Latest check of each monitor, for telling "the platform is down" from "our network is down". */
  private readonly recent = new Map<string, RecentCheck>();
  private impaired = false;

  constructor(private readonly deps: IngestDeps) {
    this.options = { ...DEFAULT_INGEST_OPTIONS, ...deps.options };
  }

  /** Loads persisted states so a restart resumes where it stopped (open incidents included). */
  async restore(): Promise<void> {
    const now = this.deps.clock.now();
    const stored = new Map((await this.deps.store.listStates()).map((s) => [s.monitorId, s]));
    for (const monitor of this.deps.monitors.values()) {
      const previous = stored.get(monitor.id);
      const state = setPaused(previous ?? initialState(monitor.id, now), monitor.paused, now);
      if (state !== previous) this.dirty.add(monitor.id);
      this.current.set(monitor.id, state);
    }
  }

  start(): void {
    this.stopped = false;
    this.schedule();
  }

  /** Current state of every configured monitor, as last written. */
  states(): ReadonlyMap<string, MonitorState> {
    return this.current;
  }

  /** True while every recent check failed before reaching its target: outages are then not confirmed. */
  get vantageImpaired(): boolean {
    return this.impaired;
  }

  get buffered(): number {
    return this.buffer.length;
  }

  add(result: CheckResult): void {
    this.buffer.push(result);
    if (this.buffer.length > this.options.maxBuffered) {
      const dropped = this.buffer.splice(0, this.buffer.length - this.options.maxBuffered);
      this.deps.log.error({ dropped: dropped.length }, 'storage is not keeping up: oldest unwritten results dropped');
    }
    if (this.buffer.length >= this.options.maxBatch && !this.flushing && !this.failing) this.flushInBackground();
  }

  /** Writes everything buffered now. Concurrent calls share one flush at a time. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0 && this.dirty.size === 0) return;
    this.flushing = this.writeBatch().finally(() => {
      this.flushing = undefined;
    });
    return this.flushing;
  }

  /**
   * Stops the periodic flush and writes what is left, batch after batch. Gives up after
   * `attempts` failed commits in a row and says how many results were not written.
   */
  async stop(attempts = 3): Promise<void> {
    this.stopped = true;
    if (this.timer) this.deps.timers.clearTimeout(this.timer);
    let failures = 0;
    while ((this.buffer.length > 0 || this.dirty.size > 0) && failures < attempts) {
      const before = this.buffer.length + this.dirty.size;
      await this.flush();
      if (this.failing && this.buffer.length + this.dirty.size >= before) failures++;
    }
    if (this.buffer.length > 0) this.deps.log.error({ lost: this.buffer.length }, 'shutdown: results could not be written');
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

  private assessVantage(results: readonly CheckResult[]): boolean {
    for (const result of results) {
      const monitor = this.deps.monitors.get(result.monitorId);
      if (!monitor || result.maintenance) continue;
      this.recent.set(monitor.id, {
        target: targetHost(monitor.probe),
        ok: result.ok,
        at: result.startedAt,
        ...(result.error ? { errorKind: result.error.kind } : {}),
      });
    }
    const impaired = vantageImpaired(this.recent.values(), this.deps.clock.now(), DEFAULT_VANTAGE_POLICY);
    if (impaired !== this.impaired) {
      this.impaired = impaired;
      if (impaired) this.deps.log.warn('every recent check failed before reaching its target: this machine\'s network looks down; outages are not confirmed until it is back');
      else this.deps.log.info('checks reach their targets again: outages are confirmed as usual');
      this.deps.onVantageChange?.(impaired);
    }
    return impaired;
  }

  private async writeBatch(): Promise<void> {
    const results = this.buffer.splice(0, this.options.maxBatch);
    // States changed by this batch, over the current ones; applied only once the batch is written.
    const working = new Map<string, MonitorState>();
    for (const id of this.dirty) working.set(id, this.current.get(id)!);
    const changes = emptyChanges();
    const events: { monitorId: string; event: MonitorEvent }[] = [];
    const impaired = this.assessVantage(results);

    const judged = results.map((result) =>
      impaired && result.error !== undefined && LOCAL_FAILURE_KINDS.has(result.error.kind) ? { ...result, inconclusive: true as const } : result,
    );
    for (const result of judged) {
      const monitor = this.deps.monitors.get(result.monitorId);
      if (!monitor) continue;
      const before = working.get(monitor.id) ?? this.current.get(monitor.id) ?? initialState(monitor.id, result.startedAt, monitor.paused);
      const transition = step(before, result, monitor, result.maintenance, { inconclusive: result.inconclusive === true });
      const after = applyIncidentEvents(transition.state, monitor.name, transition.events, () => this.deps.ids.next(), changes);
      working.set(monitor.id, after);
      for (const event of transition.events) events.push({ monitorId: monitor.id, event });
    }

    const startedAt = this.deps.clock.now();
    try {
      await this.deps.store.commit({
        results: judged,
        states: [...working.values()],
        incidentsOpened: changes.opened,
        timelineAppended: changes.appended,
        incidentsResolved: changes.resolved,
      });
    } catch (error) {
      // Nothing of the batch was written (one transaction): keep it for the next flush.
      this.buffer.unshift(...results);
      this.failing = true;
      this.deps.log.error({ err: error, results: results.length }, 'writing a batch failed; will retry');
      return;
    }
    this.failing = false;
    for (const [id, state] of working) {
      this.current.set(id, state);
      this.dirty.delete(id);
    }
    this.deps.onFlushed?.(this.deps.clock.now() - startedAt, results.length);
    if (events.length > 0) this.deps.onEvents?.(events);
  }
}
