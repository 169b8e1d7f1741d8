// `declared_mismatch`: what a platform's own status page says contradicts what Candor sees, and has for
// a while. Planned when a declared poll is recorded, in the same transaction (declared/poller.ts).
//
// - declared `operational` while Candor sees the monitor `down` (or `partial`);
// - declared `major_outage` or `partial_outage` while Candor sees it `up`.
// Only once Candor's own state has held for MISMATCH_AFTER_MS: the first minutes of every outage are
// not a mismatch worth telling (the platform has not had time to say anything yet). A source that cannot
// be read, maintenance on either side, and monitors not yet judged are never a mismatch.
import type { Notice } from '../domain/alerting.js';
import type { DeclaredPoll } from '../domain/declared.js';
import { activeMaintenance } from '../domain/maintenance.js';
import type { MonitorState } from '../domain/state.js';
import type { Ids } from '../runtime/ids.js';
import type { UnitOfWork } from '../storage/store.js';
import { writePlanned } from './outbox-writer.js';
import { immediateEntries, type AlertingPlanConfig, type PlannedEntry } from './plan.js';

export const MISMATCH_AFTER_MS = 10 * 60_000;

const OBSERVED_DOWN: ReadonlySet<string> = new Set(['down', 'partial']);
const DECLARED_DOWN: ReadonlySet<string> = new Set(['major_outage', 'partial_outage']);

/** The monitors reading a source, with the scope (component, or "" for the page) each reads. */
export interface DeclaringMonitor {
  readonly monitorId: string;
  readonly scope: string;
}

/** Pure: the entries for the monitors whose declared and observed states contradict each other now. */
export function planDeclaredMismatches(
  config: AlertingPlanConfig,
  poll: DeclaredPoll,
  monitors: readonly DeclaringMonitor[],
  stateOf: (monitorId: string) => MonitorState | undefined,
  now: number,
): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  for (const { monitorId, scope } of monitors) {
    const monitor = config.monitors.get(monitorId);
    const state = stateOf(monitorId);
    const declared = poll.statuses.find((status) => status.scope === scope)?.status;
    if (!monitor || !state || !declared || now - state.since < MISMATCH_AFTER_MS || activeMaintenance(monitor.maintenance, now)) continue;
    const observedDown = OBSERVED_DOWN.has(state.status);
    const mismatch = (declared === 'operational' && observedDown) || (DECLARED_DOWN.has(declared) && state.status === 'up');
    if (!mismatch) continue;
    const where = scope === '' ? 'its status page' : `its status page (component "${scope}")`;
    const notice: Notice = {
      kind: 'declared_mismatch',
      at: now,
      monitors: [{ id: monitor.id, name: monitor.name, component: monitor.component }],
      detail: `The platform says ${declared.replace(/_/g, ' ')} on ${where}; Candor sees it ${state.status} since ${new Date(state.since).toISOString()}`,
    };
    // Once per stretch of Candor's own state and declared status: a restart or the next poll plans the same row.
    entries.push(...immediateEntries(config, notice, monitor, `declared_mismatch:${monitorId}:${state.status}:${state.since}:${declared}`, now));
  }
  return entries;
}

export function declaredNoticeWriter(deps: { readonly config: AlertingPlanConfig; readonly ids: Ids; readonly stateOf: (monitorId: string) => MonitorState | undefined }) {
  return async (tx: UnitOfWork, poll: DeclaredPoll, monitors: readonly DeclaringMonitor[]): Promise<boolean> => {
    const entries = planDeclaredMismatches(deps.config, poll, monitors, deps.stateOf, poll.at);
    if (entries.length > 0) await writePlanned(tx, entries, deps.ids, poll.at);
    return entries.length > 0;
  };
}
