// The outage state machine of one monitor as seen from one vantage: (state, result) -> { state, events }.
// Pure: no I/O, no clock. judge.ts turns the states of a monitor's vantages into the monitor's state.
import type { CheckResult } from './verdict.js';
import type { Evidence, MonitorStatus, Scope, VantageState } from './state.js';

export interface Thresholds {
  readonly failureThreshold: number;
  readonly successThreshold: number;
}

export type MonitorEvent =
  | { readonly type: 'went_down'; readonly at: number; readonly firstFailure: Evidence; readonly confirmation: Evidence }
  | { readonly type: 'error_changed'; readonly at: number; readonly evidence: Evidence; readonly previousKind?: string }
  | { readonly type: 'recovered'; readonly at: number; readonly evidence: Evidence; readonly downSince: number }
  | { readonly type: 'degraded'; readonly at: number; readonly evidence: Evidence }
  | { readonly type: 'degraded_recovered'; readonly at: number; readonly evidence: Evidence }
  | { readonly type: 'maintenance_started'; readonly at: number }
  | { readonly type: 'maintenance_ended'; readonly at: number }
  // Across vantages only (judge.ts, consensus.ts): `evidence` is each counted vantage's latest result.
  | { readonly type: 'partial'; readonly at: number; readonly scope: Scope; readonly evidence: readonly Evidence[] }
  | {
      readonly type: 'scope_changed';
      readonly at: number;
      readonly scope: Scope;
      readonly previous: Scope;
      /** `global` once the failing vantages reach the quorum, `partial` below it. */
      readonly kind: 'global' | 'partial';
      readonly evidence: readonly Evidence[];
    };

export interface Transition {
  readonly state: VantageState;
  readonly events: readonly MonitorEvent[];
}

export function initialState(monitorId: string, now: number, paused = false, vantage = 'local'): VantageState {
  return {
    monitorId,
    vantage,
    status: paused ? 'paused' : 'pending',
    since: now,
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    consecutiveSlow: 0,
    updatedAt: now,
  };
}

export function evidenceOf(result: CheckResult): Evidence {
  return {
    resultId: result.id,
    vantage: result.vantage,
    at: result.startedAt,
    ...(result.error ? { errorKind: result.error.kind, errorMessage: result.error.message } : {}),
    phases: result.phases,
    ...(result.peerAddress ? { peerAddress: result.peerAddress } : {}),
  };
}

/** Pauses or resumes a monitor (from config). Resuming starts again from `pending`; an open incident stays open. */
export function setPaused(state: VantageState, paused: boolean, now: number): VantageState {
  if (paused === (state.status === 'paused')) return state;
  return {
    ...withStatus(state, paused ? 'paused' : 'pending', now),
    consecutiveFailures: 0,
    consecutiveSuccesses: 0,
    consecutiveSlow: 0,
  };
}

/**
 * Applies one check result. `inMaintenance` is whether the result was taken inside a maintenance window:
 * such results never open or resolve anything, and the first result after the window starts fresh
 * counting (an incident open before the window stays open until the monitor really recovers).
 */
export interface StepContext {
  /**
   * The vantage itself is impaired (see vantage.ts) and this check failed before reaching its target:
   * it is no evidence about the target, so it neither counts towards an outage nor ends one. Streaks
   * resume as they were once checks get through again.
   */
  readonly inconclusive?: boolean;
}

export function step(
  state: VantageState,
  result: CheckResult,
  thresholds: Thresholds,
  inMaintenance: boolean,
  context: StepContext = {},
): Transition {
  const at = result.startedAt;
  const base = { ...state, lastResultId: result.id, updatedAt: at };

  if (state.status === 'paused') return { state: base, events: [] };

  if (inMaintenance) {
    if (state.status === 'maintenance') return { state: base, events: [] };
    const entering = resetCounters(withStatus(base, 'maintenance', at));
    return {
      state: dropUndefined(state.status === 'down' ? { ...entering, downBeforeMaintenance: true } : entering),
      events: [{ type: 'maintenance_started', at }],
    };
  }

  if (!result.ok && context.inconclusive === true) return { state: dropUndefined(base), events: [] };

  const events: MonitorEvent[] = [];
  let current: VantageState = base;
  if (state.status === 'maintenance') {
    events.push({ type: 'maintenance_ended', at });
    current = { ...resetCounters(withStatus(current, current.downBeforeMaintenance ? 'down' : 'pending', at)), downBeforeMaintenance: undefined };
  }

  const next = result.ok ? onSuccess(current, result, thresholds, events) : onFailure(current, result, thresholds, events);
  return { state: dropUndefined(next), events };
}

function onSuccess(state: VantageState, result: CheckResult, t: Thresholds, events: MonitorEvent[]): VantageState {
  // Made only for an event: most passing checks change nothing but the counts.
  const evidence = (): Evidence => evidenceOf(result);
  const at = result.startedAt;
  // While degraded, only fast passes count towards getting back to up.
  // Counts stop at the threshold they are compared with: past it they decide nothing, and a state that
  // stops changing check after check need not be written check after check.
  const successes = state.status === 'degraded' && result.degraded ? 0 : Math.min(state.consecutiveSuccesses + 1, t.successThreshold);
  const slow = result.degraded ? Math.min(state.consecutiveSlow + 1, t.failureThreshold) : 0;
  const counted: VantageState = {
    ...state,
    consecutiveSuccesses: successes,
    consecutiveFailures: 0,
    consecutiveSlow: slow,
    firstFailure: undefined,
  };

  switch (state.status) {
    case 'down': {
      if (successes < t.successThreshold) return counted;
      events.push({ type: 'recovered', at, evidence: evidence(), downSince: state.since });
      const status: MonitorStatus = result.degraded ? 'degraded' : 'up';
      return { ...withStatus(counted, status, at), lastErrorKind: undefined };
    }
    case 'pending':
      // Nothing to confirm yet: the first passing check establishes the state.
      return withStatus(counted, result.degraded ? 'degraded' : 'up', at);
    case 'up':
      if (slow >= t.failureThreshold) {
        events.push({ type: 'degraded', at, evidence: evidence() });
        return withStatus({ ...counted, consecutiveSuccesses: 0 }, 'degraded', at);
      }
      return counted;
    case 'degraded':
      if (successes >= t.successThreshold) {
        events.push({ type: 'degraded_recovered', at, evidence: evidence() });
        return withStatus(counted, 'up', at);
      }
      return counted;
    default:
      return counted;
  }
}

function onFailure(state: VantageState, result: CheckResult, t: Thresholds, events: MonitorEvent[]): VantageState {
  const evidence = evidenceOf(result);
  const failures = Math.min(state.consecutiveFailures + 1, t.failureThreshold);
  const counted: VantageState = {
    ...state,
    consecutiveFailures: failures,
    consecutiveSuccesses: 0,
    consecutiveSlow: 0,
    firstFailure: state.consecutiveFailures === 0 ? evidence : (state.firstFailure ?? evidence),
    lastErrorKind: evidence.errorKind,
  };

  if (state.status === 'down') {
    if (evidence.errorKind !== state.lastErrorKind) {
      events.push({
        type: 'error_changed',
        at: evidence.at,
        evidence,
        ...(state.lastErrorKind ? { previousKind: state.lastErrorKind } : {}),
      });
    }
    return counted;
  }
  if (failures < t.failureThreshold) return counted;
  events.push({ type: 'went_down', at: evidence.at, firstFailure: counted.firstFailure ?? evidence, confirmation: evidence });
  return withStatus(counted, 'down', counted.firstFailure?.at ?? evidence.at);
}

function withStatus<S extends { readonly status: MonitorStatus; readonly since: number }>(state: S, status: MonitorStatus, since: number): S {
  return state.status === status ? state : { ...state, status, since };
}

function resetCounters(state: VantageState): VantageState {
  return { ...state, consecutiveFailures: 0, consecutiveSuccesses: 0, consecutiveSlow: 0, firstFailure: undefined };
}

/** Optional fields are absent, never present-but-undefined, so states compare and serialise canonically. */
export function dropUndefined<S extends object>(state: S): S {
  let some = false;
  for (const key in state) {
    if (state[key] === undefined) {
      some = true;
      break;
    }
  }
  if (!some) return state;
  const copy = {} as S;
  for (const key in state) if (state[key] !== undefined) copy[key] = state[key];
  return copy;
}
