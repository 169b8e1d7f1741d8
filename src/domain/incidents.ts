// Turns state-machine events into incident changes. Pure: ids come in as a function.
import type { MonitorEvent } from './state-machine.js';
import type { Evidence, Incident, MonitorState, TimelineEntry, TimelineKind } from './state.js';

export interface IncidentChanges {
  readonly opened: Incident[];
  readonly appended: TimelineEntry[];
  readonly resolved: { id: string; resolvedAt: number }[];
}

export function emptyChanges(): IncidentChanges {
  return { opened: [], appended: [], resolved: [] };
}

/**
 * Applies one monitor's events to its incident: opens one on `went_down` (unless one is already open,
 * e.g. restored after a restart or kept across maintenance), appends what happened while it is open,
 * resolves it on `recovered`. Returns the state with `openIncidentId` updated; records into `changes`.
 */
export function applyIncidentEvents(
  state: MonitorState,
  monitorName: string,
  events: readonly MonitorEvent[],
  nextId: () => string,
  changes: IncidentChanges,
): MonitorState {
  let openId = state.openIncidentId;
  const entry = (incidentId: string, at: number, kind: TimelineKind, message: string, evidence?: Evidence): TimelineEntry => ({
    id: nextId(),
    incidentId,
    at,
    kind,
    message,
    monitorId: state.monitorId,
    ...(evidence ? { evidence } : {}),
  });

  for (const event of events) {
    switch (event.type) {
      case 'went_down': {
        const confirmed = `${monitorName} confirmed down: ${describe(event.confirmation)}`;
        if (openId) {
          changes.appended.push(entry(openId, event.at, 'confirmed_down', confirmed, event.confirmation));
          break;
        }
        openId = nextId();
        changes.opened.push({
          id: openId,
          title: `${monitorName} is down`,
          state: 'open',
          monitorIds: [state.monitorId],
          startedAt: event.firstFailure.at,
          timeline: [
            entry(openId, event.firstFailure.at, 'first_failure', `First failed check: ${describe(event.firstFailure)}`, event.firstFailure),
            entry(openId, event.at, 'confirmed_down', confirmed, event.confirmation),
          ],
        });
        break;
      }
      case 'error_changed':
        if (openId) {
          const message = `Error changed${event.previousKind ? ` from ${event.previousKind}` : ''}: ${describe(event.evidence)}`;
          changes.appended.push(entry(openId, event.at, 'error_changed', message, event.evidence));
        }
        break;
      case 'recovered':
        if (openId) {
          changes.appended.push(entry(openId, event.at, 'recovered', `${monitorName} recovered`, event.evidence));
          changes.resolved.push({ id: openId, resolvedAt: event.at });
          openId = undefined;
        }
        break;
      case 'maintenance_started':
      case 'maintenance_ended':
        if (openId) {
          const message = event.type === 'maintenance_started' ? 'Maintenance window started' : 'Maintenance window ended';
          changes.appended.push(entry(openId, event.at, event.type, message));
        }
        break;
      case 'degraded':
      case 'degraded_recovered':
        break;
    }
  }
  if (openId === state.openIncidentId) return state;
  const { openIncidentId: _dropped, ...rest } = state;
  return openId ? { ...rest, openIncidentId: openId } : rest;
}

function describe(evidence: Evidence): string {
  const kind = evidence.errorKind ?? 'ok';
  return evidence.errorMessage ? `${kind} (${evidence.errorMessage})` : kind;
}
