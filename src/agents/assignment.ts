// What an agent is asked to check: the monitors whose `vantages` patterns take it in (all by default),
// under a version that changes exactly when they do (the ETag of GET /api/v1/agent/assignment).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import type { MonitorSpec, ProvenanceSettings } from '../domain/monitor.js';
import { DEFAULT_PROVENANCE_INTERVAL_MS } from '../provenance/defaults.js';
import { checkedFrom } from '../domain/vantage-patterns.js';

export interface Assignment {
  readonly agent: { readonly name: string; readonly region?: string };
  readonly version: string;
  /** How often the agent asks again (its heartbeat); it is offline after three missed. */
  readonly heartbeatMs: number;
  /** Most observations the hub takes in one batch. */
  readonly maxBatch: number;
  readonly monitors: readonly MonitorSpec[];
  /**
   * How the agent observes provenance (the hub's `provenance:`), so one config rules every vantage.
   * Absent in assignments saved by older agents: the default interval and the system resolver.
   */
  readonly provenance?: ProvenanceSettings;
  /** The ids among `monitors` that are controls: checked, but not observed for provenance (no ledger keeps them). */
  readonly controlIds?: readonly string[];
}

/**
 * `controls` (config `controls:`) are checked by every agent, listed with its monitors: the agent runs
 * them alike, and the hub uses their results only to judge the agent's own health.
 */
export function assignmentFor(
  agent: { readonly name: string; readonly region?: string; readonly claimedRegion?: string },
  monitors: Iterable<MonitorSpec>,
  options: { readonly heartbeatMs: number; readonly maxBatch: number; readonly controls?: Iterable<MonitorSpec>; readonly provenance?: ProvenanceSettings },
): Assignment {
  const region = agent.region ?? agent.claimedRegion;
  const controls = [...(options.controls ?? [])];
  const assigned = [...[...monitors].filter((monitor) => checkedFrom(monitor.vantages, agent.name, region)), ...controls];
  const provenance: ProvenanceSettings = options.provenance ?? { intervalMs: DEFAULT_PROVENANCE_INTERVAL_MS };
  const body = { agent: { name: agent.name, ...(region !== undefined ? { region } : {}) }, heartbeatMs: options.heartbeatMs, maxBatch: options.maxBatch, monitors: assigned, provenance, ...(controls.length > 0 ? { controlIds: controls.map((control) => control.id) } : {}) };
  const version = createHash('sha256').update(canonicalJson(body)).digest('base64url').slice(0, 22);
  return { ...body, version };
}
