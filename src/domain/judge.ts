// From the states of one monitor's vantages to the monitor's own state and events. Pure. With one
// healthy vantage and no quorum above 1 the monitor is exactly what that vantage sees; with several,
// consensus.ts decides (up, down, partial) and this turns its decisions into events.
import { consensus, EVERY_VANTAGE_OK, latestEvidence, sameScope, scopeOf, type VantageFacts } from './consensus.js';
import type { MonitorEvent } from './state-machine.js';
import { dropUndefined } from './state-machine.js';
import type { Evidence, MonitorState, MonitorStatus, Scope, VantageState } from './state.js';

export interface Judgement {
  readonly state: MonitorState;
  readonly events: readonly MonitorEvent[];
}

/** What just changed: one vantage's new state and the events its state machine produced. */
export interface Trigger {
  readonly vantage: VantageState;
  readonly events: readonly MonitorEvent[];
  readonly at: number;
}

/** What judging needs beyond the states: the hub's view of each vantage, and the monitor's quorum. */
export interface JudgeContext {
  readonly facts?: VantageFacts;
  /** Failing vantages needed for `down`; absent: a majority of those counted. */
  readonly quorum?: number;
}

export function initialMonitorState(monitorId: string, now: number): MonitorState {
  return { monitorId, status: 'pending', since: now, updatedAt: now };
}

/** The monitor's status from its vantages' states, every vantage healthy (see consensus.ts). */
export function monitorStatus(vantages: readonly VantageState[], previous: MonitorStatus, context: JudgeContext = {}): MonitorStatus {
  return consensus(vantages, previous, context.facts ?? EVERY_VANTAGE_OK, context.quorum).status;
}

const isPassing = (status: MonitorStatus) => status === 'up' || status === 'degraded';
const isFailing = (status: MonitorStatus) => status === 'down' || status === 'partial';

export function judge(previous: MonitorState, vantages: readonly VantageState[], trigger: Trigger, context: JudgeContext = {}): Judgement {
  const facts = context.facts ?? EVERY_VANTAGE_OK;
  const alone = vantages.length <= 1 && facts.condition(trigger.vantage.vantage) === 'ok' && (context.quorum ?? 1) <= 1;
  if (alone) return judgeOne(previous, trigger);
  const decided = consensus(vantages, previous.status, facts, context.quorum);
  if (decided.setAside) {
    // Every vantage is impaired or offline: nothing is known of the target, so nothing changes.
    return finish(previous, trigger, previous.status, previous.since, previous.lastErrorKind, [], previous.scope);
  }
  const status = decided.status;
  const counted = decided.counted.some((v) => v.vantage === trigger.vantage.vantage);
  const events: MonitorEvent[] = [];
  const find = <T extends MonitorEvent['type']>(type: T) =>
    counted ? trigger.events.find((e): e is Extract<MonitorEvent, { type: T }> => e.type === type) : undefined;
  const fallback: Evidence = {
    resultId: trigger.vantage.lastResultId ?? '',
    vantage: trigger.vantage.vantage,
    at: trigger.at,
  };
  const scope: Scope | undefined = isFailing(status) ? scopeOf(decided.failing, facts) : undefined;
  const evidence = () => latestEvidence(decided.counted);
  let since = previous.since;
  if (status !== previous.status) {
    since = trigger.at;
    if (previous.status === 'maintenance') events.push({ type: 'maintenance_ended', at: trigger.at });
    // Only passing checks end an outage: a monitor whose vantages are all pending again is not back yet,
    // and the first passing consensus after that ends it.
    const passing = isPassing(status);
    if (passing && (isFailing(previous.status) || (previous.openIncidentId !== undefined && !isPassing(previous.status)))) {
      const recovered = find('recovered');
      events.push({ type: 'recovered', at: trigger.at, evidence: recovered?.evidence ?? fallback, downSince: previous.since });
    }
    if (status === 'down') {
      if (previous.status === 'partial' && scope) events.push(scopeChanged(trigger.at, scope, previous.scope, 'global', evidence()));
      const wentDown = find('went_down');
      const firstFailure = wentDown?.firstFailure ?? earliestFailure(decided.failing) ?? fallback;
      events.push({ type: 'went_down', at: trigger.at, firstFailure, confirmation: wentDown?.confirmation ?? firstFailure });
      since = firstFailure.at;
    } else if (status === 'partial' && scope) {
      if (previous.status === 'down') events.push(scopeChanged(trigger.at, scope, previous.scope, 'partial', evidence()));
      else events.push({ type: 'partial', at: trigger.at, scope, evidence: evidence() });
    } else if (status === 'degraded') {
      events.push({ type: 'degraded', at: trigger.at, evidence: find('degraded')?.evidence ?? fallback });
    } else if (status === 'up' && previous.status === 'degraded') {
      events.push({ type: 'degraded_recovered', at: trigger.at, evidence: find('degraded_recovered')?.evidence ?? fallback });
    } else if (status === 'maintenance') {
      events.push({ type: 'maintenance_started', at: trigger.at });
    }
  } else {
    if (status === 'down' && trigger.vantage.status === 'down' && counted) events.push(...trigger.events.filter((e) => e.type === 'error_changed'));
    // Vantages joining, leaving or changing sides while the outage goes on: the same incident, a new scope.
    if (scope && previous.scope && !sameScope(scope, previous.scope)) {
      events.push(scopeChanged(trigger.at, scope, previous.scope, status === 'down' ? 'global' : 'partial', evidence()));
    }
  }
  const lastErrorKind = status === 'down' ? (counted && trigger.vantage.status === 'down' ? trigger.vantage.lastErrorKind : undefined) ?? previous.lastErrorKind : undefined;
  return finish(previous, trigger, status, since, lastErrorKind, events, scope);
}

function scopeChanged(at: number, scope: Scope, previous: Scope | undefined, kind: 'global' | 'partial', evidence: readonly Evidence[]): MonitorEvent {
  return { type: 'scope_changed', at, scope, previous: previous ?? { vantages: [], regions: [] }, kind, evidence };
}

/** The first failing check of the failing vantage that began failing first. */
function earliestFailure(failing: readonly VantageState[]): Evidence | undefined {
  let first: Evidence | undefined;
  for (const v of failing) if (v.firstFailure && (!first || v.firstFailure.at < first.at)) first = v.firstFailure;
  return first;
}

/** One vantage: the monitor is what it sees, event for event. */
function judgeOne(previous: MonitorState, trigger: Trigger): Judgement {
  const vantage = trigger.vantage;
  const events = [...trigger.events];
  // Back from a pause (or a restart) with an incident still open: the first passing check ends it.
  if (previous.openIncidentId && (vantage.status === 'up' || vantage.status === 'degraded') && !events.some((e) => e.type === 'recovered')) {
    events.push({
      type: 'recovered',
      at: trigger.at,
      evidence: { resultId: vantage.lastResultId ?? '', vantage: vantage.vantage, at: trigger.at },
      downSince: previous.since,
    });
  }
  return finish(previous, trigger, vantage.status, vantage.since, vantage.lastErrorKind, events);
}

function finish(
  previous: MonitorState,
  trigger: Trigger,
  status: MonitorStatus,
  since: number,
  lastErrorKind: MonitorState['lastErrorKind'],
  events: readonly MonitorEvent[],
  scope?: Scope,
): Judgement {
  const state = dropUndefined<MonitorState>({
    monitorId: previous.monitorId,
    status,
    since: status === previous.status && status !== 'down' ? previous.since : since,
    lastErrorKind: status === 'down' ? lastErrorKind : undefined,
    openIncidentId: previous.openIncidentId,
    lastResultId: trigger.vantage.lastResultId ?? previous.lastResultId,
    scope,
    updatedAt: trigger.at,
  });
  return { state, events };
}
