// Writes provenance snapshots to the ledger: each snapshot, its change events, the policy violations
// it opens or closes and their incidents in one transaction. Snapshots arriving while a write is in
// flight are gathered and written together next.
import type { Logger } from 'pino';
import type { MonitorSpec } from '../domain/monitor.js';
import { evaluatePolicy, policyCovers, type PolicySpec } from '../domain/policies.js';
import { applyJudgements, type PolicyJudgement, type PolicyViolation } from '../domain/policy-incidents.js';
import type { IncidentChanges } from '../domain/incidents.js';
import type { Incident } from '../domain/state.js';
import type { Ids } from '../runtime/ids.js';
import type { Store, UnitOfWork } from '../storage/store.js';
import type { ProvenanceChange } from './changes.js';
import { ledgerStep, type ObservedProvenance } from './ledger-step.js';
import { formatNetwork, type ProvenanceView } from './view.js';

export interface RecorderDeps {
  readonly store: Store;
  readonly ids: Ids;
  readonly log: Logger;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly policies: readonly PolicySpec[];
  /** Snapshots waiting beyond this many (storage failing long) are dropped, oldest first, and logged. */
  readonly maxPending?: number;
  /** Another writer in the same transaction, given the incidents it opens (the alerting outbox). */
  readonly onOpened?: (tx: UnitOfWork, opened: readonly Incident[]) => Promise<unknown>;
  /** After each commit: what it changed. */
  onRecorded?(outcome: RecordOutcome): void;
}

export interface RecordOutcome {
  readonly snapshots: number;
  readonly changes: readonly ProvenanceChange[];
  readonly incidents: IncidentChanges;
}

const DEFAULT_MAX_PENDING = 10_000;
/** Snapshots per transaction at most: keeps the violations lookup's `in (...)` list well inside both engines' limits. */
const MAX_BATCH = 1_000;

export class ProvenanceRecorder {
  private pending: ObservedProvenance[] = [];
  private writing: Promise<void> | undefined;
  private policies: readonly PolicySpec[];

  constructor(private readonly deps: RecorderDeps) {
    this.policies = deps.policies;
  }

  /** A reloaded config's policies: judged from the next snapshot on; call reconcile to judge what is known now. */
  setPolicies(policies: readonly PolicySpec[]): void {
    this.policies = policies;
  }

  /** Takes a snapshot to be written; resolves once it is (or failed, which is logged and kept for the next one). */
  record(observed: ObservedProvenance): Promise<void> {
    if (!this.deps.monitors.has(observed.monitorId)) return Promise.resolve();
    this.pending.push(observed);
    const max = this.deps.maxPending ?? DEFAULT_MAX_PENDING;
    if (this.pending.length > max) {
      const dropped = this.pending.splice(0, this.pending.length - max);
      this.deps.log.error({ dropped: dropped.length }, 'provenance: storage is not keeping up, oldest snapshots dropped');
    }
    return this.flush();
  }

  /** Writes what is waiting, a batch at a time. */
  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, MAX_BATCH);
    this.writing = this.write(batch)
      .catch((error: unknown) => {
        this.pending.unshift(...batch);
        this.deps.log.error({ err: error, snapshots: batch.length }, 'provenance: writing snapshots failed; will retry with the next one');
      })
      .finally(() => {
        this.writing = undefined;
      });
    await this.writing;
    // What arrived meanwhile (or did not fit) is written next, unless this write failed.
    if (this.pending.length > 0 && this.pending[0] !== batch[0]) return this.flush();
  }

  /**
   * Judges every vantage's current view against the policies as configured now, so that a policy
   * added, changed or removed since the last run opens or resolves its incidents at start.
   */
  async reconcile(at: number): Promise<RecordOutcome> {
    while (this.writing) await this.writing;
    const entries = await this.deps.store.provenance.current();
    const outcome = await this.deps.store.transact(async (tx) => {
      const current = await tx.provenance.violations();
      const judgements = entries.flatMap((entry) => this.judge(entry.monitorId, entry.vantage, at, entry.view, entry.id));
      // Violations of policies that no longer cover their monitor (or of monitors gone) are closed.
      const judged = new Set(judgements.map(violationKey));
      for (const violation of current) {
        if (!judged.has(violationKey(violation))) judgements.push(this.noLongerApplies(violation, at));
      }
      const changes = applyJudgements(current, judgements, () => this.deps.ids.next());
      await tx.provenance.applyViolations(changes.upserted, changes.removed);
      await writeIncidents(tx, changes.incidents);
      if (changes.incidents.opened.length > 0) await this.deps.onOpened?.(tx, changes.incidents.opened);
      return { snapshots: 0, changes: [], incidents: changes.incidents };
    });
    this.deps.onRecorded?.(outcome);
    return outcome;
  }

  private async write(batch: readonly ObservedProvenance[]): Promise<void> {
    const outcome = await this.deps.store.transact(async (tx) => {
      const changes: ProvenanceChange[] = [];
      const judgements: PolicyJudgement[] = [];
      for (const observed of batch) {
        const head = await tx.provenance.head(observed.monitorId, observed.vantage);
        const step = ledgerStep(head, observed, () => this.deps.ids.next());
        if (!step.write) continue;
        await tx.provenance.write(step.write);
        changes.push(...step.changes);
        const entryId = step.write.kind === 'insert' ? step.write.entry.id : step.write.id;
        judgements.push(...this.judge(observed.monitorId, observed.vantage, observed.at, step.view, entryId));
      }
      await tx.provenance.addChanges(changes);
      const current = await tx.provenance.violations([...new Set(judgements.map((j) => j.monitorId))]);
      const violations = applyJudgements(current, judgements, () => this.deps.ids.next());
      await tx.provenance.applyViolations(violations.upserted, violations.removed);
      await writeIncidents(tx, violations.incidents);
      if (violations.incidents.opened.length > 0) await this.deps.onOpened?.(tx, violations.incidents.opened);
      return { snapshots: batch.length, changes, incidents: violations.incidents };
    });
    this.deps.onRecorded?.(outcome);
  }

  private judge(monitorId: string, vantage: string, at: number, view: ProvenanceView, ledgerEntryId: string): PolicyJudgement[] {
    const monitor = this.deps.monitors.get(monitorId);
    if (!monitor) return [];
    return this.policies
      .filter((policy) => policyCovers(policy, monitor))
      .map((policy) => ({
        policyId: policy.id,
        monitorId,
        monitorName: monitor.name,
        vantage,
        at,
        breaches: evaluatePolicy(policy, view),
        ledgerEntryId,
        seen: describeView(view),
      }));
  }

  private noLongerApplies(violation: PolicyViolation, at: number): PolicyJudgement {
    return {
      policyId: violation.policyId,
      monitorId: violation.monitorId,
      monitorName: this.deps.monitors.get(violation.monitorId)?.name ?? violation.monitorId,
      vantage: violation.vantage,
      at,
      breaches: [],
      ledgerEntryId: violation.ledgerEntryId,
      seen: 'the policy no longer applies to this monitor',
    };
  }
}

const violationKey = (v: { policyId: string; monitorId: string; vantage: string }): string => `${v.policyId}\u0000${v.monitorId}\u0000${v.vantage}`;

async function writeIncidents(tx: UnitOfWork, incidents: IncidentChanges): Promise<void> {
  await tx.incidents.open(incidents.opened);
  await tx.incidents.append(incidents.appended);
  await tx.incidents.resolve(incidents.resolved);
}

/** "127.0.0.3; AS64501 Example Net B; US; issuer CN=Test CA B". */
export function describeView(view: ProvenanceView): string {
  const parts = [
    view.addresses.join(', ') || 'no address',
    view.networks.map(formatNetwork).join(', ') || 'network unknown',
    view.countries.join(', ') || 'country unknown',
    ...(view.certificate ? [`issuer ${view.certificate.issuer}`] : []),
    ...(view.cdns.length > 0 ? [`CDN ${view.cdns.join(', ')}`] : []),
  ];
  return parts.join('; ');
}
