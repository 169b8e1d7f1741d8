// The states ingest keeps in memory: each vantage's state machine per monitor and each monitor's judged
// state, as last committed. Judging a batch works on copies; the book changes only when the batch is
// written (apply). Rebuilt from the database at start (restore).
import { checkedFrom } from '../domain/vantage-patterns.js';
import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { applyIncidentEvents, emptyChanges, type IncidentChanges } from '../domain/incidents.js';
import { initialMonitorState, judge } from '../domain/judge.js';
import type { MonitorSpec } from '../domain/monitor.js';
import { initialState, setPaused, step, type MonitorEvent } from '../domain/state-machine.js';
import type { MonitorState, VantageState } from '../domain/state.js';
import type { CheckResult } from '../domain/verdict.js';
import type { Ids } from '../runtime/ids.js';
import { EVERY_VANTAGE_OK, type VantageFacts } from '../domain/consensus.js';

/** States changed by judging some results, with what it caused. */
export interface Judged {
  readonly vantages: Map<string, VantageState>;
  readonly monitors: Map<string, MonitorState>;
  readonly incidents: IncidentChanges;
  readonly events: { monitorId: string; event: MonitorEvent }[];
}

export interface StateBookDeps {
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly ids: Ids;
  readonly log: Logger;
  /** The hub's own vantage (default "local"): every monitor it checks starts with a state there. */
  readonly localVantage?: string;
  /** The region of the hub's own vantage, for matching monitors' `vantages:` patterns. */
  readonly localRegion?: string;
  /** Which vantages are healthy (impaired and offline ones are set aside) and their regions; default every one healthy. */
  readonly facts?: VantageFacts;
  /** Judging one observation threw: a bug. */
  onJudgeError?(error: unknown): void;
}

const vantageKey = (monitorId: string, vantage: string): string => `${monitorId}\u0000${vantage}`;
/** A state whose only change is its last result is still written this often. */
export const STATE_REFRESH_MS = 5 * 60_000;

const BOOKKEEPING = new Set(['lastResultId', 'updatedAt']);

/** Whether two states differ in more than their last result and when it was taken. */
function changed<S extends { readonly lastResultId?: string; readonly updatedAt: number }>(before: S | undefined, after: S): boolean {
  if (!before) return true;
  const was = before as Record<string, unknown>;
  const now = after as Record<string, unknown>;
  for (const key in now) {
    if (BOOKKEEPING.has(key)) continue;
    const a = was[key];
    const b = now[key];
    if (a === b) continue;
    if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null || !isDeepStrictEqual(a, b)) return true;
  }
  for (const key in was) if (!(key in now) && !BOOKKEEPING.has(key)) return true;
  return false;
}

export class StateBook {
  private readonly monitorStates = new Map<string, MonitorState>();
  private readonly vantageStates = new Map<string, VantageState>();
  /** Vantage keys of each monitor, for judging across them. */
  private readonly vantagesOf = new Map<string, Set<string>>();
  /** States changed outside a batch (new, paused, resumed) that still need writing. */
  private readonly dirtyMonitors = new Set<string>();
  private readonly dirtyVantages = new Set<string>();
  /** When each state was last written, for those written since this process started. */
  private readonly writtenAt = new Map<string, number>();

  constructor(private readonly deps: StateBookDeps) {}

  /** Takes the stored states, adding new monitors (pending) and applying pauses from the config. */
  restore(stored: readonly MonitorState[], storedVantages: readonly VantageState[], now: number): void {
    const byMonitor = new Map(stored.map((s) => [s.monitorId, s]));
    for (const state of storedVantages) if (this.deps.monitors.has(state.monitorId)) this.remember(state);
    for (const monitor of this.deps.monitors.values()) this.adopt(monitor, now, byMonitor.get(monitor.id));
  }

  /**
   * Monitors added or changed at run time: a new one starts pending (or paused), a pause or resume is
   * applied; everything else about a monitor's state stays. Removed monitors are forgotten (their
   * stored rows stay, as history). Monitors not named are not touched.
   */
  reconcile(changes: { readonly added: readonly MonitorSpec[]; readonly changed: readonly MonitorSpec[]; readonly removed: readonly string[] }, now: number): void {
    for (const id of changes.removed) {
      for (const key of this.vantagesOf.get(id) ?? []) {
        this.vantageStates.delete(key);
        this.dirtyVantages.delete(key);
      }
      this.vantagesOf.delete(id);
      this.monitorStates.delete(id);
      this.dirtyMonitors.delete(id);
    }
    for (const monitor of [...changes.added, ...changes.changed]) this.adopt(monitor, now, this.monitorStates.get(monitor.id));
  }

  /** Gives a monitor its local vantage state if it has none, and applies its pause to every state it has. */
  private adopt(monitor: MonitorSpec, now: number, previous: MonitorState | undefined): void {
    const localVantage = this.deps.localVantage ?? 'local';
    const local = vantageKey(monitor.id, localVantage);
    if (checkedFrom(monitor.vantages, localVantage, this.deps.localRegion) && !this.vantageStates.has(local)) {
      this.remember(initialState(monitor.id, now, monitor.paused, localVantage));
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
    let state = previous ?? initialMonitorState(monitor.id, now);
    if (monitor.paused && state.status !== 'paused') state = { ...state, status: 'paused', since: now };
    if (!monitor.paused && state.status === 'paused') state = { ...state, status: 'pending', since: now };
    if (state !== previous) this.dirtyMonitors.add(monitor.id);
    this.monitorStates.set(monitor.id, state);
  }

  get monitors(): ReadonlyMap<string, MonitorState> {
    return this.monitorStates;
  }

  vantagesOfMonitor(monitorId: string): VantageState[] {
    return [...(this.vantagesOf.get(monitorId) ?? [])].map((key) => this.vantageStates.get(key)!);
  }

  /** States waiting to be written although no observation changed them. */
  get dirty(): number {
    return this.dirtyMonitors.size + this.dirtyVantages.size;
  }

  /**
   * The states of `judged` worth writing: those that changed in more than which result was last and
   * when (their counts stop at the thresholds, so a steady monitor's state stops changing), and the
   * others at least every STATE_REFRESH_MS. The rest stay in memory: a restart then resumes with a
   * state that names an older last result, which nothing depends on.
   */
  toWrite(judged: Judged, now: number): { vantages: VantageState[]; monitors: MonitorState[] } {
    const due = (key: string) => now - (this.writtenAt.get(key) ?? Number.NEGATIVE_INFINITY) >= STATE_REFRESH_MS;
    const vantages = [...judged.vantages].filter(([key, state]) => due(key) || this.dirtyVantages.has(key) || changed(this.vantageStates.get(key), state)).map(([, s]) => s);
    const monitors = [...judged.monitors].filter(([id, state]) => due(id) || this.dirtyMonitors.has(id) || changed(this.monitorStates.get(id), state)).map(([, s]) => s);
    return { vantages, monitors };
  }

  /** Remembers when these states were written. */
  written(states: { vantages: readonly VantageState[]; monitors: readonly MonitorState[] }, now: number): void {
    for (const state of states.vantages) this.writtenAt.set(vantageKey(state.monitorId, state.vantage), now);
    for (const state of states.monitors) this.writtenAt.set(state.monitorId, now);
  }

  /** Makes what a committed batch wrote the current state. */
  apply(judged: Judged): void {
    for (const [key, state] of judged.vantages) {
      this.remember(state);
      this.dirtyVantages.delete(key);
    }
    for (const [id, state] of judged.monitors) {
      this.monitorStates.set(id, state);
      this.dirtyMonitors.delete(id);
    }
  }

  /**
   * Runs each observation through its vantage's state machine and judges the monitor across its
   * vantages. Works on copies (started from `from` when given, and including the dirty states); the
   * book itself does not change. A throw while judging one observation (a bug) leaves that monitor as
   * it was and goes on with the rest.
   */
  judge(results: readonly CheckResult[], from?: Judged): Judged {
    const vantages = new Map<string, VantageState>(from?.vantages);
    const monitors = new Map<string, MonitorState>(from?.monitors);
    for (const key of this.dirtyVantages) if (!vantages.has(key)) vantages.set(key, this.vantageStates.get(key)!);
    for (const id of this.dirtyMonitors) if (!monitors.has(id)) monitors.set(id, this.monitorStates.get(id)!);
    const incidents = emptyChanges();
    const events: { monitorId: string; event: MonitorEvent }[] = [];
    /** Vantages a monitor has in the working copies that the book does not know yet. */
    const addedKeys = new Map<string, Set<string>>();
    const addKey = (monitorId: string, key: string) => {
      let added = addedKeys.get(monitorId);
      if (!added) addedKeys.set(monitorId, (added = new Set()));
      added.add(key);
    };
    for (const [key, state] of vantages) addKey(state.monitorId, key);
    for (const result of results) {
      const monitor = this.deps.monitors.get(result.monitorId);
      if (!monitor) continue;
      try {
        const key = vantageKey(monitor.id, result.vantage);
        const before = vantages.get(key) ?? this.vantageStates.get(key) ?? initialState(monitor.id, result.startedAt, monitor.paused, result.vantage);
        const transition = step(before, result, monitor, result.maintenance, { inconclusive: result.inconclusive });
        addKey(monitor.id, key);
        const facts = this.deps.facts ?? EVERY_VANTAGE_OK;
        const all = this.statesAcross(monitor, key, transition.state, addedKeys.get(monitor.id)!, vantages, facts);
        const previous = monitors.get(monitor.id) ?? this.monitorStates.get(monitor.id) ?? initialMonitorState(monitor.id, result.startedAt);
        const judgement = judge(previous, all, { vantage: transition.state, events: transition.events, at: result.startedAt }, { facts, ...(monitor.quorum !== undefined ? { quorum: monitor.quorum } : {}) });
        const scratch = emptyChanges();
        const after = applyIncidentEvents(judgement.state, monitor.name, judgement.events, () => this.deps.ids.next(), scratch, (v) => facts.region(v));
        // Only now, with every step done without a throw, does this observation change anything.
        vantages.set(key, transition.state);
        monitors.set(monitor.id, after);
        incidents.opened.push(...scratch.opened);
        incidents.appended.push(...scratch.appended);
        incidents.resolved.push(...scratch.resolved);
        if (scratch.rescoped) (incidents.rescoped ??= []).push(...scratch.rescoped);
        for (const event of judgement.events) events.push({ monitorId: monitor.id, event });
      } catch (error) {
        this.deps.log.error({ err: error, monitor: monitor.id, vantage: result.vantage }, 'judging an observation failed (a bug): it is stored, the monitor state is unchanged');
        this.deps.onJudgeError?.(error);
      }
    }
    return { vantages, monitors, incidents, events };
  }

  /**
   * Every vantage state of a monitor, `key`'s being `latest`. A vantage the monitor is no longer checked
   * from (its `vantages` changed) has left: its last state counts no more.
   */
  private statesAcross(monitor: MonitorSpec, key: string, latest: VantageState, added: ReadonlySet<string>, working: ReadonlyMap<string, VantageState>, facts: VantageFacts): VantageState[] {
    const known = this.vantagesOf.get(monitor.id);
    // The usual case, one vantage: nothing to gather.
    if (added.size === 1 && (known === undefined || (known.size === 1 && known.has(key)))) return [latest];
    const keys = new Set([...(known ?? []), ...added]);
    return [...keys]
      .map((k) => (k === key ? latest : (working.get(k) ?? this.vantageStates.get(k)!)))
      .filter((state) => state.vantage === latest.vantage || checkedFrom(monitor.vantages, state.vantage, facts.region(state.vantage)));
  }

  private remember(state: VantageState): void {
    const key = vantageKey(state.monitorId, state.vantage);
    this.vantageStates.set(key, state);
    let keys = this.vantagesOf.get(state.monitorId);
    if (!keys) this.vantagesOf.set(state.monitorId, (keys = new Set()));
    keys.add(key);
  }
}
