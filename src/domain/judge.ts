// From the states of one monitor's vantages to the monitor's own state and events. Pure. With one
// vantage the monitor is exactly what that vantage sees; with several, a majority of the vantages that
// have a confirmed state decides (the consensus across vantages belongs here).
import type { MonitorEvent } from './state-machine.js';
import { dropUndefined } from './state-machine.js';
import type { Evidence, MonitorState, MonitorStatus, VantageState } from './state.js';

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

const CONFIRMED: ReadonlySet<MonitorStatus> = new Set<MonitorStatus>(['up', 'degraded', 'down']);

export function initialMonitorState(monitorId: string, now: number): MonitorState {
  return { monitorId, status: 'pending', since: now, updatedAt: now };
}

/** The monitor's status from its vantages' states (the trigger's vantage already updated in `vantages`). */
export function monitorStatus(vantages: readonly VantageState[], previous: MonitorStatus): MonitorStatus {
  const active = vantages.filter((v) => v.status !== 'paused');
  if (active.length === 0) return vantages.length === 0 ? previous : 'paused';
  if (active.every((v) => v.status === 'maintenance')) return 'maintenance';
  const confirmed = active.filter((v) => CONFIRMED.has(v.status));
  if (confirmed.length === 0) return active.some((v) => v.status === 'down') ? 'down' : 'pending';
  const down = confirmed.filter((v) => v.status === 'down').length;
  const degraded = confirmed.filter((v) => v.status === 'degraded').length;
  if (down * 2 > confirmed.length) return 'down';
  if ((down + degraded) * 2 > confirmed.length) return 'degraded';
  return 'up';
}

export function judge(previous: MonitorState, vantages: readonly VantageState[], trigger: Trigger): Judgement {
  if (vantages.length <= 1) return judgeOne(previous, trigger);
  const status = monitorStatus(vantages, previous.status);
  const events: MonitorEvent[] = [];
  const find = <T extends MonitorEvent['type']>(type: T) =>
    trigger.events.find((e): e is Extract<MonitorEvent, { type: T }> => e.type === type);
  const fallback: Evidence = {
    resultId: trigger.vantage.lastResultId ?? '',
    vantage: trigger.vantage.vantage,
    at: trigger.at,
  };
  let since = previous.since;
  if (status !== previous.status) {
    since = trigger.at;
    if (previous.status === 'maintenance') events.push({ type: 'maintenance_ended', at: trigger.at });
    // Only passing checks end an outage: a monitor whose vantages are all pending again is not back yet,
    // and the first majority of passing vantages after that ends it.
    const passing = status === 'up' || status === 'degraded';
    if (passing && (previous.status === 'down' || (previous.openIncidentId !== undefined && previous.status !== 'up' && previous.status !== 'degraded'))) {
      const recovered = find('recovered');
      events.push({ type: 'recovered', at: trigger.at, evidence: recovered?.evidence ?? fallback, downSince: previous.since });
    }
    if (status === 'down') {
      const wentDown = find('went_down');
      const firstFailure = wentDown?.firstFailure ?? vantages.find((v) => v.status === 'down' && v.firstFailure)?.firstFailure ?? fallback;
      events.push({ type: 'went_down', at: trigger.at, firstFailure, confirmation: wentDown?.confirmation ?? firstFailure });
      since = firstFailure.at;
    } else if (status === 'degraded') {
      events.push({ type: 'degraded', at: trigger.at, evidence: find('degraded')?.evidence ?? fallback });
    } else if (status === 'up' && previous.status === 'degraded') {
      events.push({ type: 'degraded_recovered', at: trigger.at, evidence: find('degraded_recovered')?.evidence ?? fallback });
    } else if (status === 'maintenance') {
      events.push({ type: 'maintenance_started', at: trigger.at });
    }
  } else if (status === 'down' && trigger.vantage.status === 'down') {
    events.push(...trigger.events.filter((e) => e.type === 'error_changed'));
  }
  return finish(previous, trigger, status, since, status === 'down' ? trigger.vantage.lastErrorKind ?? previous.lastErrorKind : undefined, events);
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
): Judgement {
  const state = dropUndefined<MonitorState>({
    monitorId: previous.monitorId,
    status,
    since: status === previous.status && status !== 'down' ? previous.since : since,
    lastErrorKind: status === 'down' ? lastErrorKind : undefined,
    openIncidentId: previous.openIncidentId,
    lastResultId: trigger.vantage.lastResultId ?? previous.lastResultId,
    updatedAt: trigger.at,
  });
  return { state, events };
}
