// What an agent is asked to check: the monitors whose `vantages` patterns take it in (all by default),
// under a version that changes exactly when they do (the ETag of GET /api/v1/agent/assignment).
import { createHash } from 'node:crypto';
import { canonicalJson } from '../domain/canonical-json.js';
import type { MonitorSpec } from '../domain/monitor.js';
import { checkedFrom } from '../domain/vantage-patterns.js';

export interface Assignment {
  readonly agent: { readonly name: string; readonly region?: string };
  readonly version: string;
  /** How often the agent asks again (its heartbeat); it is offline after three missed. */
  readonly heartbeatMs: number;
  /** Most observations the hub takes in one batch. */
  readonly maxBatch: number;
  readonly monitors: readonly MonitorSpec[];
}

/**
 * `controls` (config `controls:`) are checked by every agent, listed with its monitors: the agent runs
 * them alike, and the hub uses their results only to judge the agent's own health.
 */
export function assignmentFor(
  agent: { readonly name: string; readonly region?: string; readonly claimedRegion?: string },
  monitors: Iterable<MonitorSpec>,
  options: { readonly heartbeatMs: number; readonly maxBatch: number; readonly controls?: Iterable<MonitorSpec> },
): Assignment {
  const region = agent.region ?? agent.claimedRegion;
  const assigned = [...[...monitors].filter((monitor) => checkedFrom(monitor.vantages, agent.name, region)), ...(options.controls ?? [])];
  const body = { agent: { name: agent.name, ...(region !== undefined ? { region } : {}) }, heartbeatMs: options.heartbeatMs, maxBatch: options.maxBatch, monitors: assigned };
  const version = createHash('sha256').update(canonicalJson(body)).digest('base64url').slice(0, 22);
  return { ...body, version };
}
