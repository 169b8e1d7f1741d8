// Writes the notifications a batch causes in the batch's own transaction (an ingest BatchWriter), so
// a notice is stored exactly when the event that causes it is: a crash loses neither or both.

import { SUBSCRIBER_KINDS, type Notice } from '../domain/alerting.js';
import { planForSubscribers } from './subscribers.js';
import type { BatchWriter } from '../ingest/ingest.js';
import type { Ids } from '../runtime/ids.js';
import type { UnitOfWork } from '../storage/store.js';
import { planNotifications, type AlertingPlanConfig, type PlannedEntry } from './plan.js';

export function outboxWriter(deps: { readonly config: AlertingPlanConfig; readonly ids: Ids; readonly now: () => number}): BatchWriter {
  return async (tx, committed) => {
    if (deps.config.channels.size === 0 || (committed.events.length === 0 && !committed.results.some((result) => result.details.type === 'tls'))) return;
    const now = deps.now();
    const plan = planNotifications(deps.config, committed, now);
    await writePlanned(tx, plan.entries, deps.ids, now);
    if (deps.config.subscriptions && plan.notices.some((planned) => SUBSCRIBER_KINDS.includes(planned.notice.kind))) {
      await writePlanned(tx, planForSubscribers(plan.notices, await tx.subscribers.list(), deps.config.settings.groupWindowMs, now), deps.ids, now);
    }
    // After the adds: a monitor that went down and recovered in one batch keeps no reminder.
    for (const monitorId of plan.recovered) await tx.outbox.cancelReminders(monitorId, now);
  };
}

/**
 * A notification joins a group only while it is due this much later: the worker may read a row as
 * soon as it is due, before a transaction that changes it commits, so a notice must not join a
 * group at the last moment (it would not be in the message sent).
 */
const JOIN_MARGIN_MS = 2000;

/** Adds entries; one that may be grouped joins the open notification of its channel and group, if any. */
export async function writePlanned(tx: UnitOfWork, entries: readonly PlannedEntry[], ids: Ids, now: number): Promise<void> {
  for (const entry of entries) {
    if (entry.groupKey) {
      const open = await tx.outbox.openGroup(entry.channelId, entry.groupKey, now + JOIN_MARGIN_MS);
      if (open) {
        await tx.outbox.replaceNotice(open.id, joined(open.notice, entry.notice), now);
        continue;
      }
    }
    await tx.outbox.add([{ id: ids.next(), ...entry }]);
  }
}

function joined(into: Notice, added: Notice): Notice {
  const known = new Set(into.monitors.map((monitor) => monitor.id));
  return { ...into, monitors: [...into.monitors, ...added.monitors.filter((monitor) => !known.has(monitor.id))] };
}
