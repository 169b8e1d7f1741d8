// `policy_violation`: a sovereignty policy broken opens an incident of that kind (provenance/recorder.ts);
// the notices for it are written in the same transaction, like the monitor events' (outbox-writer.ts).
import type { Incident } from '../domain/state.js';
import type { Notice } from '../domain/alerting.js';
import { activeMaintenance } from '../domain/maintenance.js';
import type { Ids } from '../runtime/ids.js';
import type { UnitOfWork } from '../storage/store.js';
import { writePlanned } from './outbox-writer.js';
import { immediateEntries, type AlertingPlanConfig, type PlannedEntry } from './plan.js';

/** Pure: the entries for the policy_violation incidents just opened. */
export function planPolicyNotices(config: AlertingPlanConfig, opened: readonly Incident[], now: number): PlannedEntry[] {
  const entries: PlannedEntry[] = [];
  for (const incident of opened) {
    if (incident.kind !== 'policy_violation') continue;
    for (const monitorId of incident.monitorIds) {
      const monitor = config.monitors.get(monitorId);
      if (!monitor || activeMaintenance(monitor.maintenance, incident.startedAt)) continue;
      const notice: Notice = {
        kind: 'policy_violation',
        at: incident.startedAt,
        monitors: [{ id: monitor.id, name: monitor.name, component: monitor.component }],
        detail: incident.title,
      };
      entries.push(...immediateEntries(config, notice, monitor, `policy_violation:${incident.id}:${monitorId}`, now));
    }
  }
  return entries;
}

/** Writes them in the transaction that opens the incidents; `onWritten` wakes the delivery worker. */
export function policyNoticeWriter(deps: { readonly config: AlertingPlanConfig; readonly ids: Ids; readonly now: () => number }) {
  return async (tx: UnitOfWork, opened: readonly Incident[]): Promise<boolean> => {
    const now = deps.now();
    const entries = planPolicyNotices(deps.config, opened, now);
    if (entries.length > 0) await writePlanned(tx, entries, deps.ids, now);
    return entries.length > 0;
  };
}
