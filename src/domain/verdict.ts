// The hub's verdict on one observation: derived from the observation, the monitor's settings and what
// the hub knew of its own vantage at the time; never part of the observation itself. Pure.
import { activeMaintenance } from './maintenance.js';
import type { MonitorSpec } from './monitor.js';
import type { Observation } from './observation.js';
import { LOCAL_FAILURE_KINDS, type Impairment } from './vantage.js';

export interface Verdict {
  /** Assertions passed but latency was above degradedAfter. */
  readonly degraded: boolean;
  /** Taken during a maintenance window: stored, but not counted in uptime. */
  readonly maintenance: boolean;
  /**
   * Failed before reaching its target while the vantage's own network was down: no evidence about
   * the target, so neither counted in uptime nor towards an outage.
   */
  readonly inconclusive: boolean;
}

/** An observation with the hub's verdict on it, and its stable id: what the API calls a Result. */
export interface CheckResult extends Observation, Verdict {
  readonly id: string;
  /** phases.total. */
  readonly latencyMs: number;
}

export interface VerdictContext {
  /** The vantage that made the observation was impaired when it was judged (see vantage.ts). */
  readonly vantageImpaired: boolean;
  /** Why: impaired by its controls, any failure says nothing about the target, not only one before it. */
  readonly impairment?: Impairment;
}

/** Passed, but slower than the monitor's degradedAfter. */
export function isDegraded(observation: Observation, monitor: MonitorSpec): boolean {
  return observation.ok && monitor.degradedAfterMs !== undefined && observation.phases.total > monitor.degradedAfterMs;
}

export function verdictOf(observation: Observation, monitor: MonitorSpec, context: VerdictContext): Verdict {
  return {
    degraded: isDegraded(observation, monitor),
    maintenance: activeMaintenance(monitor.maintenance, observation.startedAt) !== undefined,
    inconclusive:
      context.vantageImpaired &&
      observation.error !== undefined &&
      (context.impairment === 'controls' || LOCAL_FAILURE_KINDS.has(observation.error.kind)),
  };
}

/** The stored result: exactly the observation's fields, the verdict, and the id. */
export function judged(id: string, observation: Observation, verdict: Verdict): CheckResult {
  const { monitorId, vantage, plannedAt, startedAt, ok, phases, peerAddress, error, details } = observation;
  return {
    id,
    monitorId,
    vantage,
    plannedAt,
    startedAt,
    ok,
    ...verdict,
    latencyMs: phases.total,
    phases,
    ...(peerAddress !== undefined ? { peerAddress } : {}),
    ...(error !== undefined ? { error } : {}),
    details,
  };
}
