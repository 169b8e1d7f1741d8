// Turns policy judgements into violations and incidents of kind `policy_violation`. Pure: ids come in
// as a function. One incident per (policy, monitor), open while any vantage sees a breach; each
// vantage that starts or stops breaking it adds a timeline entry. Outage incidents are never touched.
import type { IncidentChanges } from './incidents.js';
import { describeBreaches, type PolicyBreach } from './policies.js';
import type { TimelineEntry, TimelineKind } from './state.js';

/** A (policy, monitor, vantage) that breaks its policy now. */
export interface PolicyViolation {
  readonly policyId: string;
  readonly monitorId: string;
  readonly vantage: string;
  /** When this vantage first saw the breach. */
  readonly since: number;
  /** The `policy_violation` incident it belongs to. */
  readonly incidentId: string;
  readonly breaches: readonly PolicyBreach[];
  /** The ledger entry whose snapshot showed it. */
  readonly ledgerEntryId: string;
}

export interface PolicyJudgement {
  readonly policyId: string;
  readonly monitorId: string;
  readonly monitorName: string;
  readonly vantage: string;
  readonly at: number;
  /** Empty: complies. */
  readonly breaches: readonly PolicyBreach[];
  readonly ledgerEntryId: string;
  /** A few words on what was seen, for the timeline ("127.0.0.3, AS64501 Example Net B, US"). */
  readonly seen: string;
}

export interface ViolationChanges {
  readonly upserted: PolicyViolation[];
  readonly removed: { readonly policyId: string; readonly monitorId: string; readonly vantage: string }[];
  readonly incidents: IncidentChanges;
}

const sameBreaches = (a: readonly PolicyBreach[], b: readonly PolicyBreach[]): boolean =>
  a.length === b.length && a.every((breach, i) => breach.rule === b[i]!.rule && breach.value === b[i]!.value);

/**
 * Applies judgements to the current violations (those of every vantage for the monitors judged) and
 * returns what to write. `current` is not modified.
 */
export function applyJudgements(current: readonly PolicyViolation[], judgements: readonly PolicyJudgement[], nextId: () => string): ViolationChanges {
  const live = new Map(current.map((v) => [`${v.policyId}\u0000${v.monitorId}\u0000${v.vantage}`, v]));
  const changes: ViolationChanges = { upserted: [], removed: [], incidents: { opened: [], appended: [], resolved: [] } };
  const openIncident = (policyId: string, monitorId: string): string | undefined =>
    [...live.values()].find((v) => v.policyId === policyId && v.monitorId === monitorId)?.incidentId;
  const entry = (incidentId: string, j: PolicyJudgement, kind: TimelineKind, message: string): TimelineEntry => ({
    id: nextId(),
    incidentId,
    at: j.at,
    kind,
    message,
    monitorId: j.monitorId,
  });

  for (const j of judgements) {
    const key = `${j.policyId}\u0000${j.monitorId}\u0000${j.vantage}`;
    const existing = live.get(key);
    if (j.breaches.length > 0) {
      if (existing && sameBreaches(existing.breaches, j.breaches)) continue;
      const message = `Policy ${j.policyId} broken, seen from ${j.vantage}: ${describeBreaches(j.breaches)} (seen: ${j.seen})`;
      let incidentId = existing?.incidentId ?? openIncident(j.policyId, j.monitorId);
      if (incidentId) {
        changes.incidents.appended.push(entry(incidentId, j, 'policy_violated', message));
      } else {
        incidentId = nextId();
        changes.incidents.opened.push({
          id: incidentId,
          kind: 'policy_violation',
          title: `${j.monitorName} breaks policy ${j.policyId}`,
          state: 'open',
          monitorIds: [j.monitorId],
          startedAt: j.at,
          timeline: [entry(incidentId, j, 'policy_violated', message)],
        });
      }
      const violation: PolicyViolation = {
        policyId: j.policyId,
        monitorId: j.monitorId,
        vantage: j.vantage,
        since: existing?.since ?? j.at,
        incidentId,
        breaches: j.breaches,
        ledgerEntryId: j.ledgerEntryId,
      };
      live.set(key, violation);
      continue;
    }
    if (!existing) continue;
    live.delete(key);
    const stillBroken = openIncident(j.policyId, j.monitorId) !== undefined;
    changes.incidents.appended.push(
      entry(existing.incidentId, j, 'policy_complied', `Policy ${j.policyId} complied with again, seen from ${j.vantage} (seen: ${j.seen})`),
    );
    if (!stillBroken) changes.incidents.resolved.push({ id: existing.incidentId, resolvedAt: j.at });
  }
  // Only the final state of each (policy, monitor, vantage) judged is written.
  const before = new Map(current.map((v) => [`${v.policyId}\u0000${v.monitorId}\u0000${v.vantage}`, v]));
  for (const key of new Set(judgements.map((j) => `${j.policyId}\u0000${j.monitorId}\u0000${j.vantage}`))) {
    const after = live.get(key);
    if (after && after !== before.get(key)) changes.upserted.push(after);
    const was = before.get(key);
    if (!after && was) changes.removed.push({ policyId: was.policyId, monitorId: was.monitorId, vantage: was.vantage });
  }
  return changes;
}
