// The hub's provenance: the recorder (ledger, changes, policy incidents) and the schedule of snapshots
// from the hub's own vantage, built once by app.ts.
import type { Logger } from 'pino';
import type { CandorConfig, MonitorSpec } from '../domain/monitor.js';
import type { Observation } from '../domain/observation.js';
import type { Clock } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';
import type { Store } from '../storage/store.js';
import { describeChange } from './changes.js';
import { ProvenanceRecorder, type RecordOutcome, type RecorderDeps } from './recorder.js';
import { ProvenanceSchedule, type ObserveProvenance } from './schedule.js';
import { DEFAULT_PROVENANCE_INTERVAL_MS } from './defaults.js';

export interface HubProvenance {
  /** Every observation the hub makes passes here (cheap unless a snapshot is due). */
  noticed(observation: Observation): void;
  readonly recorder: ProvenanceRecorder;
  /** The monitors map changed: snapshots follow the monitors as they are now. */
  monitorsChanged(): void;
  /** A reloaded config: policies judged again against what is known now, the snapshot interval. */
  reconfigure(config: CandorConfig): Promise<void>;
  stop(): Promise<void>;
}

export interface HubProvenanceDeps {
  readonly config: CandorConfig;
  readonly store: Store;
  readonly ids: Ids;
  readonly log: Logger;
  readonly clock: Clock;
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  /** Absent: no snapshots are taken here (the ledger still takes them from elsewhere). */
  readonly observe?: ObserveProvenance;
  /** Written with the policy_violation incidents a transaction opens (their notifications). */
  readonly onOpened?: RecorderDeps['onOpened'];
  /** After each commit of the ledger. */
  readonly onRecorded?: (outcome: RecordOutcome) => void;
}

export async function startHubProvenance(deps: HubProvenanceDeps): Promise<HubProvenance> {
  const { config, log } = deps;
  const recorder = new ProvenanceRecorder({
    store: deps.store,
    ids: deps.ids,
    log,
    monitors: deps.monitors,
    policies: config.policies ?? [],
    ...(deps.onOpened ? { onOpened: deps.onOpened } : {}),
    onRecorded: (outcome) => {
      logOutcome(log, outcome);
      deps.onRecorded?.(outcome);
    },
  });
  // A policy added, changed or removed since the last run is applied to what is known now.
  await recorder.reconcile(deps.clock.now());
  const reconcilePolicies = async (next: CandorConfig) => {
    recorder.setPolicies(next.policies ?? []);
    await recorder.reconcile(deps.clock.now());
  };
  if (!deps.observe) return { noticed: () => {}, recorder, monitorsChanged: () => {}, reconfigure: reconcilePolicies, stop: async () => {} };
  const schedule = new ProvenanceSchedule({
    monitors: deps.monitors,
    vantage: config.vantage.name,
    intervalMs: config.provenance?.intervalMs ?? DEFAULT_PROVENANCE_INTERVAL_MS,
    observe: deps.observe,
    record: (observed) => recorder.record(observed),
    clock: deps.clock,
    log,
  });
  schedule.restore(await deps.store.provenance.current());
  return {
    noticed: (observation) => schedule.noticed(observation),
    recorder,
    monitorsChanged: () => schedule.monitorsChanged(),
    async reconfigure(next) {
      schedule.setIntervalMs(next.provenance?.intervalMs ?? DEFAULT_PROVENANCE_INTERVAL_MS);
      await reconcilePolicies(next);
    },
    stop: () => schedule.stop(),
  };
}

function logOutcome(log: Logger, outcome: RecordOutcome): void {
  for (const change of outcome.changes) log.info({ monitor: change.monitorId, vantage: change.vantage, change: change.kind }, `monitor ${change.monitorId}: ${describeChange(change)}`);
  for (const incident of outcome.incidents.opened) log.warn({ incident: incident.id, monitors: incident.monitorIds }, incident.title);
  for (const resolved of outcome.incidents.resolved) log.info({ incident: resolved.id }, 'policy complied with again: incident resolved');
}
