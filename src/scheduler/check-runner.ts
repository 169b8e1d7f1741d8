// Runs one planned check: the probe, then the observation handed on. Verdicts are the hub's, later.
import type { CheckSpec } from './worker-protocol.js';
import type { Observation } from '../domain/observation.js';
import type { ProbeRegistry } from '../probes/registry.js';
import type { ProbeOutcome } from '../probes/types.js';
import type { RunCancellation } from '../probes/errors.js';

export interface CheckRunnerDeps {
  readonly monitors: ReadonlyMap<string, CheckSpec>;
  readonly probes: ProbeRegistry;
  /** Name of this vantage point; the hub is "local". */
  readonly vantage: string;
  /** Cancelled on shutdown so running probes end quickly. */
  readonly cancel?: RunCancellation;
  record(observation: Observation, monitor: CheckSpec): void;
}

export function createCheckRunner(deps: CheckRunnerDeps) {
  return async function runCheck(monitorId: string, plannedAt: number, startedAt: number): Promise<void> {
    const monitor = deps.monitors.get(monitorId);
    if (!monitor) return;
    const outcome = await deps.probes.run(monitor.probe, {
      timeoutMs: monitor.timeoutMs,
      ...(monitor.publicTargetsOnly ? { publicTargetsOnly: true } : {}),
      ...(deps.cancel ? { cancel: deps.cancel } : {}),
    });
    // A probe cut short by our own shutdown observed nothing about the target: keep no result.
    if (deps.cancel?.cancelled) return;
    deps.record(toObservation(monitor, deps.vantage, plannedAt, startedAt, outcome), monitor);
  };
}

export function toObservation(monitor: CheckSpec, vantage: string, plannedAt: number, startedAt: number, outcome: ProbeOutcome): Observation {
  return {
    monitorId: monitor.id,
    vantage,
    plannedAt,
    startedAt,
    ok: outcome.ok,
    phases: outcome.phases,
    ...(outcome.peerAddress ? { peerAddress: outcome.peerAddress } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    details: outcome.details,
  };
}
