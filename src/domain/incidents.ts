// Turns state-machine events into incident changes. Pure: ids come in as a function.
import type { MonitorEvent } from './state-machine.js';
import type { Evidence, Incident, IncidentScope, MonitorState, Scope, TimelineEntry, TimelineKind } from './state.js';

export interface IncidentChanges {
  readonly opened: Incident[];
  readonly appended: TimelineEntry[];
  readonly resolved: { id: string; resolvedAt: number }[];
  /** Incidents whose scope changed (partial to global and back, vantages joining or leaving); absent while none did. */
  rescoped?: { id: string; scope: IncidentScope; title: string }[];
}

export function emptyChanges(): IncidentChanges {
  return { opened: [], appended: [], resolved: [] };
}

/** The title follows the scope: "Shop is down" everywhere, "Shop is partly down (eu-west)" for some places. */
export function incidentTitle(monitorName: string, scope: IncidentScope): string {
  if (scope.kind === 'global') return `${monitorName} is down`;
  return `${monitorName} is partly down${scope.regions.length > 0 ? ` (${scope.regions.join(', ')})` : ''}`;
}

function rescope(changes: IncidentChanges, id: string, scope: IncidentScope, monitorName: string): void {
  (changes.rescoped ??= []).push({ id, scope, title: incidentTitle(monitorName, scope) });
}

/** Where the checks of a vantage come from, for naming a scope; absent: regions unknown. */
export type RegionOf = (vantage: string) => string | undefined;

/** A scope in words: "a1 (eu-west), b2". */
export function describeScope(scope: Scope, regionOf?: RegionOf): string {
  if (scope.vantages.length === 0) return 'no vantage';
  return scope.vantages.map((v) => (regionOf?.(v) ? `${v} (${regionOf(v)})` : v)).join(', ');
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
  regionOf?: RegionOf,
): MonitorState {
  let openId = state.openIncidentId;
  const entry = (incidentId: string, at: number, kind: TimelineKind, message: string, evidence?: Evidence, scope?: TimelineEntry['scope']): TimelineEntry => ({
    id: nextId(),
    incidentId,
    at,
    kind,
    message,
    monitorId: state.monitorId,
    ...(evidence ? { evidence } : {}),
    ...(scope ? { scope } : {}),
  });
  // One vantage (no consensus scope): the incident is global, seen from the vantage that confirmed it.
  const globalScope = (vantage: string): IncidentScope => {
    const scope = state.scope ?? { vantages: [vantage], regions: regionOf?.(vantage) ? [regionOf(vantage)!] : [] };
    return { kind: 'global', vantages: scope.vantages, regions: scope.regions };
  };

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
          scope: globalScope(event.confirmation.vantage),
          timeline: [
            entry(openId, event.firstFailure.at, 'first_failure', `First failed check: ${describe(event.firstFailure)}`, event.firstFailure),
            entry(openId, event.at, 'confirmed_down', confirmed, event.confirmation),
          ],
        });
        break;
      }
      case 'partial': {
        const scope: IncidentScope = { kind: 'partial', ...event.scope };
        const message = `${monitorName} fails from ${describeScope(event.scope, regionOf)} while other vantages reach it`;
        if (openId) {
          changes.appended.push(entry(openId, event.at, 'partial', message, undefined, { ...scope, evidence: event.evidence }));
          rescope(changes, openId, scope, monitorName);
          break;
        }
        openId = nextId();
        const failures = event.evidence.filter((e) => e.errorKind !== undefined);
        const first = failures.reduce<Evidence | undefined>((a, b) => (a === undefined || b.at < a.at ? b : a), undefined);
        changes.opened.push({
          id: openId,
          title: incidentTitle(monitorName, scope),
          state: 'open',
          monitorIds: [state.monitorId],
          startedAt: event.at,
          scope,
          timeline: [entry(openId, event.at, 'partial', message, first, { ...scope, evidence: event.evidence })],
        });
        break;
      }
      case 'scope_changed':
        if (openId) {
          const scope: IncidentScope = { kind: event.kind, ...event.scope };
          const message =
            event.kind === 'global'
              ? `${monitorName} now fails from ${describeScope(event.scope, regionOf)}: down for everyone`
              : `${monitorName} now fails from ${describeScope(event.scope, regionOf)} only (was ${describeScope(event.previous, regionOf)})`;
          changes.appended.push(entry(openId, event.at, 'scope_changed', message, undefined, { ...scope, evidence: event.evidence }));
          rescope(changes, openId, scope, monitorName);
        }
        break;
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
