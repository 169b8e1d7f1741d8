// Read models of the provenance ledger, shared by /api/v1 and the pages.
import { BadRequestError } from '../domain/errors.js';
import type { MonitorSpec } from '../domain/monitor.js';
import { policyCovers, type PolicySpec } from '../domain/policies.js';
import type { PolicyViolation } from '../domain/policy-incidents.js';
import { describeChange, type ProvenanceChange } from '../provenance/changes.js';
import type { LedgerEntry } from '../provenance/ledger-step.js';
import type { Store } from '../storage/store.js';
import { requireMonitor, type ReadDeps } from './monitors.js';
import { iso } from './serialise.js';

export interface ProvenanceReadDeps extends ReadDeps {
  /** The policies as configured now (a reload replaces them). */
  policies(): readonly PolicySpec[];
}

const DAY_MS = 86_400_000;
export const MAX_HISTORY = 1000;

export function entryJson(entry: LedgerEntry) {
  const { view } = entry;
  return {
    id: entry.id,
    monitorId: entry.monitorId,
    vantage: entry.vantage,
    firstSeen: iso(entry.firstSeen),
    lastSeen: iso(entry.lastSeen),
    observations: entry.observations,
    view: {
      addresses: view.addresses,
      cnameTarget: view.cnameTarget ?? null,
      networks: view.networks,
      countries: view.countries,
      certificate: view.certificate ?? null,
      cdns: view.cdns,
    },
    snapshot: entry.snapshot,
  };
}

export function changeJson(change: ProvenanceChange) {
  return {
    id: change.id,
    monitorId: change.monitorId,
    vantage: change.vantage,
    at: iso(change.at),
    kind: change.kind,
    previous: change.previous,
    current: change.current,
    message: describeChange(change),
  };
}

export function violationJson(violation: PolicyViolation) {
  return {
    policyId: violation.policyId,
    monitorId: violation.monitorId,
    vantage: violation.vantage,
    since: iso(violation.since),
    incidentId: violation.incidentId,
    breaches: violation.breaches,
    ledgerEntryId: violation.ledgerEntryId,
  };
}

/** What each vantage sees of a monitor now, with the violations open. */
export async function monitorProvenance(deps: ProvenanceReadDeps, id: string) {
  requireMonitor(deps, id);
  const [entries, violations] = await Promise.all([deps.store.provenance.current(id), deps.store.provenance.violations()]);
  return {
    monitorId: id,
    vantages: entries.map(entryJson),
    violations: violations.filter((v) => v.monitorId === id).map(violationJson),
  };
}

export async function monitorProvenanceHistory(deps: ProvenanceReadDeps, id: string, query: { from?: number; to?: number }) {
  requireMonitor(deps, id);
  const to = query.to ?? deps.clock.now() + 1;
  const from = query.from ?? to - 30 * DAY_MS;
  if (from >= to) throw new BadRequestError(`query parameters: "from" must be before "to"`);
  const entries = await deps.store.provenance.history(id, from, to, MAX_HISTORY);
  const changes = await deps.store.provenance.changes({ monitorId: id, since: from, limit: MAX_HISTORY });
  return { monitorId: id, from: iso(from), to: iso(to), entries: entries.map(entryJson), changes: changes.filter((c) => c.at < to).map(changeJson) };
}

/** A changes cursor: "AT.ID" of the last change of a page. */
export function parseChangeCursor(cursor: string): { at: number; id: string } {
  const match = /^(\d{1,16})\.([0-9A-Za-z]{1,64})$/.exec(cursor);
  if (!match) throw new BadRequestError(`query parameter "before": expected a cursor from "nextBefore", got "${cursor}"`);
  return { at: Number(match[1]), id: match[2]! };
}

export async function listProvenanceChanges(store: Store, query: { since?: number; before?: string; limit: number }) {
  const changes = await store.provenance.changes({
    limit: query.limit,
    ...(query.since !== undefined ? { since: query.since } : {}),
    ...(query.before !== undefined ? { before: parseChangeCursor(query.before) } : {}),
  });
  const last = changes.at(-1);
  return { changes: changes.map(changeJson), nextBefore: changes.length === query.limit && last ? `${last.at}.${last.id}` : null };
}

/** Every policy, the monitors it covers and its violations open now. */
export async function listPolicies(deps: ProvenanceReadDeps) {
  const violations = await deps.store.provenance.violations();
  const monitors: readonly MonitorSpec[] = [...deps.monitors.values()];
  return {
    policies: deps.policies().map((policy) => ({
      id: policy.id,
      appliesTo: policy.appliesTo,
      allow: policy.allow ?? null,
      deny: policy.deny ?? null,
      monitorIds: monitors.filter((m) => policyCovers(policy, m)).map((m) => m.id),
      violations: violations.filter((v) => v.policyId === policy.id).map(violationJson),
    })),
  };
}
