// Polls each declared source at its own interval, on the hub's main thread (a poll is one small
// request, nothing a check could feel), and records every poll in the declared ledger in one unit of
// work. A poll that fails is recorded as `unavailable` with its reason for every scope, never as
// operational; a 304 keeps what the last answer said.
import type { Logger } from 'pino';
import type { Agent } from 'undici';
import type { DeclaredPoll, DeclaredSnapshot, PollOutcome } from '../domain/declared.js';
import type { Clock, TimerHandle, Timers } from '../runtime/clock.js';
import type { Store, UnitOfWork } from '../storage/store.js';
import { DEFAULT_FETCH_LIMITS, type FetchLimits, type Validators } from './fetch-limits.js';
import type { DeclaredSource } from './sources.js';
import { parseStatuspage } from './statuspage.js';

export interface PollerDeps {
  readonly store: Store;
  readonly clock: Clock;
  readonly timers: Timers;
  readonly log: Logger;
  readonly sources: readonly DeclaredSource[];
  readonly limits: FetchLimits;
  /** Another writer in the poll's transaction (the alerting outbox); true when it wrote something. */
  readonly onPoll?: (tx: UnitOfWork, poll: DeclaredPoll, monitors: DeclaredSource['monitors']) => Promise<boolean>;
  /** After a poll's transaction committed something from onPoll. */
  onWritten?(): void;
}

interface Tracked {
  source: DeclaredSource;
  validators: Validators;
  last?: DeclaredSnapshot;
  timer?: TimerHandle;
  running?: Promise<void>;
}

export function userAgent(version: string, publicUrl?: string): string {
  return `Candor/${version} (declared status reader; +${publicUrl ?? 'https://candor.invalid/self-hosted'})`;
}

/** What reading sources takes: undici and the feed parser, loaded with the first poll, never by a hub without sources. */
interface Reading {
  readonly agent: Agent;
  readonly fetchSource: (typeof import('./fetch.js'))['fetchSource'];
  readonly parseIncidentFeed: (typeof import('./feed.js'))['parseIncidentFeed'];
}

async function loadReading(): Promise<Reading> {
  const [fetching, feed] = await Promise.all([import('./fetch.js'), import('./feed.js')]);
  return { agent: fetching.createSourceAgent(), fetchSource: fetching.fetchSource, parseIncidentFeed: feed.parseIncidentFeed };
}

export class DeclaredPoller {
  private readonly tracked: Map<string, Tracked>;
  private reading: Promise<Reading> | undefined;
  private stopped = false;
  private started = false;
  /** Polls of removed sources still running. */
  private readonly leaving = new Set<Promise<void>>();

  constructor(private readonly deps: PollerDeps) {
    this.tracked = new Map(deps.sources.map((source) => [source.id, { source, validators: {} }]));
  }

  static limits(userAgentText: string, overrides: Partial<FetchLimits> = {}): FetchLimits {
    return { ...DEFAULT_FETCH_LIMITS, userAgent: userAgentText, ...overrides };
  }

  /** Polls every source now, then each at its interval. */
  start(): void {
    this.started = true;
    for (const tracked of this.tracked.values()) this.schedule(tracked, 0);
  }

  /**
   * The sources as the monitors declare them now (a reload, an API write): a new source is polled at
   * once, a removed one stops, one whose interval changed is rescheduled, the others go on untouched.
   * What was recorded stays in the declared ledger.
   */
  setSources(sources: readonly DeclaredSource[]): { added: string[]; removed: string[]; rescheduled: string[] } {
    const outcome = { added: [] as string[], removed: [] as string[], rescheduled: [] as string[] };
    const next = new Map(sources.map((source) => [source.id, source]));
    for (const [id, tracked] of this.tracked) {
      if (next.has(id)) continue;
      if (tracked.timer) this.deps.timers.clearTimeout(tracked.timer);
      tracked.timer = undefined;
      this.tracked.delete(id);
      // A poll still running is let finish (and recorded); stop() waits for it.
      if (tracked.running) {
        const running = tracked.running;
        this.leaving.add(running);
        void running.finally(() => this.leaving.delete(running)).catch(() => undefined);
      }
      outcome.removed.push(id);
    }
    for (const source of next.values()) {
      const tracked = this.tracked.get(source.id);
      if (!tracked) {
        const added: Tracked = { source, validators: {} };
        this.tracked.set(source.id, added);
        outcome.added.push(source.id);
        if (this.started) this.schedule(added, 0);
        continue;
      }
      const intervalChanged = tracked.source.intervalMs !== source.intervalMs;
      tracked.source = source;
      if (intervalChanged && this.started && !tracked.running) {
        if (tracked.timer) this.deps.timers.clearTimeout(tracked.timer);
        this.schedule(tracked, source.intervalMs);
      }
      if (intervalChanged) outcome.rescheduled.push(source.id);
    }
    return outcome;
  }

  /** Polls one source now (or waits for the poll already running) and records it. */
  poll(sourceId: string): Promise<void> {
    const tracked = this.tracked.get(sourceId);
    if (!tracked) return Promise.resolve();
    tracked.running ??= this.pollOnce(tracked).finally(() => {
      tracked.running = undefined;
    });
    return tracked.running;
  }

  async pollAll(): Promise<void> {
    await Promise.all([...this.tracked.keys()].map((id) => this.poll(id)));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const tracked of this.tracked.values()) if (tracked.timer) this.deps.timers.clearTimeout(tracked.timer);
    await Promise.all([...[...this.tracked.values()].map((t) => t.running), ...this.leaving]);
    if (this.reading) await (await this.reading).agent.close();
  }

  private schedule(tracked: Tracked, delayMs: number): void {
    if (this.stopped) return;
    tracked.timer = this.deps.timers.setTimeout(() => {
      void this.poll(tracked.source.id)
        .catch((error: unknown) => this.deps.log.error({ err: error, source: tracked.source.id }, 'polling a declared source failed unexpectedly'))
        .finally(() => {
          if (this.tracked.get(tracked.source.id) === tracked) this.schedule(tracked, tracked.source.intervalMs);
        });
    }, delayMs);
  }

  private async pollOnce(tracked: Tracked): Promise<void> {
    const { source } = tracked;
    const reading = await (this.reading ??= loadReading());
    const fetched = await reading.fetchSource(reading.agent, source.type, source.url, tracked.validators, this.deps.limits);
    const at = this.deps.clock.now();
    let outcome: PollOutcome;
    if (fetched.kind === 'failed') outcome = { ok: false, failure: fetched.failure };
    else if (fetched.kind === 'not_modified' && tracked.last) outcome = { ok: true, snapshot: tracked.last };
    else if (fetched.kind === 'not_modified') outcome = { ok: false, failure: { kind: 'http_status', message: 'HTTP 304 to a request that had nothing to revalidate' } };
    else outcome = parse(source, fetched.text, at, reading.parseIncidentFeed);

    if (outcome.ok) {
      tracked.last = outcome.snapshot;
      if (fetched.kind === 'body') tracked.validators = fetched.validators;
    } else {
      // What failed to parse must be fetched whole next time, not revalidated.
      tracked.validators = {};
      tracked.last = undefined;
    }
    const poll = toPoll(source, at, outcome);
    if (!outcome.ok) this.deps.log.warn({ source: source.id, url: source.url, kind: outcome.failure.kind, reason: outcome.failure.message }, 'declared source unavailable');
    try {
      const wrote = await this.deps.store.transact(async (tx) => {
        await tx.declared.record(poll);
        return (await this.deps.onPoll?.(tx, poll, source.monitors)) ?? false;
      });
      if (wrote) this.deps.onWritten?.();
    } catch (error) {
      this.deps.log.error({ err: error, source: source.id }, 'recording a declared poll failed; the next poll records again');
    }
  }
}

/** A parser that throws has a bug; the poll still fails as data and says so, and the hub goes on. */
function parse(source: DeclaredSource, text: string, at: number, parseIncidentFeed: Reading['parseIncidentFeed']): PollOutcome {
  try {
    return source.type === 'statuspage' ? parseStatuspage(text, at) : parseIncidentFeed(text, at);
  } catch (error) {
    return { ok: false, failure: { kind: 'malformed', message: `could not be read (${error instanceof Error ? error.message : String(error)})`.slice(0, 300) } };
  }
}

/** The ledger rows of one poll: every scope the source is read for, `unavailable` with the reason when unreadable. */
export function toPoll(source: DeclaredSource, at: number, outcome: PollOutcome): DeclaredPoll {
  if (!outcome.ok) {
    const reason = `${outcome.failure.kind}: ${outcome.failure.message}`;
    return { sourceId: source.id, at, statuses: source.scopes.map((scope) => ({ scope, status: 'unavailable', reason })), incidents: [], failure: outcome.failure };
  }
  const { snapshot } = outcome;
  const statuses = source.scopes.map((scope) => {
    if (scope === '') return { scope, status: snapshot.overall, ...(snapshot.overallUpdatedAt !== undefined ? { declaredAt: snapshot.overallUpdatedAt } : {}) };
    const component = snapshot.components.find((c) => c.name.trim().toLowerCase() === scope.trim().toLowerCase());
    if (!component) {
      const names = snapshot.components.map((c) => `"${c.name}"`).slice(0, 20).join(', ');
      return { scope, status: 'unavailable' as const, reason: `unknown_component: the page has no component "${scope}" (it lists ${names || 'none'})` };
    }
    return { scope, status: component.status, ...(component.updatedAt !== undefined ? { declaredAt: component.updatedAt } : {}) };
  });
  return { sourceId: source.id, at, statuses, incidents: snapshot.incidents };
}
