// What the provenance pages show: per component, where each monitor is served from (per vantage), and
// the newest changes of the page's monitors. Same store reads as /api/v1.
import type { StatusPageSpec } from '../domain/monitor.js';
import type { ProvenanceChange } from '../provenance/changes.js';
import type { LedgerEntry } from '../provenance/ledger-step.js';
import type { Store } from '../storage/store.js';
import { pageView, type PublicPageDeps } from './public-page.js';

export interface ProvenancePage {
  readonly components: readonly {
    readonly id: string;
    readonly name: string;
    readonly monitors: readonly { readonly id: string; readonly name: string; readonly entries: readonly LedgerEntry[] }[];
  }[];
  /** Newest first. */
  readonly changes: readonly ProvenanceChange[];
  readonly now: number;
}

/** Changes read at most per page view; a page showing few monitors filters them from the newest. */
const CHANGES_SCANNED = 1000;
export const CHANGES_SHOWN = 100;

export async function pageChanges(store: Store, monitorIds: ReadonlySet<string>, limit: number): Promise<ProvenanceChange[]> {
  const changes = await store.provenance.changes({ limit: CHANGES_SCANNED });
  return changes.filter((change) => monitorIds.has(change.monitorId)).slice(0, limit);
}

export async function loadProvenancePage(deps: PublicPageDeps, page: StatusPageSpec): Promise<ProvenancePage> {
  const view = pageView(deps, page);
  const [current, changes] = await Promise.all([deps.store.provenance.current(), pageChanges(deps.store, view.monitorIds, CHANGES_SHOWN)]);
  const byMonitor = new Map<string, LedgerEntry[]>();
  for (const entry of current) {
    const list = byMonitor.get(entry.monitorId) ?? [];
    list.push(entry);
    byMonitor.set(entry.monitorId, list);
  }
  return {
    components: view.status.components.map((component) => ({
      id: component.id,
      name: component.name,
      monitors: component.monitors.map(({ spec }) => ({ id: spec.id, name: spec.name, entries: byMonitor.get(spec.id) ?? [] })),
    })),
    changes,
    now: deps.clock.now(),
  };
}

/** One monitor's provenance for its page: now per vantage, and its changes. */
export async function loadMonitorProvenance(store: Store, monitorId: string): Promise<{ entries: LedgerEntry[]; changes: ProvenanceChange[] }> {
  const [entries, changes] = await Promise.all([store.provenance.current(monitorId), store.provenance.changes({ monitorId, limit: 50 })]);
  return { entries, changes };
}
