// Runs one planned check: probe, verdict details (degraded, maintenance), stable id, hand-off to ingest.
import type { MonitorSpec, ProbeSpec } from '../domain/monitor.js';
import { activeMaintenance } from '../domain/maintenance.js';
import type { CheckResult, ProbeOutcome, ProbeRunOptions } from '../probes/types.js';
import type { Clock } from '../runtime/clock.js';
import type { Ids } from '../runtime/ids.js';

export interface ProbeRunner {
  run(spec: ProbeSpec, options: ProbeRunOptions): Promise<ProbeOutcome>;
}

export interface CheckRunnerDeps {
  readonly monitors: ReadonlyMap<string, MonitorSpec>;
  readonly probes: ProbeRunner;
  readonly clock: Clock;
  readonly ids: Ids;
  /** Name of this vantage point; the hub is "local". */
  readonly vantage: string;
  /** Aborted on shutdown so running probes end quickly. */
  readonly signal?: AbortSignal;
  record(result: CheckResult, monitor: MonitorSpec): void;
}

export function createCheckRunner(deps: CheckRunnerDeps) {
  return async function runCheck(monitorId: string, plannedAt: number, startedAt: number): Promise<void> {
    const monitor = deps.monitors.get(monitorId);
    if (!monitor) return;
    const outcome = await deps.probes.run(monitor.probe, {
      timeoutMs: monitor.timeoutMs,
      ...(deps.signal ? { signal: deps.signal } : {}),
    });
    // A probe cut short by our own shutdown observed nothing about the target: keep no result.
    if (deps.signal?.aborted) return;
    deps.record(toResult(deps.ids.next(), monitor, deps.vantage, plannedAt, startedAt, outcome), monitor);
  };
}

export function toResult(
  id: string,
  monitor: MonitorSpec,
  vantage: string,
  plannedAt: number,
  startedAt: number,
  outcome: ProbeOutcome,
): CheckResult {
  const latencyMs = outcome.phases.total;
  return {
    id,
    monitorId: monitor.id,
    vantage,
    plannedAt,
    startedAt,
    ok: outcome.ok,
    degraded: outcome.ok && monitor.degradedAfterMs !== undefined && latencyMs > monitor.degradedAfterMs,
    maintenance: activeMaintenance(monitor.maintenance, startedAt) !== undefined,
    latencyMs,
    phases: outcome.phases,
    ...(outcome.peerAddress ? { peerAddress: outcome.peerAddress } : {}),
    ...(outcome.error ? { error: outcome.error } : {}),
    details: outcome.details,
  };
}
