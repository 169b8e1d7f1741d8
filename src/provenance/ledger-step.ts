// The ledger's one step, pure: a snapshot either extends the current entry of its (monitor, vantage)
// or starts a new one, and the new one's view is compared with the last to give change events.
import type { ProvenanceSnapshot } from './snapshot.js';
import { diffViews, type ProvenanceChange } from './changes.js';
import { identityOf, viewAfter, type ProvenanceView } from './view.js';

/** A stretch of time over which one (monitor, vantage) saw the same thing. */
export interface LedgerEntry {
  readonly id: string;
  readonly monitorId: string;
  readonly vantage: string;
  readonly firstSeen: number;
  readonly lastSeen: number;
  /** Snapshots this entry stands for. */
  readonly observations: number;
  /** The first snapshot of the stretch (the later ones differ only in TTLs or the address connected to). */
  readonly snapshot: ProvenanceSnapshot;
  /** What was known after it, dimensions it could not see carried over from before. */
  readonly view: ProvenanceView;
}

/** One snapshot taken by a vantage. */
export interface ObservedProvenance {
  readonly monitorId: string;
  readonly vantage: string;
  readonly at: number;
  readonly snapshot: ProvenanceSnapshot;
}

export type LedgerWrite =
  | { readonly kind: 'extend'; readonly id: string; readonly lastSeen: number; readonly observations: number }
  | { readonly kind: 'insert'; readonly entry: LedgerEntry };

export interface LedgerStep {
  /** undefined when the snapshot is older than what the ledger already holds (it changes nothing). */
  readonly write?: LedgerWrite;
  /** The view after this snapshot. */
  readonly view: ProvenanceView;
  readonly changes: readonly ProvenanceChange[];
}

/** `head` is the newest entry of the snapshot's (monitor, vantage), if any. */
export function ledgerStep(head: LedgerEntry | undefined, observed: ObservedProvenance, nextId: () => string): LedgerStep {
  if (head && observed.at <= head.lastSeen) return { view: head.view, changes: [] };
  if (head && identityOf(head.snapshot) === identityOf(observed.snapshot)) {
    return { write: { kind: 'extend', id: head.id, lastSeen: observed.at, observations: head.observations + 1 }, view: head.view, changes: [] };
  }
  const view = viewAfter(head?.view, observed.snapshot);
  const entry: LedgerEntry = {
    id: nextId(),
    monitorId: observed.monitorId,
    vantage: observed.vantage,
    firstSeen: observed.at,
    lastSeen: observed.at,
    observations: 1,
    snapshot: observed.snapshot,
    view,
  };
  const changes = diffViews(head?.view, view).map((diff) => ({
    id: nextId(),
    monitorId: observed.monitorId,
    vantage: observed.vantage,
    at: observed.at,
    ...diff,
  }));
  return { write: { kind: 'insert', entry }, view, changes };
}
